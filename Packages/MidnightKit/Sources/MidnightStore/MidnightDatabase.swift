import Foundation
import GRDB

/// Opens MVM databases: the sync daemon's writer and everybody else's read-only reader.
public enum MidnightDatabase {
    /// Opens (creating if needed) the database at `path` for writing.
    ///
    /// Creates the parent directories, switches the file to WAL with a busy timeout, creates schema v2
    /// in a new file, migrates a v1 file in place (after copying it to `<path>.v1-backup-<time>`),
    /// and refuses a file written by a newer MVM.
    public static func openWriter(path: String, options: WriterOptions = WriterOptions()) throws -> StoreWriter {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw StoreError.sqlite(operation: "creating the parent directory", path: path, message: "\(error)")
        }
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A 4 MiB page cache keeps a catch-up batch's dirty pages in memory (no mid-transaction
            // spills), and checkpointing every 8 MiB of WAL writes each hot page back once per many
            // blocks instead of once per commit.
            try db.execute(sql: "PRAGMA cache_size = -4096")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 8192")
            try db.execute(sql: "PRAGMA journal_size_limit = 16777216")
        }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch {
            throw StoreError.sqlite(operation: "opening", path: path, message: "\(error)")
        }
        let detected = try wrap("reading the schema version", path) { try queue.read { try StoreSchema.detect($0) } }
        var report: MigrationReport?
        switch detected {
        case .empty:
            try wrap("creating schema v2", path) {
                try queue.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA page_size = \(StoreSchema.pageSize)")
                    try db.execute(sql: "PRAGMA journal_mode = WAL")
                    try db.inTransaction(.immediate) {
                        try StoreSchema.create(db, chain: options.chain, createdBy: options.appVersion)
                        return .commit
                    }
                }
            }
        case .version(let version) where version == StoreSchema.currentVersion:
            try wrap("switching to WAL", path) { try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") } }
            try wrap("upgrading schema v2 to revision \(StoreSchema.currentRevision)", path) {
                try queue.writeWithoutTransaction { db in
                    try db.inTransaction(.immediate) {
                        try StoreSchema.upgrade(db, chain: options.chain)
                        return .commit
                    }
                }
            }
        case .version(1):
            report = try V1Migration(queue: queue, path: path, options: options).run()
        case .version(let version) where version > StoreSchema.currentVersion:
            throw StoreError.schemaTooNew(path: path, found: version, supported: StoreSchema.currentVersion)
        case .version(let version):
            throw StoreError.unrecognizedDatabase(path: path, reason: "unknown schema version \(version)")
        case .foreign(let reason):
            throw StoreError.unrecognizedDatabase(path: path, reason: reason)
        }
        let writer = StoreWriter(queue: queue, path: path, chain: options.chain, migration: report)
        if options.slotsPerEpoch != nil || options.slotDurationMs != nil {
            try writer.setChainTiming(slotsPerEpoch: options.slotsPerEpoch, slotDurationMs: options.slotDurationMs)
        }
        return writer
    }

    /// Opens the database at `path` read-only (for the CLI, API, dashboard and metrics).
    ///
    /// Throws ``StoreError/databaseNotFound(path:)`` when the file is missing (readers never create
    /// it), and a typed error when its schema is older (not yet migrated) or newer than this build.
    public static func openReader(path: String, chain: String = StoreSchema.defaultChain) throws -> StoreReader {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.databaseNotFound(path: path) }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(5)
        let database: any DatabaseReader
        do {
            database = try DatabasePool(path: path, configuration: config)
        } catch {
            do {
                database = try DatabaseQueue(path: path, configuration: config)
            } catch {
                throw StoreError.sqlite(operation: "opening read-only", path: path, message: "\(error)")
            }
        }
        let detected = try wrap("reading the schema version", path) { try database.read { try StoreSchema.detect($0) } }
        switch detected {
        case .version(let version) where version == StoreSchema.currentVersion:
            return StoreReader(database: database, path: path, chain: chain)
        case .version(let version) where version > StoreSchema.currentVersion:
            throw StoreError.schemaTooNew(path: path, found: version, supported: StoreSchema.currentVersion)
        case .version(let version):
            throw StoreError.schemaNeedsMigration(path: path, found: version, supported: StoreSchema.currentVersion)
        case .empty:
            throw StoreError.databaseNotFound(path: path)
        case .foreign(let reason):
            throw StoreError.unrecognizedDatabase(path: path, reason: reason)
        }
    }

    /// Runs `body`, turning GRDB errors into ``StoreError/sqlite(operation:path:message:)``.
    static func wrap<T>(_ operation: String, _ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            throw StoreError.storageFull(path: path, operation: operation)
        } catch let error as DatabaseError {
            throw StoreError.sqlite(operation: operation, path: path, message: error.message ?? error.description)
        } catch {
            throw StoreError.sqlite(operation: operation, path: path, message: "\(error)")
        }
    }
}
