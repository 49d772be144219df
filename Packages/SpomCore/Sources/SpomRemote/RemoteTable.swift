/// The PostgreSQL type a pushed column gets.
public enum RemoteColumnType: String, Sendable, Hashable, CaseIterable {
    /// `BIGINT` (SQLite INTEGER).
    case bigint = "BIGINT"
    /// `DOUBLE PRECISION` (SQLite REAL).
    case double = "DOUBLE PRECISION"
    /// `TEXT`.
    case text = "TEXT"
    /// `BYTEA` (SQLite BLOB: hashes and other raw bytes).
    case bytea = "BYTEA"
    /// `BOOLEAN` (SQLite INTEGER 0 / 1 flags).
    case boolean = "BOOLEAN"
}

/// One column of a pushed table: the same name locally and remotely.
public struct RemoteColumn: Sendable, Hashable {
    /// Column name (a plain SQL identifier: letters, digits, underscore).
    public var name: String
    /// Its PostgreSQL type.
    public var type: RemoteColumnType

    /// Creates a column.
    public init(_ name: String, _ type: RemoteColumnType) {
        self.name = name
        self.type = type
    }
}

/// An application table that the push copies from SQLite to PostgreSQL.
///
/// The remote table has the same name and columns, plus `instance_name` and `chain` in front (the
/// instance that pushed the row and its chain label) and `spom_push_id` at the end (bookkeeping).
/// Its primary key is `(instance_name, chain, naturalKey…)`, so instances never collide.
///
/// Change detection needs nothing from the application: rows are grouped into chunks of
/// `chunkSize` consecutive values of the integer `chunkColumn` (one chunk when it is nil), and
/// a chunk is pushed again whenever its row count or content checksum differs from what was
/// last pushed. Reorgs, late attribution, finality flips and deletions are all caught.
public struct RemoteTable: Sendable, Hashable {
    /// Table name, locally and remotely.
    public var name: String
    /// The pushed columns (without `chain` when `localChainColumn` is set: the engine writes it).
    public var columns: [RemoteColumn]
    /// The columns that identify a row within one instance (a subset of `columns`); empty for a
    /// table that holds one row per chain (e.g. a status row keyed by its chain column).
    public var naturalKey: [String]
    /// A non-negative integer column that orders rows into chunks (e.g. block number, epoch, id);
    /// nil for small tables pushed as a single chunk.
    public var chunkColumn: String?
    /// Consecutive `chunkColumn` values per chunk.
    public var chunkSize: Int64
    /// The local column holding the chain label; when set, only rows with the configured chain are
    /// pushed. Nil when the local table has no such column.
    public var localChainColumn: String?
    /// How many chunks below the newest one are compared on every cycle (the "unfinalized"
    /// window); older chunks are compared on full scans.
    public var trailingChunks: Int64
    /// Extra `CREATE INDEX` column lists for the remote table (each prefixed with
    /// `instance_name, chain`).
    public var remoteIndexes: [[String]]

    /// Creates a table description.
    public init(
        name: String, columns: [RemoteColumn], naturalKey: [String], chunkColumn: String? = nil,
        chunkSize: Int64 = 1_000, localChainColumn: String? = nil, trailingChunks: Int64 = 2,
        remoteIndexes: [[String]] = []
    ) {
        self.name = name
        self.columns = columns
        self.naturalKey = naturalKey
        self.chunkColumn = chunkColumn
        self.chunkSize = max(1, chunkSize)
        self.localChainColumn = localChainColumn
        self.trailingChunks = max(0, trailingChunks)
        self.remoteIndexes = remoteIndexes
    }

    /// Checks that names are plain identifiers and the keys refer to pushed columns.
    public func validate() throws(RemoteError) {
        let names = columns.map(\.name)
        for name in [name] + names + naturalKey + [chunkColumn, localChainColumn].compactMap({ $0 }) {
            guard Self.isIdentifier(name) else {
                throw .invalidTable(table: self.name, reason: "\"\(name)\" is not a plain SQL identifier")
            }
        }
        if names.isEmpty { throw .invalidTable(table: name, reason: "no columns") }
        if Set(names).count != names.count { throw .invalidTable(table: name, reason: "a column is listed twice") }
        for reserved in ["instance_name", "chain", "spom_push_id"] where names.contains(reserved) {
            throw .invalidTable(table: name, reason: "column \"\(reserved)\" is added by the push; don't list it")
        }
        if naturalKey.isEmpty && chunkColumn != nil {
            throw .invalidTable(table: name, reason: "an empty natural key (one row per instance and chain) needs chunkColumn nil")
        }
        for key in naturalKey where !names.contains(key) {
            throw .invalidTable(table: name, reason: "natural key column \"\(key)\" is not a pushed column")
        }
        if let chunkColumn, !names.contains(chunkColumn) {
            throw .invalidTable(table: name, reason: "chunk column \"\(chunkColumn)\" is not a pushed column")
        }
    }

    static func isIdentifier(_ s: String) -> Bool {
        func letter(_ c: Unicode.Scalar) -> Bool { c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
        guard let first = s.unicodeScalars.first, letter(first), s.unicodeScalars.count <= 63 else { return false }
        return s.unicodeScalars.allSatisfy { letter($0) || ("0"..."9").contains($0) }
    }
}

/// The remote schema an application pushes: its tables, a PostgreSQL schema (namespace) to keep
/// them in, and a version with migrations.
///
/// The push creates the namespace and tables itself and records the version in
/// `<namespace>.spom_schema_version`; a later version's `migrations` bring an older remote up to date.
public struct RemoteSchema: Sendable, Hashable {
    /// PostgreSQL schema (namespace) holding the tables, e.g. the application's short name.
    public var namespace: String
    /// Version of the remote layout this build writes.
    public var version: Int
    /// The pushed tables, in push order.
    public var tables: [RemoteTable]
    /// SQL run to go from version `key - 1` to `key` (`{ns}` is replaced by the quoted namespace).
    /// Tables that don't exist yet are created from `tables` after the migrations run.
    public var migrations: [Int: [String]]

    /// Creates a schema.
    public init(namespace: String, version: Int, tables: [RemoteTable], migrations: [Int: [String]] = [:]) {
        self.namespace = namespace
        self.version = version
        self.tables = tables
        self.migrations = migrations
    }

    /// Validates every table and the namespace.
    public func validate() throws(RemoteError) {
        guard RemoteTable.isIdentifier(namespace) else {
            throw .invalidTable(table: namespace, reason: "the namespace is not a plain SQL identifier")
        }
        guard version >= 1 else { throw .invalidTable(table: namespace, reason: "schema version must be at least 1") }
        for table in tables { try table.validate() }
        if Set(tables.map(\.name)).count != tables.count {
            throw .invalidTable(table: namespace, reason: "a table is listed twice")
        }
    }
}
