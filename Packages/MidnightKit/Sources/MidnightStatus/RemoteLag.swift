import Foundation

extension StatusReport {
    /// The remote database push (or replica) as `mvm status` and the metrics show it: how far the
    /// remote is behind and why.
    public struct Remote: Codable, Sendable, Equatable {
        /// `postgresql` or `sqlite_replica`.
        public var kind: String
        /// Masked URL or replica path.
        public var destination: String?
        /// The pusher's phase (`starting`, `in_sync`, `pushing`, `retrying`, `stopped`), `copied` /
        /// `failing` for a replica, `unknown` when no running daemon has reported.
        public var state: String
        /// Newest block number in the remote.
        public var watermarkBlock: Int64?
        /// Rows found different and not yet pushed.
        public var lagRows: Int64?
        /// Seconds the remote is behind the local database.
        public var lagSeconds: Double?
        /// The last error (password masked), nil after a success.
        public var lastError: String?

        /// Creates a value.
        public init(
            kind: String, destination: String?, state: String, watermarkBlock: Int64?, lagRows: Int64?, lagSeconds: Double?,
            lastError: String?
        ) {
            self.kind = kind
            self.destination = destination
            self.state = state
            self.watermarkBlock = watermarkBlock
            self.lagRows = lagRows
            self.lagSeconds = lagSeconds
            self.lastError = lastError
        }

        /// One line for people: `Remote: in_sync, 1.2 s behind (0 rows), block 1234 -> postgres://…`.
        public var line: String {
            var text = "Remote: \(state)"
            if let lagSeconds { text += ", \(String(format: "%.1f", lagSeconds)) s behind" }
            if let lagRows { text += " (\(lagRows) rows)" }
            if let watermarkBlock { text += ", block \(watermarkBlock)" }
            if let destination { text += " -> \(destination)" }
            if let lastError { text += " | last error: \(lastError)" }
            return text
        }
    }
}

/// The status file the sync daemon's remote push writes beside the database
/// (`<database>.remote-status.json`, written by SpomRemote's pusher or replica service), read by
/// processes that don't run the push: `mvm status` and the API's metrics.
public enum RemoteLagFile {
    /// `<database>.remote-status.json` (the same path MidnightRemote writes).
    public static func path(databasePath: String) -> String { databasePath + ".remote-status.json" }

    /// The remote's state from the status file, nil when there is none (remote off or never run).
    public static func read(databasePath: String, nowMs: Int64) -> StatusReport.Remote? {
        guard let data = FileManager.default.contents(atPath: path(databasePath: databasePath)),
              let file = try? JSONDecoder().decode(FileShape.self, from: data)
        else { return nil }
        if let target = file.target {
            // A PostgreSQL push status.
            return StatusReport.Remote(
                kind: "postgresql", destination: target, state: file.state ?? "unknown",
                watermarkBlock: file.tables?.first { $0.name == "blocks" }?.watermark, lagRows: file.rowsBehind,
                lagSeconds: file.inSyncAsOfMs.map { max(0, Double(nowMs - $0) / 1000) }, lastError: file.lastError)
        }
        return StatusReport.Remote(
            kind: "sqlite_replica", destination: file.destination, state: file.lastError == nil ? (file.lastCopyMs == nil ? "starting" : "copied") : "failing",
            watermarkBlock: nil, lagRows: nil, lagSeconds: file.lastCopyMs.map { max(0, Double(nowMs - $0) / 1000) }, lastError: file.lastError)
    }

    /// The fields read from either kind of status file.
    private struct FileShape: Decodable {
        struct Table: Decodable {
            var name: String
            var watermark: Int64?
        }
        var target: String?
        var state: String?
        var rowsBehind: Int64?
        var inSyncAsOfMs: Int64?
        var lastError: String?
        var tables: [Table]?
        var destination: String?
        var lastCopyMs: Int64?
    }
}
