import MidnightStore
import SpomHTTP

// The response bodies of /api/v1. Optional figures that clients should always see as keys are
// `@NullWhenAbsent` (encoded as `null`), so no type needs a hand-written `encode(to:)`.

/// `GET /api/v1/blocks`: a page of blocks, newest first, and the cursors of the neighbouring pages
/// (`null` when there is none).
public struct BlocksResponse: Encodable, Sendable {
    /// The blocks, in the shared block JSON shape.
    public var blocks: [StoredBlock]
    /// Pass as `before` for the next (older) page.
    @NullWhenAbsent public var nextBefore: UInt64?
    /// Pass as `after` for the previous (newer) page.
    @NullWhenAbsent public var prevAfter: UInt64?

    /// Creates a page.
    public init(blocks: [StoredBlock], nextBefore: UInt64?, prevAfter: UInt64?) {
        self.blocks = blocks
        self.nextBefore = nextBefore
        self.prevAfter = prevAfter
    }

    enum CodingKeys: String, CodingKey {
        case blocks
        case nextBefore = "next_before"
        case prevAfter = "prev_after"
    }
}

/// `GET /api/v1/health` when healthy.
public struct HealthResponse: Encodable, Sendable {
    /// Always `ok` (unhealthy answers are 503 error envelopes).
    public var status: String
    /// Chain label.
    public var chain: String
    /// When the sync daemon last made progress (Unix ms).
    public var lastProgressMs: UInt64
    /// How long ago that was, ms.
    public var progressAgeMs: UInt64
    /// The freshness window, ms.
    public var maxProgressAgeMs: UInt64
    /// Highest block stored contiguously.
    @NullWhenAbsent public var lastSyncedBlock: UInt64?

    /// Creates a health body.
    public init(status: String, chain: String, lastProgressMs: UInt64, progressAgeMs: UInt64, maxProgressAgeMs: UInt64, lastSyncedBlock: UInt64?) {
        self.status = status
        self.chain = chain
        self.lastProgressMs = lastProgressMs
        self.progressAgeMs = progressAgeMs
        self.maxProgressAgeMs = maxProgressAgeMs
        self.lastSyncedBlock = lastSyncedBlock
    }

    enum CodingKeys: String, CodingKey {
        case status, chain
        case lastProgressMs = "last_progress_ms"
        case progressAgeMs = "progress_age_ms"
        case maxProgressAgeMs = "max_progress_age_ms"
        case lastSyncedBlock = "last_synced_block"
    }
}

/// The health verdict shown in `/status`.
public struct HealthVerdict: Encodable, Sendable {
    /// Whether `/health` would answer 200.
    public var healthy: Bool
    /// Why not, when unhealthy.
    @NullWhenAbsent public var reason: String?

    /// Creates a verdict.
    public init(healthy: Bool, reason: String?) {
        self.healthy = healthy
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey { case healthy, reason }
}

/// `GET /api/v1/status`: health, sync state, database figures and epochs.
public struct StatusResponse: Encodable, Sendable {
    /// Chain label.
    public var chain: String
    /// The `/health` verdict.
    public var health: HealthVerdict
    /// The sync daemon's status row (heights, epochs, rate, RPC counters).
    public var sync: SyncStatusEntity
    /// Database-wide figures.
    public var stats: StoreStats
    /// The newest epoch with its progress, committee and our figures (null when no block is stored).
    @NullWhenAbsent public var currentEpoch: EpochSummary?
    /// Recent epochs, newest first.
    public var recentEpochs: [EpochOverview]

    /// Creates a status body.
    public init(
        chain: String, health: HealthVerdict, sync: SyncStatusEntity, stats: StoreStats, currentEpoch: EpochSummary?,
        recentEpochs: [EpochOverview]
    ) {
        self.chain = chain
        self.health = health
        self.sync = sync
        self.stats = stats
        self.currentEpoch = currentEpoch
        self.recentEpochs = recentEpochs
    }

    enum CodingKeys: String, CodingKey {
        case chain, health, sync, stats
        case currentEpoch = "current_epoch"
        case recentEpochs = "recent_epochs"
    }
}

/// `GET /api/v1/validators/ours`.
public struct OurValidatorsResponse: Encodable, Sendable {
    /// Our validators with their figures for the newest epoch.
    public var validators: [ValidatorEntity]
}

/// `GET /api/v1/epochs`.
public struct EpochsResponse: Encodable, Sendable {
    /// Recent epochs, newest first.
    public var epochs: [EpochOverview]
}
