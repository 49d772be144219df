/// How a Cardano (main-chain) network numbers its epochs: a reference epoch, when it started,
/// and the epoch length.
public struct MainchainTiming: Equatable, Sendable, Codable {
    public var epochDurationMs: UInt64
    public var referenceEpoch: UInt64
    public var referenceTimestampMs: UInt64

    public init(epochDurationMs: UInt64, referenceEpoch: UInt64, referenceTimestampMs: UInt64) {
        self.epochDurationMs = epochDurationMs
        self.referenceEpoch = referenceEpoch
        self.referenceTimestampMs = referenceTimestampMs
    }

    /// Cardano preview: 1-day epochs, epoch 0 at 2022-10-25T00:00:00Z.
    public static let cardanoPreview = MainchainTiming(
        epochDurationMs: 86_400_000, referenceEpoch: 0, referenceTimestampMs: 1_666_656_000_000)
    /// Cardano preprod: 5-day epochs from 2022-06-01T00:00:00Z.
    public static let cardanoPreprod = MainchainTiming(
        epochDurationMs: 432_000_000, referenceEpoch: 0, referenceTimestampMs: 1_654_041_600_000)
    /// Cardano mainnet: 5-day epochs, epoch 208 (the first Shelley epoch) at 1596059091000.
    public static let cardanoMainnet = MainchainTiming(
        epochDurationMs: 432_000_000, referenceEpoch: 208, referenceTimestampMs: 1_596_059_091_000)

    /// The Cardano epoch containing `timestampMs`, counting forwards or backwards from the
    /// reference (never below epoch 0).
    public func epoch(timestampMs: UInt64) -> UInt64 {
        guard epochDurationMs > 0 else { return referenceEpoch }
        if timestampMs >= referenceTimestampMs {
            return referenceEpoch + (timestampMs - referenceTimestampMs) / epochDurationMs
        }
        let back = (referenceTimestampMs - timestampMs + epochDurationMs - 1) / epochDurationMs
        return back > referenceEpoch ? 0 : referenceEpoch - back
    }

    /// When `epoch` starts, in Unix milliseconds.
    public func epochStartMs(_ epoch: UInt64) -> UInt64 {
        if epoch >= referenceEpoch { return referenceTimestampMs + (epoch - referenceEpoch) * epochDurationMs }
        let back = (referenceEpoch - epoch) * epochDurationMs
        return back > referenceTimestampMs ? 0 : referenceTimestampMs - back
    }
}

/// Slot, sidechain-epoch and main-chain-epoch arithmetic for one Midnight network.
///
/// A block's sidechain epoch and timestamp come from its own slot (`slot / slotsPerEpoch` and
/// `slot × slotDurationMs`), never from `sidechain_getStatus`, which reports the wall-clock epoch.
/// Durations should be read from the node (`GetEpochDurationApi_get_epoch_duration_millis`, then
/// `SlotApi_slot_config`); the presets are the fallback and an operator override.
public struct ChainTiming: Equatable, Sendable, Codable {
    public var slotDurationMs: UInt64
    public var slotsPerEpoch: UInt64
    public var mainchain: MainchainTiming

    public init(slotDurationMs: UInt64, slotsPerEpoch: UInt64, mainchain: MainchainTiming) {
        self.slotDurationMs = max(slotDurationMs, 1)
        self.slotsPerEpoch = max(slotsPerEpoch, 1)
        self.mainchain = mainchain
    }

    /// The sidechain epoch length in milliseconds.
    public var epochDurationMs: UInt64 { slotDurationMs * slotsPerEpoch }

    /// The sidechain epoch of a slot.
    public func sidechainEpoch(slot: UInt64) -> UInt64 { slot / slotsPerEpoch }
    /// The position of a slot within its epoch (0-based).
    public func slotInEpoch(slot: UInt64) -> UInt64 { slot % slotsPerEpoch }
    /// The first slot of a sidechain epoch.
    public func epochStartSlot(_ epoch: UInt64) -> UInt64 { epoch * slotsPerEpoch }
    /// The block time of a slot in Unix milliseconds (genesis at Unix time 0, as on Midnight).
    public func timestampMs(slot: UInt64) -> UInt64 { slot * slotDurationMs }
    /// The slot containing a Unix time in milliseconds.
    public func slot(atMs ms: UInt64) -> UInt64 { ms / slotDurationMs }
    /// The Cardano epoch of a slot.
    public func mainchainEpoch(slot: UInt64) -> UInt64 { mainchain.epoch(timestampMs: timestampMs(slot: slot)) }
    /// The Cardano epoch containing a Unix time in milliseconds.
    public func mainchainEpoch(timestampMs: UInt64) -> UInt64 { mainchain.epoch(timestampMs: timestampMs) }

    /// How far through its sidechain epoch `nowMs` is, from 0 to 1.
    public func epochProgress(nowMs: UInt64) -> Double {
        let into = nowMs % epochDurationMs
        return Double(into) / Double(epochDurationMs)
    }

    /// Milliseconds until the next sidechain epoch starts.
    public func msUntilNextEpoch(nowMs: UInt64) -> UInt64 { epochDurationMs - nowMs % epochDurationMs }

    /// How far through its Cardano epoch `nowMs` is, from 0 to 1.
    public func mainchainProgress(nowMs: UInt64) -> Double {
        let epoch = mainchain.epoch(timestampMs: nowMs)
        let start = mainchain.epochStartMs(epoch)
        guard nowMs > start else { return 0 }
        return min(1, Double(nowMs - start) / Double(mainchain.epochDurationMs))
    }

    /// The retired testnet-02: 6 s slots, 1200-slot (2 h) epochs on Cardano preview.
    public static let testnet02 = ChainTiming(slotDurationMs: 6000, slotsPerEpoch: 1200, mainchain: .cardanoPreview)
    /// Midnight preview (node 0.18+): 6 s slots, 300-slot (30 min) epochs on Cardano preview.
    public static let preview = ChainTiming(slotDurationMs: 6000, slotsPerEpoch: 300, mainchain: .cardanoPreview)
    /// Midnight preprod: 6 s slots, 300-slot epochs on Cardano preprod.
    public static let preprod = ChainTiming(slotDurationMs: 6000, slotsPerEpoch: 300, mainchain: .cardanoPreprod)
    /// Midnight mainnet: 6 s slots, 300-slot epochs ("300 block" sessions) on Cardano mainnet.
    public static let mainnet = ChainTiming(slotDurationMs: 6000, slotsPerEpoch: 300, mainchain: .cardanoMainnet)
}

/// The networks MVM knows presets for, by the names operators write in `[chain] network`.
public enum NetworkPreset: String, CaseIterable, Sendable, Codable {
    case testnet02 = "testnet-02"
    case preview
    case preprod
    case mainnet

    /// Parses a network name case-insensitively (`testnet`, `testnet02`, `pre-prod`, `main` too).
    /// Unlike v1, an unknown name is `nil` so that configuration validation can report it.
    public init?(name: String) {
        switch name.trimmingWhitespace().lowercased() {
        case "testnet-02", "testnet02", "testnet": self = .testnet02
        case "preview": self = .preview
        case "preprod", "pre-prod": self = .preprod
        case "mainnet", "main": self = .mainnet
        default: return nil
        }
    }

    /// The preset timing.
    public var timing: ChainTiming {
        switch self {
        case .testnet02: return .testnet02
        case .preview: return .preview
        case .preprod: return .preprod
        case .mainnet: return .mainnet
        }
    }
}
