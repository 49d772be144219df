import Foundation
import GRDBSQLite
import Synchronization

/// Tells cheaply whether the database changed: SQLite's `PRAGMA data_version` on a connection of
/// its own, which changes whenever another connection (the sync daemon) commits.
///
/// Readers that cache results derived from the database (the API's response cache) compare the
/// version before serving a cached result; a commit between the check and the query only makes the
/// cached result newer than its version, never older, so nothing stale is served after a change is
/// visible. The connection is a bare SQLite handle with one prepared statement behind a mutex
/// (a GRDB queue's dispatch hop cost more than the pragma itself, on every API request).
///
/// ```swift
/// let probe = try MidnightDatabase.openChangeProbe(path: "mvm.db")
/// let version = try probe.version()   // equal values: nothing was committed in between
/// ```
public final class StoreChangeProbe: Sendable {
    /// The connection and its prepared `PRAGMA data_version` (nil once closed).
    /// Raw SQLite pointers, only ever used while `handles` is locked.
    private struct Handles {
        var connection: OpaquePointer?
        var statement: OpaquePointer?
    }

    private let handles: Mutex<Handles>
    /// The database file.
    public let path: String

    fileprivate init(path: String) throws {
        self.path = path
        var connection: OpaquePointer?
        let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
        var code = sqlite3_open_v2(path, &connection, flags, nil)
        var statement: OpaquePointer?
        if code == SQLITE_OK {
            sqlite3_busy_timeout(connection, 5000)
            code = sqlite3_prepare_v2(connection, "PRAGMA data_version", -1, &statement, nil)
        }
        guard code == SQLITE_OK, let connection, let statement else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_finalize(statement)
            sqlite3_close_v2(connection)
            throw StoreError.sqlite(operation: "opening read-only", path: path, message: message)
        }
        handles = Mutex(Handles(connection: connection, statement: statement))
    }

    deinit {
        handles.withLock { Self.close(&$0) }
    }

    /// The connection's current data version.
    public func version() throws -> Int64 {
        try handles.withLock { handles in
            guard let connection = handles.connection, let statement = handles.statement else {
                throw StoreError.sqlite(operation: "reading the data version", path: path, message: "probe closed")
            }
            defer { sqlite3_reset(statement) }
            guard sqlite3_step(statement) == SQLITE_ROW else {
                throw StoreError.sqlite(operation: "reading the data version", path: path, message: String(cString: sqlite3_errmsg(connection)))
            }
            return sqlite3_column_int64(statement, 0)
        }
    }

    /// Closes the probe's connection (further ``version()`` calls throw).
    public func close() throws {
        handles.withLock { Self.close(&$0) }
    }

    private static func close(_ handles: inout Handles) {
        sqlite3_finalize(handles.statement)
        sqlite3_close_v2(handles.connection)
        handles = Handles(connection: nil, statement: nil)
    }
}

extension MidnightDatabase {
    /// Opens a ``StoreChangeProbe`` on the database at `path` (read-only; the file must exist).
    public static func openChangeProbe(path: String) throws -> StoreChangeProbe {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.databaseNotFound(path: path) }
        return try StoreChangeProbe(path: path)
    }
}
