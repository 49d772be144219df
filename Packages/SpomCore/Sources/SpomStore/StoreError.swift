/// A database operation failed; names the database file.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What was being done.
    public enum Code: Sendable, Equatable {
        /// Opening (or configuring) the database failed.
        case open
        /// A migration failed; carries its identifier.
        case migration(String)
        /// The database was written by a newer program version (it has migrations this one lacks).
        case newerSchema([String])
        /// The integrity check could not run.
        case integrityCheck
        /// Making a backup copy failed; carries the destination.
        case backup(String)
    }

    /// The database file.
    public let path: String
    /// What failed.
    public let code: Code
    /// The underlying error, described (GRDB's `DatabaseError` includes the SQLite message).
    public let underlying: String

    /// Creates an error.
    public init(path: String, code: Code, underlying: String) {
        self.path = path
        self.code = code
        self.underlying = underlying
    }

    /// A message naming the file and what failed.
    public var description: String {
        switch code {
        case .open: "cannot open database \(path): \(underlying)"
        case .migration(let id): "database \(path): migration \"\(id)\" failed: \(underlying)"
        case .newerSchema(let ids):
            "database \(path) was written by a newer version (unknown migrations: \(ids.joined(separator: ", ")))"
        case .integrityCheck: "database \(path): integrity check could not run: \(underlying)"
        case .backup(let destination): "database \(path): backup to \(destination) failed: \(underlying)"
        }
    }
}
