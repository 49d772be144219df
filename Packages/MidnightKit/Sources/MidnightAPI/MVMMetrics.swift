import Foundation
import MidnightChain
import MidnightStatus
import MidnightStore
import SpomMetrics

/// Builds MVM's Prometheus document from the database on each scrape.
///
/// Naming follows the Prometheus exporter conventions: `mvm_` prefix, counters end in `_total`,
/// every series carries `chain` (and `instance_name` when configured), validator series carry `validator` (the sidechain key) for our
/// validators only unless ``MVMAPIConfiguration/metricsAllValidators`` is set. A value the
/// database does not know yet is left out (the family keeps its HELP and TYPE lines). When the
/// database cannot be read the document still answers, with `mvm_db_up 0` and `mvm_node_up 0`.
public enum MVMMetrics {
    /// Renders the document for `reader` (nil with `readError` when the database is unreadable).
    ///
    /// - Parameters:
    ///   - instanceName: `[integration] instance_name`, added as `instance_name` to every series.
    ///   - mainchainTiming: the Cardano epoch calendar for `mvm_mainchain_epoch_progress`.
    public static func exposition(
        reader: StoreReader?,
        readError: String? = nil,
        chain: String,
        version: String,
        allValidators: Bool,
        maxProgressAgeMs: UInt64,
        nowMs: UInt64,
        instanceName: String? = nil,
        mainchainTiming: MainchainTiming? = nil
    ) -> MetricsExposition {
        let started = ContinuousClock.now
        var metrics = MetricsExposition()
        var labels: MetricLabels = ["chain": chain]
        if let instanceName, !instanceName.isEmpty { labels = labels.adding("instance_name", instanceName) }
        metrics.gauge("mvm_build_info", help: "MVM build information; always 1.", value: 1, labels: labels.adding("version", version))
        guard let reader else {
            metrics.gauge("mvm_db_up", help: "Whether the database could be read at this scrape (1) or not (0).", value: 0, labels: labels)
            metrics.gauge("mvm_node_up", help: "Whether the sync daemon made progress within the health window (1) or not (0).", value: 0, labels: labels)
            return metrics
        }
        do {
            try addSeries(
                to: &metrics, reader: reader, labels: labels, allValidators: allValidators, maxProgressAgeMs: maxProgressAgeMs,
                nowMs: nowMs, mainchainTiming: mainchainTiming)
            metrics.gauge("mvm_db_up", help: "Whether the database could be read at this scrape (1) or not (0).", value: 1, labels: labels)
        } catch {
            metrics.gauge("mvm_db_up", help: "Whether the database could be read at this scrape (1) or not (0).", value: 0, labels: labels)
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        metrics.gauge("mvm_scrape_duration_seconds", help: "Time spent computing this document from the database.", value: seconds, labels: labels)
        return metrics
    }

    private static func addSeries(
        to metrics: inout MetricsExposition, reader: StoreReader, labels: MetricLabels,
        allValidators: Bool, maxProgressAgeMs: UInt64, nowMs: UInt64, mainchainTiming: MainchainTiming?
    ) throws {
        let sync = try reader.syncStatus()
        let stats = try reader.stats()
        func gauge(_ name: String, _ help: String, _ value: Double?) {
            metrics.declare(name, type: .gauge, help: help)
            if let value { metrics.gauge(name, help: help, value: value, labels: labels) }
        }
        let fresh = sync.lastProgressMs.map { nowMs >= $0 ? nowMs - $0 <= maxProgressAgeMs : true } ?? false
        gauge("mvm_node_up", "Whether the sync daemon made progress within the health window (1) or not (0).", fresh ? 1 : 0)
        // The node's own view (system_health), as the daemon last read it; left out until it has.
        gauge("mvm_node_peers", "Peers of the node (system_health), as the sync daemon last saw it.", sync.nodePeers.map { Double($0) })
        gauge("mvm_node_synced", "Whether the node said it is synced (1, system_health.isSyncing false) or syncing (0).",
              sync.nodeSynced.map { $0 ? 1 : 0 })
        gauge("mvm_node_block_height", "Best block of the node, as the sync daemon last saw it.", sync.chainTipBlock.map { Double($0) })
        gauge("mvm_node_finalized_height", "Finalized block of the node, as the sync daemon last saw it.", sync.lastFinalizedBlock.map { Double($0) })
        gauge("mvm_sync_last_block", "Highest block stored contiguously in the database.", sync.lastSyncedBlock.map { Double($0) })
        gauge("mvm_sync_blocks_behind", "Blocks between the node's best block and the last stored block.", sync.blocksBehind.map { Double($0) })
        gauge("mvm_sync_rate_bps", "Recent sync rate, blocks per second.", sync.blocksPerSecond)
        gauge("mvm_sync_last_progress_timestamp_seconds", "When the sync daemon last made progress (Unix seconds).",
              sync.lastProgressMs.map { Double($0) / 1000 })
        gauge("mvm_db_blocks", "Blocks stored in the database.", Double(stats.totalBlocks))
        let sidechainEpoch = sync.currentSidechainEpoch ?? stats.latestSidechainEpoch
        gauge("mvm_sidechain_epoch", "Current sidechain epoch.", sidechainEpoch.map { Double($0) })
        gauge("mvm_mainchain_epoch", "Current mainchain (Cardano) epoch.", sync.currentMainchainEpoch.map { Double($0) })
        var progress: Double?
        if let epoch = stats.latestSidechainEpoch, let summary = try reader.epochSummary(epoch), summary.isRunning {
            progress = summary.progress
        }
        gauge("mvm_sidechain_epoch_progress", "Fraction (0-1) of the current sidechain epoch's slots elapsed.", progress)
        gauge("mvm_mainchain_epoch_progress", "Fraction (0-1) of the current mainchain (Cardano) epoch elapsed.",
              mainchainProgress(timing: mainchainTiming, currentEpoch: sync.currentMainchainEpoch, nowMs: nowMs))
        // The remote push ([database.remote]), from the status file the sync daemon writes beside the database.
        if let remote = RemoteLagFile.read(databasePath: reader.path, nowMs: Int64(clamping: nowMs)) {
            gauge("mvm_remote_push_lag_seconds", "Seconds the remote database is behind the local one.", remote.lagSeconds)
            gauge("mvm_remote_push_lag_rows", "Rows not yet pushed to the remote database.", remote.lagRows.map { Double($0) })
            gauge("mvm_remote_push_up", "Whether the last remote push cycle succeeded (1) or failed (0).", remote.lastError == nil ? 1 : 0)
        }

        // Webhook deliveries (only when the sync daemon has run with [webhooks] enabled).
        if let webhooks = try reader.webhookDeliveryCounts() {
            metrics.counter("mvm_webhook_deliveries_total", help: "Webhook deliveries answered 2xx.", value: Double(webhooks.delivered), labels: labels)
            metrics.counter(
                "mvm_webhook_delivery_failures_total", help: "Webhook deliveries parked as failed after their last retry.",
                value: Double(webhooks.failed), labels: labels)
            gauge("mvm_webhook_outbox_pending", "Webhook deliveries waiting to be sent.", Double(webhooks.pending))
        }

        let requestsHelp = "RPC requests the sync daemon sent since it started."
        let failuresHelp = "RPC requests of the sync daemon that failed since it started."
        metrics.counter("mvm_rpc_requests_total", help: requestsHelp, value: Double(sync.rpcRequestsTotal), labels: labels)
        metrics.counter("mvm_rpc_request_failures_total", help: failuresHelp, value: Double(sync.rpcFailuresTotal), labels: labels)

        let validators = allValidators ? try allValidatorEntities(reader) : try reader.ourValidators()
        let blocksTotalHelp = "Blocks produced by the validator (stored blocks, all time)."
        let blocksEpochHelp = "Blocks produced by the validator in the current sidechain epoch."
        let seatsHelp = "Committee seats of the validator in the current sidechain epoch."
        let expectedHelp = "Blocks expected from the validator so far in the current sidechain epoch (seats / committee size x blocks)."
        let registeredHelp = "Whether the validator is registered or permissioned (1) or not (0); absent when unknown."
        metrics.declare("mvm_validator_blocks_total", type: .counter, help: blocksTotalHelp)
        metrics.declare("mvm_validator_blocks_epoch", type: .gauge, help: blocksEpochHelp)
        metrics.declare("mvm_validator_committee_seats", type: .gauge, help: seatsHelp)
        metrics.declare("mvm_validator_expected_blocks_epoch", type: .gauge, help: expectedHelp)
        metrics.declare("mvm_validator_is_registered", type: .gauge, help: registeredHelp)
        for validator in validators {
            let series = labels.adding("validator", validator.sidechainKey)
            metrics.counter("mvm_validator_blocks_total", help: blocksTotalHelp, value: Double(validator.blocksTotal), labels: series)
            metrics.gauge("mvm_validator_blocks_epoch", help: blocksEpochHelp, value: Double(validator.epochBlocks), labels: series)
            metrics.gauge("mvm_validator_committee_seats", help: seatsHelp, value: Double(validator.epochSeats), labels: series)
            metrics.gauge("mvm_validator_expected_blocks_epoch", help: expectedHelp, value: validator.epochExpectedBlocks, labels: series)
            if let registered = isRegistered(validator) {
                metrics.gauge("mvm_validator_is_registered", help: registeredHelp, value: registered ? 1 : 0, labels: series)
            }
        }
    }

    /// How far through the current Cardano epoch `nowMs` is, from the configured calendar; nil when
    /// no calendar is configured or when it disagrees with the epoch the node reported (a
    /// network whose timing differs from the preset), so that a wrong figure is never published.
    static func mainchainProgress(timing: MainchainTiming?, currentEpoch: UInt64?, nowMs: UInt64) -> Double? {
        guard let timing, timing.epochDurationMs > 0 else { return nil }
        let epoch = timing.epoch(timestampMs: nowMs)
        if let currentEpoch, currentEpoch != epoch { return nil }
        let start = timing.epochStartMs(epoch)
        guard nowMs >= start else { return 0 }
        return min(1, Double(nowMs - start) / Double(timing.epochDurationMs))
    }

    /// Registered or permissioned: true; another recorded status: false; nothing known: nil.
    static func isRegistered(_ validator: ValidatorEntity) -> Bool? {
        if validator.isPermissioned { return true }
        guard let status = validator.registrationStatus else { return nil }
        return ["permissioned", "registered", "registered_valid"].contains(status)
    }

    /// Every validator, page by page (bounded at 100 pages of 1000).
    static func allValidatorEntities(_ reader: StoreReader) throws -> [ValidatorEntity] {
        var all: [ValidatorEntity] = []
        for page in 0..<100 {
            let result = try reader.validators(ValidatorQuery(sort: .key, limit: 1000, offset: page * 1000))
            all += result.validators
            if result.validators.count < 1000 { break }
        }
        return all
    }
}
