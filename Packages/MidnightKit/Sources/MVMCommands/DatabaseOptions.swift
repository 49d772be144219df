import ArgumentParser
import MidnightStore
import MVMCommandSupport

/// `-d/--db-path`, accepted before or after the subcommand name (v1 only took it before).
public struct DatabaseOptions: ParsableArguments, Sendable {
    /// The database file; default `[database] path`, `MVM_DB_PATH`, or v1's default.
    @Option(name: [.customShort("d"), .customLong("db-path")], help: ArgumentHelp("SQLite database file.", valueName: "path"))
    public var dbPath: String?

    /// Creates the defaults.
    public init() {}
}

/// Opening the database for reading, with errors phrased for the operator.
enum DatabaseAccess {
    /// Opens `path` read-only; a missing file says to run `mvm sync` first.
    static func reader(_ path: String) throws -> StoreReader {
        do {
            return try MidnightDatabase.openReader(path: path)
        } catch let error as StoreError {
            throw CommandFailure(error.description, hint: hint(error, path: path))
        }
    }

    /// Runs a query, rewording store errors.
    static func query<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw CommandFailure("\(what) failed: \(error.description)")
        }
    }

    static func hint(_ error: StoreError, path: String) -> String? {
        switch error {
        case .databaseNotFound:
            "pass -d/--db-path (or set MVM_DB_PATH / [database] path) if the database is elsewhere"
        default:
            nil
        }
    }
}
