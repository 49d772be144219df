import MidnightStatus
import MidnightStore

/// One part of the dashboard's data: the last value fetched successfully, when, and why the most
/// recent attempt failed (if it did). A failed refresh keeps the previous value so panels can show
/// it marked stale together with the reason.
public struct DashboardPart<Value: Sendable>: Sendable {
    /// The last successfully fetched value, nil before the first success.
    public var value: Value?
    /// Unix ms of the last successful fetch.
    public var fetchedAtMs: UInt64?
    /// Why the most recent attempt failed; nil when it succeeded.
    public var error: String?

    /// Creates a part (empty by default: never fetched).
    public init(value: Value? = nil, fetchedAtMs: UInt64? = nil, error: String? = nil) {
        self.value = value
        self.fetchedAtMs = fetchedAtMs
        self.error = error
    }

    /// Seconds since the last successful fetch, nil when never fetched.
    public func age(nowMs: UInt64) -> Double? {
        guard let fetchedAtMs else { return nil }
        return Double(nowMs >= fetchedAtMs ? nowMs - fetchedAtMs : 0) / 1000
    }

    /// Records a successful fetch.
    public mutating func succeed(_ value: Value, atMs: UInt64) {
        self.value = value
        fetchedAtMs = atMs
        error = nil
    }

    /// Records a failed fetch, keeping the previous value.
    public mutating func fail(_ reason: String) {
        error = reason
    }
}

/// Our validator as the dashboard shows it: the validator row plus its per-epoch history.
public struct OurValidatorInfo: Sendable, Hashable {
    /// The validator (current-epoch seats, blocks, committee size are filled in).
    public var validator: ValidatorEntity
    /// Per-epoch seats / blocks / expected, newest first.
    public var epochs: [ValidatorEpochEntity]

    /// Creates the info.
    public init(validator: ValidatorEntity, epochs: [ValidatorEpochEntity]) {
        self.validator = validator
        self.epochs = epochs
    }
}

/// Epoch data for the dashboard: recent epochs and the current epoch's summary.
public struct EpochInfo: Sendable, Hashable {
    /// Recent sidechain epochs, newest first.
    public var recent: [EpochOverview]
    /// Summary of the newest epoch in the database (blocks the chain produced so far, committee).
    public var current: EpochSummary?
    /// Blocks by our validators per epoch, oldest first (for the sparkline).
    public var ourCounts: [EpochBlockCount]

    /// Creates the info.
    public init(recent: [EpochOverview], current: EpochSummary?, ourCounts: [EpochBlockCount]) {
        self.recent = recent
        self.current = current
        self.ourCounts = ourCounts
    }
}

/// Everything the dashboard views show, each part with its fetch time and failure reason.
public struct DashboardSnapshot: Sendable {
    /// The node status report (nil value with an error when the node could not be asked).
    public var status: DashboardPart<StatusReport>
    /// Whether a status checker is configured at all (without one, node panels say so).
    public var statusConfigured: Bool
    /// The node's network: uptime, bandwidth, transaction pool, peer list (from the same pass as
    /// ``status``).
    public var network: DashboardPart<NetworkInfo>
    /// The sync daemon's progress row.
    public var sync: DashboardPart<SyncStatusEntity>
    /// Database statistics.
    public var stats: DashboardPart<StoreStats>
    /// Recent blocks, newest first.
    public var blocks: DashboardPart<[StoredBlock]>
    /// All validators (ranked by blocks).
    public var validators: DashboardPart<[ValidatorEntity]>
    /// Our validators with their epoch history.
    public var ours: DashboardPart<[OurValidatorInfo]>
    /// Epochs.
    public var epochs: DashboardPart<EpochInfo>
    /// Host figures from node_exporter.
    public var system: DashboardPart<SystemInfo>
    /// node_exporter's URL (`rpc.node_exporter_url`); nil when not configured.
    public var systemURL: String?

    /// Creates an empty snapshot (nothing fetched yet).
    public init(statusConfigured: Bool = false, systemURL: String? = nil) {
        status = DashboardPart()
        network = DashboardPart()
        self.statusConfigured = statusConfigured
        self.systemURL = systemURL
        system = DashboardPart()
        sync = DashboardPart()
        stats = DashboardPart()
        blocks = DashboardPart()
        validators = DashboardPart()
        ours = DashboardPart()
        epochs = DashboardPart()
    }
}
