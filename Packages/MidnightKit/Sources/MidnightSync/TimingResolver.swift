import Logging
import MidnightChain
import MidnightRPC

/// Works out the chain's slot and epoch lengths: operator override first, then what the node's
/// runtime says (`GetEpochDurationApi` → `SlotApi_slot_config`, `AuraApi_slot_duration`), then the
/// network preset.
enum TimingResolver {
    static func resolve(node: NodeClient, configuration: SyncConfiguration, logger: Logger) async -> ChainTiming {
        let preset = configuration.network.timing
        var slotMs = configuration.slotDurationMsOverride
        var slotsPerEpoch = configuration.slotsPerEpochOverride
        var epochMs: UInt64? = nil
        if slotMs == nil || slotsPerEpoch == nil {
            if let d = try? await node.epochDuration() {
                epochMs = d.millis
                if slotMs == nil { slotMs = d.slotDurationMillis }
                if slotsPerEpoch == nil { slotsPerEpoch = d.slotsPerEpoch }
                logger.debug("epoch duration \(d.millis) ms from \(d.source.rawValue)")
            }
            if slotMs == nil, let s = try? await node.slotDurationMillis(), s > 0 {
                slotMs = s
            }
        }
        let slot = slotMs ?? preset.slotDurationMs
        if slotsPerEpoch == nil, let epochMs, slot > 0, epochMs % slot == 0 {
            slotsPerEpoch = epochMs / slot
        }
        let timing = ChainTiming(
            slotDurationMs: slot, slotsPerEpoch: slotsPerEpoch ?? preset.slotsPerEpoch, mainchain: preset.mainchain)
        if slotMs == nil || slotsPerEpoch == nil {
            logger.warning(
                "the node did not report its slot or epoch length; using the \(configuration.network.rawValue) preset (\(timing.slotDurationMs) ms slots, \(timing.slotsPerEpoch) slots per epoch)"
            )
        }
        return timing
    }
}
