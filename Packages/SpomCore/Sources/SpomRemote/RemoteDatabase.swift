import Logging
import PostgresNIO

/// A plain connection to the remote database for reading back what was pushed: verification,
/// `remote status`, operations and tests.
public final class RemoteDatabase: Sendable {
    let session: PostgresSession

    private init(session: PostgresSession) { self.session = session }

    /// Connects (same error classification as the pusher: wrong credentials -> `.authentication`).
    public static func connect(_ target: PostgresTarget, connectTimeout: Duration = .seconds(10), logger: Logger) async throws(RemoteError) -> RemoteDatabase {
        RemoteDatabase(session: try await PostgresSession.connect(target, connectTimeout: connectTimeout, logger: logger))
    }

    /// Closes the connection.
    public func close() async { await session.close() }

    /// One instance's rows of `table`, ordered by the natural key, in the table's column order
    /// (values as ``SQLValue/normalized(for:)`` gives them, so they compare with local rows).
    public func rows(of table: RemoteTable, namespace: String, instance: String, chain: String) async throws(RemoteError) -> [[SQLValue]] {
        let columns = table.columns.map { quote($0.name) }.joined(separator: ", ")
        let order = table.naturalKey.isEmpty ? "" : " ORDER BY " + table.naturalKey.map(quote).joined(separator: ", ")
        var binds = PostgresBindings()
        binds.append(instance)
        binds.append(chain)
        let types = table.columns.map(\.type)
        return try await session.fetch(
            "SELECT \(columns) FROM \(quote(namespace)).\(quote(table.name)) WHERE instance_name = $1 AND chain = $2\(order)",
            binds, operation: "reading rows", table: table.name
        ) { row in
            var values: [SQLValue] = []
            values.reserveCapacity(types.count)
            for (cell, type) in zip(row, types) {
                if cell.bytes == nil { values.append(.null); continue }
                switch type {
                case .bigint: values.append(.integer(try cell.decode(Int64.self)))
                case .double: values.append(.real(try cell.decode(Double.self)))
                case .text: values.append(.text(try cell.decode(String.self)))
                case .boolean: values.append(.integer(try cell.decode(Bool.self) ? 1 : 0))
                case .bytea:
                    var buffer = try cell.decode(ByteBuffer.self)
                    values.append(.blob(buffer.readBytes(length: buffer.readableBytes) ?? []))
                }
            }
            return values
        }
    }

    /// Rows per (instance, chain) in `table`.
    public func rowCounts(of table: String, namespace: String) async throws(RemoteError) -> [String: Int64] {
        let rows = try await session.fetch(
            "SELECT instance_name || '/' || chain, count(*) FROM \(quote(namespace)).\(quote(table)) GROUP BY 1",
            operation: "counting rows", table: table) { try $0.decode((String, Int64).self) }
        return Dictionary(rows, uniquingKeysWith: +)
    }

    /// The recorded remote schema version (0 when the namespace has none yet).
    public func schemaVersion(namespace: String) async throws(RemoteError) -> Int {
        var binds = PostgresBindings()
        binds.append(namespace)
        let exists = try await session.fetch(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'spom_schema_version'",
            binds, operation: "looking for the schema version table") { try $0.decode(Int64.self) }.first ?? 0
        guard exists > 0 else { return 0 }
        let version = try await session.fetch("SELECT COALESCE(max(version), 0)::BIGINT FROM \(quote(namespace)).spom_schema_version",
                                              operation: "reading the schema version") { try $0.decode(Int64.self) }.first ?? 0
        return Int(version)
    }

    /// One row of `spom_push_state`: an instance's watermark for one table.
    public struct PushState: Sendable, Hashable {
        /// Instance name.
        public var instanceName: String
        /// Chain label.
        public var chain: String
        /// Table.
        public var table: String
        /// Highest chunk-column value pushed.
        public var watermark: Int64?
        /// Rows of the instance in the table.
        public var rows: Int64
        /// The remote equalled the instance's local database as of this time (Unix ms).
        public var inSyncAsOfMs: Int64
        /// The pushing application's version.
        public var appVersion: String
    }

    /// Every instance's push state in `namespace` (empty when nothing was pushed yet).
    public func pushStates(namespace: String) async throws(RemoteError) -> [PushState] {
        guard try await schemaVersion(namespace: namespace) > 0 else { return [] }
        return try await session.fetch(
            "SELECT instance_name, chain, table_name, watermark, row_count, in_sync_as_of_ms, app_version FROM \(quote(namespace)).spom_push_state ORDER BY 1, 2, 3",
            operation: "reading the push state"
        ) { row in
            let (instance, chain, table, watermark, rows, inSync, version) = try row.decode((String, String, String, Int64?, Int64, Int64, String).self)
            return PushState(instanceName: instance, chain: chain, table: table, watermark: watermark, rows: rows, inSyncAsOfMs: inSync, appVersion: version)
        }
    }

    /// Runs one statement (operations and tests, e.g. `DROP SCHEMA … CASCADE`).
    public func execute(_ sql: String) async throws(RemoteError) {
        try await session.execute(sql, operation: "running a statement")
    }
}

extension RemoteTable {
    /// A local row's values as the remote stores them (see ``SQLValue/normalized(for:)``).
    public func normalize(_ row: [SQLValue]) -> [SQLValue] {
        zip(row, columns).map { $0.normalized(for: $1.type) }
    }
}
