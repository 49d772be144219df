import Foundation
import SpomLog

/// The Midnight webhook event types (the `event` field and the names `[[webhooks.endpoints]]
/// events` filters on).
public enum MidnightEventType: String, Sendable, CaseIterable, Codable {
    /// Our validator authored a block.
    case blockProduced = "block_produced"
    /// Our validator held a slot in which no block was stored.
    case blockMissed = "block_missed"
    /// Our validator's registration or committee status changed.
    case validatorStatusChange = "validator_status_change"
    /// A sidechain epoch ended: our seats, expected and produced blocks.
    case epochSummary = "epoch_summary"
    /// The node or the sync fell into (or recovered from) a problem.
    case syncAlert = "sync_alert"
    /// `mvm webhooks test`.
    case test = "test"
}

/// `block_produced`: our validator authored a stored block.
public struct BlockProducedEvent: Sendable, Hashable, Codable {
    /// `"block_produced"`.
    public var event = MidnightEventType.blockProduced.rawValue
    /// The block's timestamp (RFC 3339).
    public var timestamp: String
    /// Chain label.
    public var chain: String
    /// Monitor instance name.
    public var instance: String
    /// Our validator's sidechain key.
    public var validator: String
    /// Its label, if one was set (`mvm keys verify --label`).
    public var label: String?
    /// The AURA key that sealed the block.
    public var auraKey: String?
    /// Block number.
    public var blockNumber: UInt64
    /// Block hash.
    public var blockHash: String
    /// Slot.
    public var slot: UInt64
    /// Sidechain epoch.
    public var sidechainEpoch: UInt64
    /// Mainchain (Cardano) epoch.
    public var mainchainEpoch: UInt64

    enum CodingKeys: String, CodingKey {
        case event, timestamp, chain, instance, validator, label, slot
        case auraKey = "aura_key"
        case blockNumber = "block_number"
        case blockHash = "block_hash"
        case sidechainEpoch = "sidechain_epoch"
        case mainchainEpoch = "mainchain_epoch"
    }
}

/// `block_missed`: our validator held `slot` (AURA round robin over the epoch's committee) and
/// no block was stored for it.
public struct BlockMissedEvent: Sendable, Hashable, Codable {
    /// `"block_missed"`.
    public var event = MidnightEventType.blockMissed.rawValue
    /// When the slot began (RFC 3339).
    public var timestamp: String
    /// Chain label.
    public var chain: String
    /// Monitor instance name.
    public var instance: String
    /// Our validator's sidechain key.
    public var validator: String
    /// Its label.
    public var label: String?
    /// The AURA key that held the slot.
    public var auraKey: String
    /// The missed slot.
    public var slot: UInt64
    /// Its sidechain epoch.
    public var sidechainEpoch: UInt64
    /// The last block before the gap.
    public var previousBlock: UInt64
    /// The first block after the gap.
    public var nextBlock: UInt64

    enum CodingKeys: String, CodingKey {
        case event, timestamp, chain, instance, validator, label, slot
        case auraKey = "aura_key"
        case sidechainEpoch = "sidechain_epoch"
        case previousBlock = "previous_block"
        case nextBlock = "next_block"
    }
}

/// `validator_status_change`: registration (`registered`, `invalid`, `not_registered`,
/// `permissioned`, ...) or committee (`in_committee` / `not_in_committee`) status of our
/// validator, old and new.
public struct ValidatorStatusChangeEvent: Sendable, Hashable, Codable {
    /// `"validator_status_change"`.
    public var event = MidnightEventType.validatorStatusChange.rawValue
    /// When it was observed (RFC 3339).
    public var timestamp: String
    /// Chain label.
    public var chain: String
    /// Monitor instance name.
    public var instance: String
    /// Our validator's sidechain key.
    public var validator: String
    /// Its label.
    public var label: String?
    /// `registration` or `committee`.
    public var statusType: String
    /// The status before (`null` when none was known).
    public var oldStatus: String?
    /// The status now.
    public var newStatus: String
    /// Why (for an invalid registration), when known.
    public var reason: String?
    /// The sidechain epoch (committee changes).
    public var sidechainEpoch: UInt64?
    /// The mainchain epoch (registration changes), when known.
    public var mainchainEpoch: UInt64?
    /// Seats in the new epoch's committee (committee changes).
    public var seats: Int?
    /// Seats in that committee in all (committee changes).
    public var committeeSize: Int?

    enum CodingKeys: String, CodingKey {
        case event, timestamp, chain, instance, validator, label, reason, seats
        case statusType = "status_type"
        case oldStatus = "old_status"
        case newStatus = "new_status"
        case sidechainEpoch = "sidechain_epoch"
        case mainchainEpoch = "mainchain_epoch"
        case committeeSize = "committee_size"
    }
}

/// `epoch_summary`: one of our validators' figures for an epoch that just ended.
public struct EpochSummaryEvent: Sendable, Hashable, Codable {
    /// `"epoch_summary"`.
    public var event = MidnightEventType.epochSummary.rawValue
    /// When the epoch ended (the first stored block of the next one, RFC 3339).
    public var timestamp: String
    /// Chain label.
    public var chain: String
    /// Monitor instance name.
    public var instance: String
    /// Our validator's sidechain key.
    public var validator: String
    /// Its label.
    public var label: String?
    /// The epoch that ended.
    public var sidechainEpoch: UInt64
    /// Our seats in its committee.
    public var seats: Int
    /// The committee's size (0 when no committee was stored).
    public var committeeSize: Int
    /// Blocks the chain produced in the epoch (stored).
    public var chainBlocks: Int
    /// Expected blocks: seats / committee size x chain blocks (``MidnightChain/ExpectedBlocks``).
    public var expected: Double
    /// Blocks our validator produced.
    public var produced: Int
    /// produced / expected, `null` when nothing was expected.
    public var ratio: Double?

    enum CodingKeys: String, CodingKey {
        case event, timestamp, chain, instance, validator, label, seats, expected, produced, ratio
        case sidechainEpoch = "sidechain_epoch"
        case committeeSize = "committee_size"
        case chainBlocks = "chain_blocks"
    }
}

/// The conditions `sync_alert` reports.
public enum SyncAlertCondition: String, Sendable, CaseIterable, Codable {
    /// The stored chain is more than the threshold behind the node's best block.
    case fallingBehind = "falling_behind"
    /// The node's best block has not advanced for the threshold.
    case stalled
    /// The node's finalized block is more than the threshold behind its best block.
    case finalityLagging = "finality_lagging"
    /// The node does not answer.
    case nodeUnreachable = "node_unreachable"
}

/// `sync_alert`: a condition started (`state` `firing`), is still on (`reminder`), or cleared
/// (`alert` `recovered`, `state` `resolved`, `condition` naming what cleared).
public struct SyncAlertEvent: Sendable, Hashable, Codable {
    /// `"sync_alert"`.
    public var event = MidnightEventType.syncAlert.rawValue
    /// When it was observed (RFC 3339).
    public var timestamp: String
    /// Chain label.
    public var chain: String
    /// Monitor instance name.
    public var instance: String
    /// `falling_behind`, `stalled`, `finality_lagging`, `node_unreachable` or `recovered`.
    public var alert: String
    /// The condition concerned (equal to `alert` except for `recovered`).
    public var condition: String
    /// `firing`, `reminder` or `resolved`.
    public var state: String
    /// When the condition began (RFC 3339).
    public var since: String
    /// How long it has lasted (seconds).
    public var durationSecs: UInt64
    /// A readable sentence.
    public var message: String
    /// The node's best block, when known.
    public var bestBlock: UInt64?
    /// The highest stored block, when known.
    public var syncedBlock: UInt64?
    /// The node's finalized block, when known.
    public var finalizedBlock: UInt64?
    /// Best minus stored.
    public var blocksBehind: UInt64?
    /// Best minus finalized.
    public var finalityLag: UInt64?
    /// The node error (`node_unreachable`).
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case event, timestamp, chain, instance, alert, condition, state, since, message, error
        case durationSecs = "duration_secs"
        case bestBlock = "best_block"
        case syncedBlock = "synced_block"
        case finalizedBlock = "finalized_block"
        case blocksBehind = "blocks_behind"
        case finalityLag = "finality_lag"
    }
}

/// `test`: sent by `mvm webhooks test`.
public struct TestEvent: Sendable, Hashable, Codable {
    /// `"test"`.
    public var event = MidnightEventType.test.rawValue
    /// When it was sent (RFC 3339).
    public var timestamp: String
    /// Chain label.
    public var chain: String
    /// Monitor instance name.
    public var instance: String
    /// A readable sentence.
    public var message: String

    /// Creates a test event.
    public init(timestamp: String, chain: String, instance: String, message: String) {
        self.timestamp = timestamp
        self.chain = chain
        self.instance = instance
        self.message = message
    }
}

/// RFC 3339 text of Unix milliseconds (UTC, with milliseconds).
public enum EventTime {
    /// `2026-01-02T03:04:05.678Z`.
    public static func rfc3339(milliseconds: UInt64) -> String {
        UTCTimestamp.rfc3339(milliseconds: milliseconds)
    }

    /// Now in Unix milliseconds.
    public static func nowMs(_ date: Date = Date()) -> UInt64 {
        UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded()))
    }
}
