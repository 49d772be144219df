import Logging
import MidnightChain

extension NodeClient {
    /// The chain's slot and epoch lengths: operator overrides first, then what the node's runtime
    /// says (`GetEpochDurationApi_get_epoch_duration_millis` → `SlotApi_slot_config`,
    /// `AuraApi_slot_duration`), then the `network` preset. Never fails: a node that answers
    /// nothing gets the preset, with a warning.
    ///
    /// The Cardano epoch length comes from the override or the preset; the epoch numbering is
    /// anchored on what `sidechain_getStatus` says (the current Cardano epoch and when the next
    /// one starts), so a wrong preset origin cannot shift every block's main-chain epoch.
    public func chainTiming(
        network: NetworkPreset, slotDurationMsOverride: UInt64? = nil, slotsPerEpochOverride: UInt64? = nil,
        mainchainEpochMsOverride: UInt64? = nil, logger: Logger
    ) async -> ChainTiming {
        let preset = network.timing
        var slotMs = slotDurationMsOverride
        var slotsPerEpoch = slotsPerEpochOverride
        var epochMs: UInt64? = nil
        if slotMs == nil || slotsPerEpoch == nil {
            if let d = try? await epochDuration() {
                epochMs = d.millis
                if slotMs == nil { slotMs = d.slotDurationMillis }
                if slotsPerEpoch == nil { slotsPerEpoch = d.slotsPerEpoch }
                logger.debug("epoch duration \(d.millis) ms from \(d.source.rawValue)")
            }
            if slotMs == nil, let s = try? await slotDurationMillis(), s > 0 {
                slotMs = s
            }
        }
        let slot = slotMs ?? preset.slotDurationMs
        if slotsPerEpoch == nil, let epochMs, slot > 0, epochMs % slot == 0 {
            slotsPerEpoch = epochMs / slot
        }
        var mainchain = preset.mainchain
        if let length = mainchainEpochMsOverride, length > 0 { mainchain.epochDurationMs = length }
        if let status = try? await sidechainStatus(), let next = status.mainchain.nextEpochTimestamp,
            next >= mainchain.epochDurationMs
        {
            mainchain = MainchainTiming(
                epochDurationMs: mainchain.epochDurationMs, referenceEpoch: status.mainchain.epoch + 1,
                referenceTimestampMs: next)
        }
        let timing = ChainTiming(
            slotDurationMs: slot, slotsPerEpoch: slotsPerEpoch ?? preset.slotsPerEpoch, mainchain: mainchain)
        if slotMs == nil || slotsPerEpoch == nil {
            logger.warning(
                "the node did not report its slot or epoch length; using the \(network.rawValue) preset (\(timing.slotDurationMs) ms slots, \(timing.slotsPerEpoch) slots per epoch)"
            )
        }
        return timing
    }
}
