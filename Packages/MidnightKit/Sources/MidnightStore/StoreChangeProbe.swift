import Foundation
import GRDB

/// Tells cheaply whether the database changed: SQLite's `PRAGMA data_version` on a connection of
/// its own, which changes whenever another connection (the sync daemon) commits.
///
/// Readers that cache results derived from the database (the API's response cache) compare the
/// version before serving a cached result; a commit between the check and the query only makes the
/// cached result newer than its version, never older, so nothing stale is served after a change is
/// visible.
///
/// ```swift
/// let probe = try MidnightDatabase.openChangeProbe(path: "mvm.db")
/// let version = try probe.version()   // equal values: nothing was committed in between
/// ```
public final class StoreChangeProbe: Sendable {
    private let queue: DatabaseQueue
    /// The database file.
    public let path: String

    init(queue: DatabaseQueue, path: String) {
        self.queue = queue
        self.path = path
    }

    /// The connection's current data version.
    public func version() throws -> Int64 {
        try MidnightDatabase.wrap("reading the data version", path) {
            try queue.unsafeRead { db in try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0 }
        }
    }

    /// Closes the probe's connection.
    public func close() throws {
        try MidnightDatabase.wrap("closing", path) { try queue.close() }
    }
}

extension MidnightDatabase {
    /// Opens a ``StoreChangeProbe`` on the database at `path` (read-only; the file must exist).
    public static func openChangeProbe(path: String) throws -> StoreChangeProbe {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.databaseNotFound(path: path) }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(5)
        do {
            return StoreChangeProbe(queue: try DatabaseQueue(path: path, configuration: config), path: path)
        } catch {
            throw StoreError.sqlite(operation: "opening read-only", path: path, message: "\(error)")
        }
    }
}
