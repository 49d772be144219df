import Foundation

/// What the push is doing and how far behind it is: for `remote status`, metrics and logs.
public struct RemotePushStatus: Sendable, Codable, Hashable {
    /// The phase of the pusher.
    public enum State: String, Sendable, Codable, Hashable {
        /// No cycle has finished yet.
        case starting
        /// The last cycle left the remote equal to the local snapshot it read.
        case inSync = "in_sync"
        /// A cycle is writing.
        case pushing
        /// The last cycle failed; the next attempt is scheduled.
        case retrying
        /// The service has stopped.
        case stopped
    }

    /// Per-table figures.
    public struct Table: Sendable, Codable, Hashable {
        /// Table name.
        public var name: String
        /// Rows of this instance in the remote table as of the last cycle.
        public var remoteRows: Int64
        /// Highest chunk-column value pushed (e.g. the newest block number), nil when unknown.
        public var watermark: Int64?
        /// Rows found different and not yet written in the current / last cycle.
        public var rowsBehind: Int64
    }

    /// The server, masked (`postgres://user:***@host:port/db`).
    public var target: String
    /// This instance's name.
    public var instanceName: String
    /// Chain label.
    public var chain: String
    /// Current phase.
    public var state: State
    /// When the last cycle started (Unix ms).
    public var lastAttemptMs: Int64?
    /// When a cycle last succeeded (Unix ms).
    public var lastSuccessMs: Int64?
    /// The remote equals the local database as it was at this time (Unix ms).
    public var inSyncAsOfMs: Int64?
    /// Rows still to write (summed over tables).
    public var rowsBehind: Int64
    /// Rows written since start.
    public var rowsPushedTotal: Int64
    /// Finished cycles since start.
    public var cycles: Int64
    /// Consecutive failed cycles.
    public var consecutiveFailures: Int
    /// The last error (masked), nil after a success.
    public var lastError: String?
    /// When it happened (Unix ms).
    public var lastErrorMs: Int64?
    /// Per-table detail.
    public var tables: [Table]

    /// The status of a push that could not even start (e.g. its configuration is unusable):
    /// state `retrying` with `error` as the last error, so status readers show why.
    public static func failedToStart(target: String, instanceName: String, chain: String, error: String, tables: [String] = []) -> RemotePushStatus {
        let now = nowMs()
        return RemotePushStatus(
            target: target, instanceName: instanceName, chain: chain, state: .retrying, lastAttemptMs: now, rowsBehind: 0,
            rowsPushedTotal: 0, cycles: 0, consecutiveFailures: 1, lastError: error, lastErrorMs: now,
            tables: tables.map { Table(name: $0, remoteRows: 0, watermark: nil, rowsBehind: 0) })
    }

    /// Seconds the remote is behind the local database at `nowMs` (nil before the first success).
    public func secondsBehind(nowMs: Int64) -> Double? {
        guard let inSyncAsOfMs else { return nil }
        return max(0, Double(nowMs - inSyncAsOfMs) / 1000)
    }

    /// Reads a status file written by a running pusher.
    public static func read(from path: String) throws(RemoteError) -> RemotePushStatus {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return try JSONDecoder().decode(RemotePushStatus.self, from: data)
        } catch {
            throw .localDatabase(path: path, operation: "reading the push status file", message: "\(error)")
        }
    }

    /// Writes the status as JSON to `path` atomically (failures to write are ignored: the status
    /// file is informational).
    public func write(to path: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self) else { return }
        try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// What one `push` did.
public struct PushReport: Sendable, Hashable {
    /// Whether it compared every chunk.
    public var fullScan: Bool
    /// Rows written (upserted).
    public var rowsWritten: Int64
    /// Chunks rewritten.
    public var chunksWritten: Int
    /// Chunks deleted remotely because they vanished locally.
    public var chunksRemoved: Int
    /// Rows that differed when the cycle started.
    public var rowsBehindAtStart: Int64
    /// Wall time of the cycle, seconds.
    public var seconds: Double
}
