import Foundation
import GRDB

/// Connection settings shared by writers and readers.
public struct StoreOptions: Sendable {
    /// How long a connection waits for a lock before failing with `SQLITE_BUSY`.
    public var busyTimeout: Duration
    /// Whether foreign keys are enforced.
    public var foreignKeys: Bool

    /// Creates options; the defaults are a 30-second busy timeout and foreign keys on.
    public init(busyTimeout: Duration = .seconds(30), foreignKeys: Bool = true) {
        self.busyTimeout = busyTimeout
        self.foreignKeys = foreignKeys
    }

    func configuration(readonly: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readonly
        configuration.foreignKeysEnabled = foreignKeys
        let seconds = Double(busyTimeout.components.seconds) + Double(busyTimeout.components.attoseconds) / 1e18
        configuration.busyMode = .timeout(seconds)
        configuration.journalMode = readonly ? .default : .wal
        if !readonly {
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        return configuration
    }
}

/// A SQLite database opened for writing: WAL mode, `synchronous=NORMAL`, a busy timeout, and
/// the application's migrations applied.
///
/// One process writes through ``writer`` (a GRDB `DatabasePool`: writes are serialised, reads run
/// concurrently). Other processes open the same file with ``SQLiteStore/openReader(path:options:)``
/// and read while the writer runs.
public final class SQLiteStore: Sendable {
    /// The database file.
    public let path: String
    /// The GRDB connection pool (the single writer, plus concurrent readers in this process).
    public let writer: DatabasePool
    private let migrations: StoreMigrations

    private init(path: String, writer: DatabasePool, migrations: StoreMigrations) {
        self.path = path
        self.writer = writer
        self.migrations = migrations
    }

    /// Opens (creating if needed) the database at `path` and applies `migrations`.
    ///
    /// - Throws: ``StoreError`` naming `path` when the file cannot be opened or a migration fails.
    public static func open(
        path: String, migrations: StoreMigrations = StoreMigrations(), options: StoreOptions = StoreOptions()
    ) throws -> SQLiteStore {
        let pool: DatabasePool
        do {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            pool = try DatabasePool(path: path, configuration: options.configuration(readonly: false))
        } catch {
            throw StoreError(path: path, code: .open, underlying: "\(error)")
        }
        try migrations.apply(to: pool, path: path)
        return SQLiteStore(path: path, writer: pool, migrations: migrations)
    }

    /// Opens `path` read-only (for query commands and dashboards running beside the writer).
    ///
    /// - Throws: ``StoreError`` naming `path` when the file does not exist or cannot be opened.
    public static func openReader(path: String, options: StoreOptions = StoreOptions()) throws -> DatabaseQueue {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(path: path, code: .open, underlying: "no such file")
        }
        do {
            return try DatabaseQueue(path: path, configuration: options.configuration(readonly: true))
        } catch {
            throw StoreError(path: path, code: .open, underlying: "\(error)")
        }
    }

    /// The identifiers of the migrations recorded in the database, in order.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try migrations.applied(db) }
    }

    /// Runs SQLite's `integrity_check` (or the faster `quick_check`).
    ///
    /// - Returns: the problems reported; empty when the database is sound.
    public func integrityCheck(quick: Bool = false) throws -> [String] {
        try Self.integrityCheck(writer, path: path, quick: quick)
    }

    /// Runs `integrity_check` / `quick_check` through any GRDB reader (for example a read-only
    /// queue from ``openReader(path:options:)``).
    public static func integrityCheck(_ reader: any DatabaseReader, path: String, quick: Bool = false) throws -> [String] {
        do {
            let rows = try reader.read { db in
                try String.fetchAll(db, sql: quick ? "PRAGMA quick_check" : "PRAGMA integrity_check")
            }
            return rows == ["ok"] ? [] : rows
        } catch {
            throw StoreError(path: path, code: .integrityCheck, underlying: "\(error)")
        }
    }

    /// Writes a consistent copy of the database to `destination` (SQLite's online backup; the
    /// writer keeps running). The copy is written to a temporary name and renamed into place.
    ///
    /// - Throws: ``StoreError`` `.backup` naming both files.
    public func backup(to destination: String) throws {
        let temporary = destination + ".partial-\(getpid())"
        do {
            try? FileManager.default.removeItem(atPath: temporary)
            let target = try DatabaseQueue(path: temporary)
            try writer.backup(to: target)
            try target.close()
            if FileManager.default.fileExists(atPath: destination) {
                try FileManager.default.removeItem(atPath: destination)
            }
            try FileManager.default.moveItem(atPath: temporary, toPath: destination)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw StoreError(path: path, code: .backup(destination), underlying: "\(error)")
        }
    }

    /// Writes a backup beside the database: `<path>.<tag>.bak` (for example before a migration).
    ///
    /// - Returns: the backup's path.
    @discardableResult
    public func backupNextToDatabase(tag: String) throws -> String {
        let destination = "\(path).\(tag).bak"
        try backup(to: destination)
        return destination
    }

    /// Closes the connections (further use throws).
    public func close() throws {
        try writer.close()
    }
}
