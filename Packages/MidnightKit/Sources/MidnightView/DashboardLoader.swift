import Foundation
import Logging
import MidnightStatus
import MidnightStore

/// Fills a ``DashboardSnapshot`` from the database (and optionally the node's status), off the UI
/// thread: it is an actor, so every query runs on the cooperative pool, never on the loop that
/// draws. A part that fails keeps its previous value and carries the reason.
public actor DashboardLoader {
    /// Produces a node status report (normally `StatusChecker.check`).
    public typealias StatusSource = @Sendable () async -> StatusReport
    /// Produces a status report with the network details (normally `StatusChecker.checkWithNetwork`).
    public typealias DetailedStatusSource = @Sendable () async -> DetailedStatus
    /// Produces node_exporter's figures (normally a scrape of `rpc.node_exporter_url`).
    public typealias SystemSource = @Sendable () async throws -> SystemMetricsSummary

    private let databasePath: String
    private let chain: String
    private let statusSource: StatusSource?
    private let detailedSource: DetailedStatusSource?
    private let systemSource: SystemSource?
    private let logger: Logger
    private var reader: StoreReader?
    private var snapshot: DashboardSnapshot
    /// Epochs of history loaded for our validators (Performance view and its epoch-history popup).
    public static let epochHistoryLimit = 96
    /// How many recent blocks to fetch.
    public let blockLimit: Int

    /// Creates a loader reading `databasePath`, asking `status` for the node's status when given,
    /// and `system` for node_exporter's figures when `systemURL` is configured (by default a
    /// scrape of `systemURL` with a 3 s timeout).
    public init(databasePath: String, chain: String = StoreSchema.defaultChain, status: StatusSource? = nil,
                systemURL: String? = nil, system: SystemSource? = nil, blockLimit: Int = 200, logger: Logger) {
        self.init(databasePath: databasePath, chain: chain, status: status, detailed: nil, systemURL: systemURL, system: system,
                  blockLimit: blockLimit, logger: logger)
    }

    /// Creates a loader that asks `detailed` for the node's status and network details (uptime,
    /// bandwidth, transaction pool, peers) in one pass; otherwise as
    /// ``init(databasePath:chain:status:systemURL:system:blockLimit:logger:)``.
    public init(databasePath: String, chain: String = StoreSchema.defaultChain, detailed: DetailedStatusSource?,
                systemURL: String? = nil, system: SystemSource? = nil, blockLimit: Int = 200, logger: Logger) {
        self.init(databasePath: databasePath, chain: chain, status: nil, detailed: detailed, systemURL: systemURL, system: system,
                  blockLimit: blockLimit, logger: logger)
    }

    private init(databasePath: String, chain: String, status: StatusSource?, detailed: DetailedStatusSource?,
                 systemURL: String?, system: SystemSource?, blockLimit: Int, logger: Logger) {
        self.databasePath = databasePath
        self.chain = chain
        self.statusSource = status
        self.detailedSource = detailed
        if let system {
            systemSource = system
        } else if let systemURL {
            systemSource = { @Sendable in SystemMetricsSummary(document: try await MetricsScraper.scrape(systemURL, timeout: .seconds(3))) }
        } else {
            systemSource = nil
        }
        self.blockLimit = blockLimit
        self.logger = logger
        self.snapshot = DashboardSnapshot(statusConfigured: status != nil || detailed != nil, systemURL: systemURL)
    }

    /// Creates a loader that asks `checker` for the node's status and scrapes node_exporter at
    /// `systemURL` when given.
    public init(databasePath: String, chain: String = StoreSchema.defaultChain, checker: StatusChecker?,
                systemURL: String? = nil, blockLimit: Int = 200, logger: Logger) {
        var source: DetailedStatusSource?
        if let checker {
            source = { @Sendable in await checker.checkWithNetwork() }
        }
        self.init(databasePath: databasePath, chain: chain, detailed: source, systemURL: systemURL, blockLimit: blockLimit, logger: logger)
    }

    /// The current Unix time in ms.
    public static func nowMs() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970 * 1000)) }

    /// Refreshes every part and returns the new snapshot.
    public func load(nowMs: UInt64 = DashboardLoader.nowMs()) async -> DashboardSnapshot {
        // The node and node_exporter are asked at the same time; neither waits for the other.
        async let system = Self.fetchSystem(systemSource)
        if let detailedSource {
            let detailed = await detailedSource()
            record(detailed.report, nowMs: nowMs)
            if detailed.report.node.reachable {
                snapshot.network.succeed(NetworkInfo.next(after: snapshot.network.value, details: detailed.network, atMs: nowMs), atMs: nowMs)
            } else {
                snapshot.network.fail(snapshot.status.error ?? "node unreachable")
            }
        } else if let statusSource {
            record(await statusSource(), nowMs: nowMs)
            snapshot.network.fail("peer list and node metrics not gathered by this status source")
        } else {
            snapshot.status.fail("no node configured (database only)")
            snapshot.network.fail("no node configured (database only)")
        }
        switch await system {
        case nil: snapshot.system.fail("node_exporter not configured (set rpc.node_exporter_url)")
        case .success(let metrics)?:
            var info = snapshot.system.value ?? SystemInfo(metrics: metrics)
            info.metrics = metrics
            info.record(memoryUsed: metrics.memoryUsedFraction)
            snapshot.system.succeed(info, atMs: nowMs)
        case .failure(let error)?:
            snapshot.system.fail(Self.systemFailure(error, url: snapshot.systemURL ?? "its URL"))
        }
        loadDatabase(nowMs: nowMs)
        return snapshot
    }

    /// Records a status report: a reachable node succeeds, an unreachable one keeps the report
    /// (it says what is unreachable) with the part marked failed.
    private func record(_ report: StatusReport, nowMs: UInt64) {
        if report.node.reachable {
            snapshot.status.succeed(report, atMs: nowMs)
        } else {
            // Keep the report (it says what is unreachable) but mark the part failed.
            snapshot.status.value = report
            // The checker's problem already names the URL; don't say it twice.
            if let problem = report.problems.first, problem.hasPrefix("node unreachable") {
                snapshot.status.fail(problem)
            } else {
                snapshot.status.fail("node unreachable at \(report.node.url)" + (report.problems.first.map { ": \($0)" } ?? ""))
            }
        }
    }

    private static func fetchSystem(_ source: SystemSource?) async -> Result<SystemMetricsSummary, any Error>? {
        guard let source else { return nil }
        do { return .success(try await source()) } catch { return .failure(error) }
    }

    /// "node_exporter not found at <url>: <what happened>", without repeating the URL.
    static func systemFailure(_ error: any Error, url: String) -> String {
        var detail = "\(error)"
        for prefix in ["metrics endpoint \(url) ", "metrics endpoint "] where detail.hasPrefix(prefix) {
            detail = String(detail.dropFirst(prefix.count))
            break
        }
        return "node_exporter not found at \(url): \(detail)"
    }

    private func openReader() -> ReaderOpening {
        if let reader { return .success(reader) }
        guard FileManager.default.fileExists(atPath: databasePath) else {
            return .failure("database not found at \(databasePath) (is mvm sync running?)")
        }
        do {
            let opened = try MidnightDatabase.openReader(path: databasePath, chain: chain)
            reader = opened
            return .success(opened)
        } catch {
            return .failure("cannot open database \(databasePath): \(error)")
        }
    }

    private enum ReaderOpening {
        case success(StoreReader)
        case failure(String)
    }

    private func loadDatabase(nowMs: UInt64) {
        let reader: StoreReader
        switch openReader() {
        case .success(let opened): reader = opened
        case .failure(let reason):
            logger.debug("dashboard database unavailable", metadata: ["reason": "\(reason)"])
            snapshot.sync.fail(reason)
            snapshot.stats.fail(reason)
            snapshot.blocks.fail(reason)
            snapshot.validators.fail(reason)
            snapshot.ours.fail(reason)
            snapshot.epochs.fail(reason)
            return
        }
        Self.fetch(&snapshot.sync, nowMs) { try reader.syncStatus() }
        Self.fetch(&snapshot.stats, nowMs) { try reader.stats() }
        Self.fetch(&snapshot.blocks, nowMs) { [blockLimit] in try reader.blocks(BlockQuery(limit: blockLimit)).blocks }
        Self.fetch(&snapshot.validators, nowMs) { try reader.validators(ValidatorQuery(limit: 500)).validators }
        Self.fetch(&snapshot.ours, nowMs) {
            try reader.ourValidators().map { entity in
                OurValidatorInfo(validator: entity, epochs: try reader.validator(key: entity.sidechainKey, historyLimit: Self.epochHistoryLimit)?.epochs ?? [])
            }
        }
        Self.fetch(&snapshot.epochs, nowMs) {
            let recent = try reader.epochs(limit: 24)
            let current = try recent.first.flatMap { try reader.epochSummary($0.sidechainEpoch) }
            let counts = try reader.blockCountsPerEpoch(scope: .ours, count: 24)
            return EpochInfo(recent: recent, current: current, ourCounts: counts)
        }
    }

    private static func fetch<V: Sendable>(_ part: inout DashboardPart<V>, _ nowMs: UInt64, _ body: () throws -> V) {
        do {
            part.succeed(try body(), atMs: nowMs)
        } catch {
            part.fail("database query failed: \(error)")
        }
    }
}
