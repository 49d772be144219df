import Foundation

/// Every failure of the MVM store, with the context needed to act on it.
///
/// `description` is a complete sentence for operators: it names the file, the table or the
/// argument at fault and, where there is one, the fix.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database file does not exist (readers never create it).
    case databaseNotFound(path: String)
    /// The database was written by a newer MVM than this one.
    case schemaTooNew(path: String, found: Int, supported: Int)
    /// The database has an older schema that only the writer (`mvm sync`) migrates.
    case schemaNeedsMigration(path: String, found: Int, supported: Int)
    /// The file is an SQLite database, but not one of MVM's.
    case unrecognizedDatabase(path: String, reason: String)
    /// Migrating a v1 database failed; the transaction was rolled back and the file left as it was.
    case migrationFailed(path: String, step: String, reason: String, backupPath: String?)
    /// A v1 row could not be converted (bad hex, wrong key length...).
    case invalidV1Row(table: String, rowID: Int64, column: String, reason: String)
    /// A caller passed a value the store cannot accept.
    case invalidArgument(name: String, value: String, reason: String)
    /// A block with this number is already stored with a different hash (use `replaceBlocks`).
    case blockConflict(number: UInt64, storedHash: String, newHash: String)
    /// A reorg tried to replace a block that is already finalized.
    case finalizedBlockReplaced(number: UInt64, hash: String)
    /// SQLite reported an error.
    case sqlite(operation: String, path: String, message: String)
    /// The write did not fit: the disk is full, or the file reached its size cap
    /// (``StoreWriter/limitSize(maxPages:)``). The transaction was rolled back; nothing of it is stored.
    case storageFull(path: String, operation: String)

    public var description: String {
        switch self {
        case .databaseNotFound(let path):
            return "database not found at \(path): run `mvm sync` first"
        case .schemaTooNew(let path, let found, let supported):
            return "database at \(path) has schema version \(found), newer than this mvm supports (\(supported)): upgrade mvm"
        case .schemaNeedsMigration(let path, let found, let supported):
            return "database at \(path) has schema version \(found) and needs migrating to version \(supported): start `mvm sync` once to migrate it"
        case .unrecognizedDatabase(let path, let reason):
            return "\(path) is not an MVM database: \(reason)"
        case .migrationFailed(let path, let step, let reason, let backupPath):
            let backup = backupPath.map { " (a copy taken before the attempt is at \($0))" } ?? ""
            return "migrating \(path) from schema v1 failed while \(step): \(reason); nothing was changed\(backup)"
        case .invalidV1Row(let table, let rowID, let column, let reason):
            return "v1 table \(table), row \(rowID), column \(column): \(reason)"
        case .invalidArgument(let name, let value, let reason):
            return "invalid \(name) \"\(value)\": \(reason)"
        case .blockConflict(let number, let storedHash, let newHash):
            return "block \(number) is stored with hash \(storedHash) but the new block has hash \(newHash): replace it as a reorg"
        case .finalizedBlockReplaced(let number, let hash):
            return "refusing to replace finalized block \(number) (\(hash))"
        case .sqlite(let operation, let path, let message):
            return "database \(path): \(operation) failed: \(message)"
        case .storageFull(let path, let operation):
            return "database \(path) is full (no space left on its disk, or its size cap reached) while \(operation): the write was rolled back; free space and the sync resumes where it stopped"
        }
    }
}
