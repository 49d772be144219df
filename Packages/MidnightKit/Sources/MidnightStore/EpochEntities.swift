/// A row of the recent-epochs list.
public struct EpochOverview: Codable, Sendable, Hashable {
    /// Sidechain epoch.
    public var sidechainEpoch: UInt64
    /// Mainchain epoch (of its blocks, or its committee's).
    public var mainchainEpoch: UInt64?
    /// Blocks stored in the epoch.
    public var blocksProduced: Int
    /// Lowest block number stored in it.
    public var firstBlock: UInt64?
    /// Highest block number stored in it.
    public var lastBlock: UInt64?
    /// Committee size (nil when the committee is unknown).
    public var committeeSize: Int?
    /// Seats held by our validators.
    public var ourSeats: Int
    /// Blocks produced by our validators.
    public var ourBlocks: Int
    /// Blocks expected from our validators: ourSeats / committeeSize x blocksProduced.
    public var ourExpectedBlocks: Double

    enum CodingKeys: String, CodingKey {
        case sidechainEpoch = "sidechain_epoch"
        case mainchainEpoch = "mainchain_epoch"
        case blocksProduced = "blocks_produced"
        case firstBlock = "first_block"
        case lastBlock = "last_block"
        case committeeSize = "committee_size"
        case ourSeats = "our_seats"
        case ourBlocks = "our_blocks"
        case ourExpectedBlocks = "our_expected_blocks"
    }
}

/// One validator's line in an epoch summary.
public struct EpochValidatorEntry: Codable, Sendable, Hashable {
    /// Sidechain key.
    public var sidechainKey: String
    /// AURA key used in the epoch.
    public var auraKey: String?
    /// Marked as ours.
    public var isOurs: Bool
    /// Seats in the committee.
    public var seats: Int
    /// Blocks produced in the epoch.
    public var blocksProduced: Int
    /// seats / committee size x blocks the chain produced in the epoch.
    public var expectedBlocks: Double
    /// produced / expected (nil when nothing expected).
    public var ratio: Double?

    enum CodingKeys: String, CodingKey {
        case seats, ratio
        case sidechainKey = "sidechain_key"
        case auraKey = "aura_key"
        case isOurs = "is_ours"
        case blocksProduced = "blocks_produced"
        case expectedBlocks = "expected_blocks"
    }
}

/// Everything about one sidechain epoch.
public struct EpochSummary: Codable, Sendable, Hashable {
    /// Chain label.
    public var chain: String
    /// Sidechain epoch.
    public var sidechainEpoch: UInt64
    /// Mainchain epoch.
    public var mainchainEpoch: UInt64?
    /// Committee size (nil when unknown).
    public var committeeSize: Int?
    /// Where the committee came from.
    public var committeeSource: String?
    /// Blocks stored in the epoch.
    public var blocksProduced: Int
    /// Slots of the covered part of the epoch that have no block (nil when not computable).
    public var blocksMissed: Int?
    /// Slots per epoch (nil when the chain timing is unknown).
    public var slotsInEpoch: Int?
    /// Slots of the epoch covered by the stored blocks (the whole epoch once it is complete and
    /// fully synced; up to the newest block while it runs).
    public var slotsCovered: Int?
    /// Whether the newest stored block is in this epoch.
    public var isRunning: Bool
    /// Fraction of the epoch's slots elapsed (running epoch, timing known).
    public var progress: Double?
    /// First / last block numbers and slots stored in it.
    public var firstBlock: UInt64?
    /// Highest block number.
    public var lastBlock: UInt64?
    /// Lowest slot.
    public var firstSlot: UInt64?
    /// Highest slot.
    public var lastSlot: UInt64?
    /// Blocks without an author.
    public var unattributedBlocks: Int
    /// Seats of our validators.
    public var ourSeats: Int
    /// Blocks produced by our validators.
    public var ourBlocks: Int
    /// ourSeats / committeeSize x blocksProduced.
    public var ourExpectedBlocks: Double
    /// For a running epoch: the whole-epoch expectation, ourExpectedBlocks / progress.
    public var ourProjectedBlocks: Double?
    /// Every validator with seats or blocks in the epoch, most seats first.
    public var validators: [EpochValidatorEntry]

    enum CodingKeys: String, CodingKey {
        case chain, progress, validators
        case sidechainEpoch = "sidechain_epoch"
        case mainchainEpoch = "mainchain_epoch"
        case committeeSize = "committee_size"
        case committeeSource = "committee_source"
        case blocksProduced = "blocks_produced"
        case blocksMissed = "blocks_missed"
        case slotsInEpoch = "slots_in_epoch"
        case slotsCovered = "slots_covered"
        case isRunning = "is_running"
        case firstBlock = "first_block"
        case lastBlock = "last_block"
        case firstSlot = "first_slot"
        case lastSlot = "last_slot"
        case unattributedBlocks = "unattributed_blocks"
        case ourSeats = "our_seats"
        case ourBlocks = "our_blocks"
        case ourExpectedBlocks = "our_expected_blocks"
        case ourProjectedBlocks = "our_projected_blocks"
    }
}

/// An epoch's committee.
public struct CommitteeEntity: Codable, Sendable, Hashable {
    /// Chain label.
    public var chain: String
    /// Sidechain epoch.
    public var sidechainEpoch: UInt64
    /// Mainchain epoch of its candidates.
    public var mainchainEpoch: UInt64?
    /// Number of seats.
    public var committeeSize: Int
    /// Authority keys in seat order.
    public var authorities: [String]
    /// Where it came from.
    public var source: String
    /// When it was stored (Unix ms).
    public var storedMs: UInt64

    enum CodingKeys: String, CodingKey {
        case chain, authorities, source
        case sidechainEpoch = "sidechain_epoch"
        case mainchainEpoch = "mainchain_epoch"
        case committeeSize = "committee_size"
        case storedMs = "stored_ms"
    }
}

/// Which blocks a per-epoch count covers.
public enum BlockCountScope: Sendable, Hashable {
    /// Every block.
    case all
    /// Blocks by validators marked as ours.
    case ours
    /// Blocks by these sidechain keys.
    case keys([String])
}

/// Blocks and seats in one epoch, for sparklines.
public struct EpochBlockCount: Codable, Sendable, Hashable {
    /// Sidechain epoch.
    public var sidechainEpoch: UInt64
    /// Blocks (of the scope) in the epoch.
    public var blocks: Int
    /// Seats (of the scope; committee size for `.all`).
    public var seats: Int

    enum CodingKeys: String, CodingKey {
        case blocks, seats
        case sidechainEpoch = "sidechain_epoch"
    }
}
