import Foundation
import SpomRemote

/// The remote push as `mvm remote status`, `mvm status` and the metrics show it.
public struct MidnightRemoteStatus: Sendable, Codable, Hashable {
    /// Whether a remote is configured and enabled.
    public var enabled: Bool
    /// `postgresql` or `sqlite_replica`.
    public var kind: MidnightRemoteSettings.Kind?
    /// Masked URL or replica path.
    public var destination: String?
    /// `starting`, `in_sync`, `pushing`, `retrying`, `stopped` (PostgreSQL), or `copied` / `failing`
    /// (replica), or `unknown` when no running pusher has reported.
    public var state: String
    /// Newest block number pushed (PostgreSQL).
    public var watermarkBlock: Int64?
    /// Rows still to push.
    public var lagRows: Int64?
    /// Seconds the remote is behind the local database (time since the snapshot it equals).
    public var lagSeconds: Double?
    /// Last successful push / copy (Unix ms).
    public var lastSuccessMs: Int64?
    /// Last error (masked), nil after a success.
    public var lastError: String?
    /// When it happened (Unix ms).
    public var lastErrorMs: Int64?
    /// Consecutive failures.
    public var consecutiveFailures: Int
    /// Rows pushed (PostgreSQL) or copies made (replica) since the service started.
    public var total: Int64

    /// Remote disabled.
    public static let disabled = MidnightRemoteStatus(
        enabled: false, kind: nil, destination: nil, state: "disabled", consecutiveFailures: 0, total: 0)

    /// From a PostgreSQL pusher's status.
    public init(push status: RemotePushStatus, nowMs: Int64) {
        self.init(
            enabled: true, kind: .postgresql, destination: status.target, state: status.state.rawValue,
            watermarkBlock: status.tables.first { $0.name == MidnightRemoteSchema.blocks.name }?.watermark,
            lagRows: status.rowsBehind, lagSeconds: status.secondsBehind(nowMs: nowMs), lastSuccessMs: status.lastSuccessMs,
            lastError: status.lastError, lastErrorMs: status.lastErrorMs, consecutiveFailures: status.consecutiveFailures,
            total: status.rowsPushedTotal)
    }

    /// From a replica service's status.
    public init(replica status: ReplicaStatus, nowMs: Int64) {
        self.init(
            enabled: true, kind: .sqliteReplica, destination: status.destination,
            state: status.lastError == nil ? (status.lastCopyMs == nil ? "starting" : "copied") : "failing",
            lagSeconds: status.lastCopyMs.map { max(0, Double(nowMs - $0) / 1000) }, lastSuccessMs: status.lastCopyMs,
            lastError: status.lastError, lastErrorMs: status.lastErrorMs, consecutiveFailures: status.lastError == nil ? 0 : 1,
            total: status.copies)
    }

    /// Creates a status from parts.
    public init(
        enabled: Bool, kind: MidnightRemoteSettings.Kind?, destination: String?, state: String, watermarkBlock: Int64? = nil,
        lagRows: Int64? = nil, lagSeconds: Double? = nil, lastSuccessMs: Int64? = nil, lastError: String? = nil,
        lastErrorMs: Int64? = nil, consecutiveFailures: Int, total: Int64
    ) {
        self.enabled = enabled
        self.kind = kind
        self.destination = destination
        self.state = state
        self.watermarkBlock = watermarkBlock
        self.lagRows = lagRows
        self.lagSeconds = lagSeconds
        self.lastSuccessMs = lastSuccessMs
        self.lastError = lastError
        self.lastErrorMs = lastErrorMs
        self.consecutiveFailures = consecutiveFailures
        self.total = total
    }

    /// Reads what the running service last wrote to its status file (see
    /// ``MidnightRemote/statusFilePath(databasePath:)``); `unknown` state when there is none yet.
    public static func read(settings: MidnightRemoteSettings, statusFile: String, nowMs: Int64) -> MidnightRemoteStatus {
        guard settings.enabled else { return .disabled }
        switch settings.kind {
        case .postgresql:
            if let status = try? RemotePushStatus.read(from: statusFile) { return MidnightRemoteStatus(push: status, nowMs: nowMs) }
            return MidnightRemoteStatus(enabled: true, kind: .postgresql, destination: settings.maskedURL, state: "unknown", consecutiveFailures: 0, total: 0)
        case .sqliteReplica:
            if let status = try? ReplicaStatus.read(from: statusFile) { return MidnightRemoteStatus(replica: status, nowMs: nowMs) }
            return MidnightRemoteStatus(enabled: true, kind: .sqliteReplica, destination: settings.path, state: "unknown", consecutiveFailures: 0, total: 0)
        }
    }

    /// Lines for `mvm remote status`.
    public var lines: [String] {
        guard enabled else { return ["remote: disabled"] }
        var lines = ["remote: \(kind?.rawValue ?? "?") -> \(destination ?? "?")", "state: \(state)"]
        if let watermarkBlock { lines.append("watermark: block \(watermarkBlock)") }
        if let lagRows { lines.append("lag: \(lagRows) rows") }
        if let lagSeconds { lines.append("behind: \(String(format: "%.1f", lagSeconds)) s") }
        if let lastSuccessMs { lines.append("last success: \(Self.iso(lastSuccessMs))") }
        if let lastError { lines.append("last error: \(lastError)" + (lastErrorMs.map { " (\(Self.iso($0)))" } ?? "")) }
        return lines
    }

    /// One Prometheus sample.
    public struct Sample: Sendable, Hashable {
        /// Metric name.
        public var name: String
        /// HELP text.
        public var help: String
        /// `gauge` or `counter`.
        public var type: String
        /// Value.
        public var value: Double
    }

    /// The samples to export: `mvm_remote_push_lag_rows`, `mvm_remote_push_lag_seconds`,
    /// `mvm_remote_push_consecutive_failures`, `mvm_remote_push_last_success_timestamp_seconds`,
    /// `mvm_remote_push_watermark_block`, `mvm_remote_pushed_total`.
    public var samples: [Sample] {
        guard enabled else { return [] }
        var result: [Sample] = [
            Sample(name: "mvm_remote_push_consecutive_failures", help: "Consecutive failed remote push cycles.", type: "gauge", value: Double(consecutiveFailures)),
            Sample(name: "mvm_remote_pushed_total", help: "Rows pushed (PostgreSQL) or copies made (SQLite replica) since start.", type: "counter", value: Double(total)),
        ]
        if let lagRows { result.append(Sample(name: "mvm_remote_push_lag_rows", help: "Rows not yet pushed to the remote database.", type: "gauge", value: Double(lagRows))) }
        if let lagSeconds { result.append(Sample(name: "mvm_remote_push_lag_seconds", help: "Seconds the remote database is behind the local one.", type: "gauge", value: lagSeconds)) }
        if let lastSuccessMs {
            result.append(Sample(name: "mvm_remote_push_last_success_timestamp_seconds", help: "Unix time of the last successful push or copy.", type: "gauge", value: Double(lastSuccessMs) / 1000))
        }
        if let watermarkBlock { result.append(Sample(name: "mvm_remote_push_watermark_block", help: "Newest block number pushed.", type: "gauge", value: Double(watermarkBlock))) }
        return result
    }

    static func iso(_ ms: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
