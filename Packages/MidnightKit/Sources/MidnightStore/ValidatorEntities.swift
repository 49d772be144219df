/// A validator with its performance: the shared JSON shape for validators.
public struct ValidatorEntity: Codable, Sendable, Hashable {
    /// Chain label.
    public var chain: String
    /// Sidechain (cross-chain) key: the validator's identity.
    public var sidechainKey: String
    /// AURA key (latest known).
    public var auraKey: String?
    /// GRANDPA key, when known.
    public var grandpaKey: String?
    /// Operator label, when set.
    public var label: String?
    /// Marked as ours by `mvm keys verify` (sticky).
    public var isOurs: Bool
    /// Permissioned (federated) candidate.
    public var isPermissioned: Bool
    /// Latest registration status recorded.
    public var registrationStatus: String?
    /// Blocks produced, all time (stored blocks).
    public var blocksTotal: Int
    /// Rank by all-time blocks among all validators (1 = most; ties share a rank).
    public var rank: Int
    /// Share of all attributed blocks, percent.
    public var sharePercent: Double
    /// First sidechain epoch seen (in a committee or as an author).
    public var firstSeenEpoch: UInt64?
    /// Last sidechain epoch seen.
    public var lastSeenEpoch: UInt64?
    /// Timestamp of the first block produced (Unix ms).
    public var firstSeenMs: UInt64?
    /// Timestamp of the latest block produced (Unix ms).
    public var lastSeenMs: UInt64?
    /// The epoch the `epoch*` figures are for (the newest stored block's, unless asked otherwise).
    public var epoch: UInt64?
    /// Blocks produced in ``epoch``.
    public var epochBlocks: Int
    /// Committee seats in ``epoch``.
    public var epochSeats: Int
    /// Committee size of ``epoch`` (0 when its committee is unknown).
    public var epochCommitteeSize: Int
    /// Expected blocks in ``epoch`` so far: seats / committee size x blocks the chain produced in it.
    public var epochExpectedBlocks: Double
    /// epochBlocks / epochExpectedBlocks (nil when nothing was expected).
    public var epochRatio: Double?

    enum CodingKeys: String, CodingKey {
        case chain, label, rank, epoch
        case sidechainKey = "sidechain_key"
        case auraKey = "aura_key"
        case grandpaKey = "grandpa_key"
        case isOurs = "is_ours"
        case isPermissioned = "is_permissioned"
        case registrationStatus = "registration_status"
        case blocksTotal = "blocks_total"
        case sharePercent = "share_percent"
        case firstSeenEpoch = "first_seen_epoch"
        case lastSeenEpoch = "last_seen_epoch"
        case firstSeenMs = "first_seen_ms"
        case lastSeenMs = "last_seen_ms"
        case epochBlocks = "epoch_blocks"
        case epochSeats = "epoch_seats"
        case epochCommitteeSize = "epoch_committee_size"
        case epochExpectedBlocks = "epoch_expected_blocks"
        case epochRatio = "epoch_ratio"
    }
}

/// Sort orders for ``StoreReader/validators(_:)``.
public enum ValidatorSort: String, Sendable, Hashable, CaseIterable, Codable {
    /// All-time blocks, most first (rank order).
    case blocks
    /// Blocks in the epoch, most first.
    case epochBlocks = "epoch_blocks"
    /// Seats in the epoch, most first.
    case seats
    /// Produced / expected in the epoch, best first.
    case ratio
    /// Sidechain key, ascending.
    case key
    /// Most recently active first.
    case lastSeen = "last_seen"
}

/// Filters, sort and page for ``StoreReader/validators(_:)``.
public struct ValidatorQuery: Sendable, Hashable {
    /// Only ours (true) / only not ours (false).
    public var ours: Bool?
    /// Only validators with (true) / without (false) a registration status of `permissioned` or `registered*`.
    public var registered: Bool?
    /// Only validators that produced at least one block (v1's `performance`).
    public var producingOnly: Bool
    /// The epoch for the per-epoch figures (default: the newest stored block's).
    public var epoch: UInt64?
    /// Sort order.
    public var sort: ValidatorSort
    /// Page size (1...1000).
    public var limit: Int
    /// Rows to skip.
    public var offset: Int

    /// Creates a query.
    public init(ours: Bool? = nil, registered: Bool? = nil, producingOnly: Bool = false, epoch: UInt64? = nil, sort: ValidatorSort = .blocks, limit: Int = 100, offset: Int = 0) {
        self.ours = ours
        self.registered = registered
        self.producingOnly = producingOnly
        self.epoch = epoch
        self.sort = sort
        self.limit = limit
        self.offset = offset
    }
}

/// A page of validators.
public struct ValidatorPage: Codable, Sendable, Hashable {
    /// The validators on this page.
    public var validators: [ValidatorEntity]
    /// How many validators match the filters in total.
    public var total: Int
    /// Sum of all validators' all-time blocks (attributed blocks).
    public var totalBlocks: Int

    enum CodingKeys: String, CodingKey {
        case validators, total
        case totalBlocks = "total_blocks"
    }
}

/// One epoch of one validator's history.
public struct ValidatorEpochEntity: Codable, Sendable, Hashable {
    /// Sidechain epoch.
    public var sidechainEpoch: UInt64
    /// AURA key used in the epoch.
    public var auraKey: String?
    /// Seats in the committee.
    public var seats: Int
    /// Committee size.
    public var committeeSize: Int
    /// Blocks it produced in the epoch.
    public var blocksProduced: Int
    /// Blocks the chain produced in the epoch (stored).
    public var chainBlocks: Int
    /// seats / committee size x chain blocks.
    public var expectedBlocks: Double
    /// produced / expected (nil when nothing was expected).
    public var ratio: Double?
    /// Permissioned candidate in the epoch.
    public var isPermissioned: Bool
    /// Stake in lovelace, when registered.
    public var stake: UInt64?

    enum CodingKeys: String, CodingKey {
        case seats, ratio, stake
        case sidechainEpoch = "sidechain_epoch"
        case auraKey = "aura_key"
        case committeeSize = "committee_size"
        case blocksProduced = "blocks_produced"
        case chainBlocks = "chain_blocks"
        case expectedBlocks = "expected_blocks"
        case isPermissioned = "is_permissioned"
    }
}

/// A registration status change.
public struct RegistrationChange: Codable, Sendable, Hashable {
    /// The status (`permissioned`, `registered`, `registered_invalid`, `not_registered`, ...).
    public var status: String
    /// Why, when the status carries reasons.
    public var reason: String?
    /// Mainchain epoch observed in.
    public var mainchainEpoch: UInt64?
    /// When it was observed (Unix ms).
    public var observedMs: UInt64

    enum CodingKeys: String, CodingKey {
        case status, reason
        case mainchainEpoch = "mainchain_epoch"
        case observedMs = "observed_ms"
    }
}

/// A validator with its per-epoch history and registration history.
public struct ValidatorDetail: Codable, Sendable, Hashable {
    /// The validator and its current figures.
    public var validator: ValidatorEntity
    /// Per-epoch history, newest first.
    public var epochs: [ValidatorEpochEntity]
    /// Registration status changes, newest first.
    public var registrationHistory: [RegistrationChange]

    enum CodingKeys: String, CodingKey {
        case validator, epochs
        case registrationHistory = "registration_history"
    }
}
