import GRDB

/// An application's schema migrations, applied in registration order and recorded in the
/// database (GRDB's `grdb_migrations` table), so each runs once.
///
/// ```swift
/// var migrations = StoreMigrations()
/// migrations.register("v1-samples") { db in
///     try db.execute(sql: "CREATE TABLE samples (ts INTEGER NOT NULL, free_bytes INTEGER NOT NULL)")
/// }
/// let store = try SQLiteStore.open(path: path, migrations: migrations)
/// ```
public struct StoreMigrations: Sendable {
    var migrator = DatabaseMigrator()
    /// The identifiers registered so far, in order.
    public private(set) var identifiers: [String] = []

    /// Creates an empty list.
    public init() {}

    /// Adds a migration. Identifiers must be unique and never change once released.
    ///
    /// - Parameters:
    ///   - identifier: a stable name, for example `"v2-add-author-index"`.
    ///   - migrate: the schema change, run inside a transaction.
    public mutating func register(_ identifier: String, _ migrate: @escaping @Sendable (Database) throws -> Void) {
        identifiers.append(identifier)
        migrator.registerMigration(identifier, migrate: migrate)
    }

    /// Applies every migration not yet recorded in `writer`'s database.
    ///
    /// - Throws: ``StoreError`` `.newerSchema` when the database has migrations this program does
    ///   not know (it was written by a newer version), `.migration` when one fails.
    func apply(to writer: any DatabaseWriter, path: String) throws {
        let unknown = try writer.read { db in
            try migrator.appliedIdentifiers(db).subtracting(identifiers).sorted()
        }
        if !unknown.isEmpty {
            throw StoreError(path: path, code: .newerSchema(unknown), underlying: "")
        }
        let applied = try writer.read { db in try migrator.appliedIdentifiers(db) }
        for identifier in identifiers where !applied.contains(identifier) {
            do {
                try migrator.migrate(writer, upTo: identifier)
            } catch {
                throw StoreError(path: path, code: .migration(identifier), underlying: "\(error)")
            }
        }
    }

    /// The identifiers of the migrations recorded in `db`, in registration order.
    func applied(_ db: Database) throws -> [String] {
        try migrator.appliedMigrations(db)
    }
}
