import Foundation
import PostgresNIO

/// The remote side of the push: schema creation / migration and the per-chunk writes.
extension PostgresSession {
    /// Creates or migrates `schema` under an advisory lock (so instances starting together don't
    /// race), returning the version found before.
    func ensureSchema(_ schema: RemoteSchema, appVersion: String) async throws(RemoteError) -> Int {
        let ns = quote(schema.namespace)
        return try await transaction("creating the remote schema") { () throws(RemoteError) -> Int in
            var lockBinds = PostgresBindings()
            lockBinds.append("spom_remote:" + schema.namespace)
            try await execute("SELECT pg_advisory_xact_lock(hashtext($1))", lockBinds, operation: "locking the remote schema")
            try await execute("CREATE SCHEMA IF NOT EXISTS \(ns)", operation: "creating schema \(schema.namespace)")
            try await execute("""
                CREATE TABLE IF NOT EXISTS \(ns).spom_schema_version (
                    version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL, applied_by TEXT NOT NULL)
                """, operation: "creating spom_schema_version")
            let found = try await fetch("SELECT COALESCE(max(version), 0)::BIGINT FROM \(ns).spom_schema_version",
                                        operation: "reading the remote schema version") { try $0.decode(Int64.self) }.first ?? 0
            if found > schema.version {
                throw .remoteSchemaTooNew(target: target.maskedURL, namespace: schema.namespace, found: Int(found), supported: schema.version)
            }
            if found > 0 && found < schema.version {
                for version in (Int(found) + 1)...schema.version {
                    for sql in schema.migrations[version] ?? [] {
                        try await execute(sql.replacingOccurrences(of: "{ns}", with: ns), operation: "migrating the remote schema to version \(version)")
                    }
                }
            }
            for table in schema.tables {
                for sql in Self.createStatements(table, namespace: schema.namespace) {
                    try await execute(sql, operation: "creating table", table: table.name)
                }
            }
            try await execute("""
                CREATE TABLE IF NOT EXISTS \(ns).spom_push_chunks (
                    instance_name TEXT NOT NULL, chain TEXT NOT NULL, table_name TEXT NOT NULL, chunk BIGINT NOT NULL,
                    row_count BIGINT NOT NULL, checksum BIGINT NOT NULL, max_key BIGINT, pushed_ms BIGINT NOT NULL,
                    PRIMARY KEY (instance_name, chain, table_name, chunk))
                """, operation: "creating spom_push_chunks")
            try await execute("""
                CREATE TABLE IF NOT EXISTS \(ns).spom_push_state (
                    instance_name TEXT NOT NULL, chain TEXT NOT NULL, table_name TEXT NOT NULL,
                    watermark BIGINT, row_count BIGINT NOT NULL, in_sync_as_of_ms BIGINT NOT NULL,
                    app_version TEXT NOT NULL, PRIMARY KEY (instance_name, chain, table_name))
                """, operation: "creating spom_push_state")
            if found < schema.version {
                var binds = PostgresBindings()
                binds.append(Int64(schema.version))
                binds.append(nowMs())
                binds.append(appVersion)
                try await execute("INSERT INTO \(ns).spom_schema_version (version, applied_ms, applied_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                                  binds, operation: "recording the remote schema version")
            }
            return Int(found)
        }
    }

    /// `CREATE TABLE IF NOT EXISTS` plus indexes for one pushed table.
    static func createStatements(_ table: RemoteTable, namespace: String) -> [String] {
        let name = "\(quote(namespace)).\(quote(table.name))"
        var columns = ["instance_name TEXT NOT NULL", "chain TEXT NOT NULL"]
        columns += table.columns.map { column in
            "\(quote(column.name)) \(column.type.rawValue)" + (table.naturalKey.contains(column.name) ? " NOT NULL" : "")
        }
        columns.append("spom_push_id BIGINT NOT NULL")
        let key = (["instance_name", "chain"] + table.naturalKey.map(quote)).joined(separator: ", ")
        var statements = ["CREATE TABLE IF NOT EXISTS \(name) (\(columns.joined(separator: ", ")), PRIMARY KEY (\(key)))"]
        var indexes = table.remoteIndexes
        if let chunk = table.chunkColumn, table.naturalKey.first != chunk { indexes.insert([chunk], at: 0) }
        for index in indexes {
            let indexName = quote("\(table.name)_\(index.joined(separator: "_"))_idx")
            let list = (["instance_name", "chain"] + index.map(quote)).joined(separator: ", ")
            statements.append("CREATE INDEX IF NOT EXISTS \(indexName) ON \(name) (\(list))")
        }
        return statements
    }

    /// The chunk checksums last pushed for one table of one instance.
    func chunkState(namespace: String, table: String, instance: String, chain: String) async throws(RemoteError) -> [Int64: ChunkSummary] {
        var binds = PostgresBindings()
        binds.append(instance)
        binds.append(chain)
        binds.append(table)
        let rows = try await fetch(
            "SELECT chunk, row_count, checksum FROM \(quote(namespace)).spom_push_chunks WHERE instance_name = $1 AND chain = $2 AND table_name = $3",
            binds, operation: "reading the push state", table: table) { try $0.decode((Int64, Int64, Int64).self) }
        var result: [Int64: ChunkSummary] = [:]
        for (chunk, count, checksum) in rows { result[chunk] = ChunkSummary(rows: count, checksum: checksum) }
        return result
    }

    /// Upserts `rows` (all from chunks being replaced): each statement binds one array per column
    /// and unpacks them with `unnest`, so 10,000 rows are one statement and one round trip.
    ///
    /// `onlyChanged: true` leaves a row that is already there with the same values alone (no new
    /// row version, no index entries, its `spom_push_id` kept): a rewrite of a chunk whose rows
    /// mostly did not change (the tip's chunk on every cycle, `push --full`) then costs a key lookup
    /// per row instead of an update. The caller must then not delete by `spom_push_id` alone
    /// (see ``countChunkRows(_:namespace:chunks:instance:chain:)``).
    func upsert(_ table: RemoteTable, namespace: String, rows: ArraySlice<[SQLValue]>, instance: String, chain: String, pushID: Int64,
                onlyChanged: Bool = false) async throws(RemoteError) {
        let bindings = Self.upsertBindings(table, rows: rows, instance: instance, chain: chain, pushID: pushID)
        try await upsert(table, namespace: namespace, bindings: bindings, onlyChanged: onlyChanged)
    }

    /// Runs the upsert statements whose parameters ``upsertBindings(_:rows:instance:chain:pushID:)``
    /// encoded (possibly on another task, while the previous batch was being written).
    func upsert(_ table: RemoteTable, namespace: String, bindings: [PostgresBindings], onlyChanged: Bool) async throws(RemoteError) {
        guard !bindings.isEmpty else { return }
        let sql = Self.upsertStatement(table, namespace: namespace, onlyChanged: onlyChanged)
        for binds in bindings {
            try await execute(sql, binds, operation: "upserting rows", table: table.name)
        }
    }

    /// The parameters of the upsert statements for `rows`: $1 instance, $2 chain, $3 push id,
    /// then one binary array per column, 10,000 rows per statement. Encoding happens here (the
    /// bindings hold the bytes), so it can run off the connection's critical path.
    static func upsertBindings(_ table: RemoteTable, rows: ArraySlice<[SQLValue]>, instance: String, chain: String, pushID: Int64) -> [PostgresBindings] {
        let perStatement = 10_000
        var result: [PostgresBindings] = []
        var start = rows.startIndex
        while start < rows.endIndex {
            let end = min(start + perStatement, rows.endIndex)
            var binds = PostgresBindings(capacity: 3 + table.columns.count)
            binds.append(instance)
            binds.append(chain)
            binds.append(pushID)
            for (index, column) in table.columns.enumerated() {
                binds.append(PostgresColumnArray(rows: rows[start..<end], column: index, type: column.type))
            }
            result.append(binds)
            start = end
        }
        return result
    }

    /// Inserts rows of chunks the remote has never had, with a plain `INSERT` (no `ON CONFLICT`:
    /// PostgreSQL then skips the speculative-insertion probe of the primary key per row).
    /// Returns false, leaving the transaction aborted, when a row is already there (unique
    /// violation, e.g. the chunk records were deleted but the rows were not): the caller rolls
    /// back and upserts instead.
    func insertNew(_ table: RemoteTable, namespace: String, bindings: [PostgresBindings]) async throws(RemoteError) -> Bool {
        let sql = Self.insertStatement(table, namespace: namespace)
        for binds in bindings {
            try ensureOpen("inserting rows")
            do {
                let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
                for try await _ in rows {}
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
                return false
            } catch {
                throw Self.classify(error, target: target, operation: "inserting rows", table: table.name)
            }
        }
        return true
    }

    /// `INSERT … SELECT … FROM unnest($4::type[], …)` without a conflict clause (same parameters
    /// as ``upsertStatement(_:namespace:onlyChanged:)``).
    static func insertStatement(_ table: RemoteTable, namespace: String) -> String {
        let statement = upsertStatement(table, namespace: namespace, onlyChanged: false)
        guard let range = statement.range(of: " ON CONFLICT ") else { return statement }
        return String(statement[..<range.lowerBound])
    }

    /// `INSERT … SELECT … FROM unnest($4::type[], …) ON CONFLICT (key) DO UPDATE …` for `table`
    /// ($1 instance, $2 chain, $3 push id, then one array per column).
    static func upsertStatement(_ table: RemoteTable, namespace: String, onlyChanged: Bool) -> String {
        let names = table.columns.map { quote($0.name) }
        let columnList = (["instance_name", "chain"] + names + ["spom_push_id"]).joined(separator: ", ")
        let key = (["instance_name", "chain"] + table.naturalKey.map(quote)).joined(separator: ", ")
        let valueColumns = table.columns.filter { !table.naturalKey.contains($0.name) }.map { quote($0.name) }
        let arrays = table.columns.enumerated().map { index, column in
            "$\(index + 4)::\(column.type.rawValue)[]"
        }.joined(separator: ", ")
        let selected: String = names.map { "u.\($0)" }.joined(separator: ", ")
        let aliases: String = names.joined(separator: ", ")
        var parts: [String] = [
            "INSERT INTO \(quote(namespace)).\(quote(table.name)) AS t (\(columnList))",
            "SELECT $1, $2, \(selected), $3 FROM unnest(\(arrays)) AS u(\(aliases))",
        ]
        if onlyChanged && valueColumns.isEmpty {
            // Every column is part of the key: a row that is there is equal.
            parts.append("ON CONFLICT (\(key)) DO NOTHING")
        } else {
            let updates = valueColumns.map { "\($0) = EXCLUDED.\($0)" } + ["spom_push_id = EXCLUDED.spom_push_id"]
            parts.append("ON CONFLICT (\(key)) DO UPDATE SET \(updates.joined(separator: ", "))")
            if onlyChanged {
                let old = valueColumns.map { "t.\($0)" }.joined(separator: ", ")
                let new = valueColumns.map { "EXCLUDED.\($0)" }.joined(separator: ", ")
                parts.append("WHERE ROW(\(old)) IS DISTINCT FROM ROW(\(new))")
            }
        }
        return parts.joined(separator: " ")
    }

    /// The `WHERE` condition selecting the instance's rows of `chunks` (binds $1 instance, $2 chain,
    /// then its own), appended to `binds`.
    static func chunkCondition(_ table: RemoteTable, chunks: [Int64], instance: String, chain: String, binds: inout PostgresBindings) -> String {
        binds.append(instance)
        binds.append(chain)
        var sql = "instance_name = $1 AND chain = $2"
        if let column = table.chunkColumn, let low = chunks.min(), let high = chunks.max() {
            binds.append(low &* table.chunkSize)
            binds.append((high &+ 1) &* table.chunkSize)
            sql += " AND \(quote(column)) >= $3 AND \(quote(column)) < $4"
            if high - low + 1 != Int64(Set(chunks).count) {
                binds.append(chunks)
                sql += " AND (\(quote(column)) / \(table.chunkSize)) = ANY($5::bigint[])"
            }
        }
        return sql
    }

    /// How many rows the instance has in `chunks` (after an ``upsert(_:namespace:rows:instance:chain:pushID:onlyChanged:)``
    /// of every local row of those chunks: equal to the local count exactly when no stale row is left).
    func countChunkRows(_ table: RemoteTable, namespace: String, chunks: [Int64], instance: String, chain: String) async throws(RemoteError) -> Int64 {
        guard !chunks.isEmpty else { return 0 }
        var binds = PostgresBindings()
        let condition = Self.chunkCondition(table, chunks: chunks, instance: instance, chain: chain, binds: &binds)
        let rows = try await fetch("SELECT count(*) FROM \(quote(namespace)).\(quote(table.name)) WHERE \(condition)",
                                   binds, operation: "counting pushed rows", table: table.name) { try $0.decode(Int64.self) }
        return rows.first ?? 0
    }

    /// Deletes the instance's rows of `chunks` that were not written by push `keepPushID` (all
    /// of them when the chunk is gone locally: its rows carry older push ids), in one statement.
    func deleteChunkRows(_ table: RemoteTable, namespace: String, chunks: [Int64], instance: String, chain: String, keepPushID: Int64?) async throws(RemoteError) {
        guard !chunks.isEmpty else { return }
        var binds = PostgresBindings()
        var sql = "DELETE FROM \(quote(namespace)).\(quote(table.name)) WHERE "
            + Self.chunkCondition(table, chunks: chunks, instance: instance, chain: chain, binds: &binds)
        if let keepPushID {
            binds.append(keepPushID)
            sql += " AND spom_push_id <> $\(binds.count)"
        }
        try await execute(sql, binds, operation: "deleting replaced rows", table: table.name)
    }

    /// Records the checksums of the chunks just written, and forgets the chunks removed.
    func recordChunks(_ table: RemoteTable, namespace: String, written: [Int64: ChunkSummary], removed: [Int64], instance: String, chain: String) async throws(RemoteError) {
        if !written.isEmpty {
            let sorted = written.sorted { $0.key < $1.key }
            var binds = PostgresBindings()
            binds.append(instance)
            binds.append(chain)
            binds.append(table.name)
            binds.append(nowMs())
            binds.append(sorted.map(\.key))
            binds.append(sorted.map(\.value.rows))
            binds.append(sorted.map(\.value.checksum))
            try await execute("""
                INSERT INTO \(quote(namespace)).spom_push_chunks (instance_name, chain, table_name, chunk, row_count, checksum, pushed_ms)
                SELECT $1, $2, $3, u.chunk, u.row_count, u.checksum, $4 FROM unnest($5::bigint[], $6::bigint[], $7::bigint[]) AS u(chunk, row_count, checksum)
                ON CONFLICT (instance_name, chain, table_name, chunk) DO UPDATE
                SET row_count = EXCLUDED.row_count, checksum = EXCLUDED.checksum, pushed_ms = EXCLUDED.pushed_ms
                """, binds, operation: "recording pushed chunks", table: table.name)
        }
        if !removed.isEmpty {
            var binds = PostgresBindings()
            binds.append(instance)
            binds.append(chain)
            binds.append(table.name)
            binds.append(removed)
            try await execute("DELETE FROM \(quote(namespace)).spom_push_chunks WHERE instance_name = $1 AND chain = $2 AND table_name = $3 AND chunk = ANY($4::bigint[])",
                              binds, operation: "forgetting removed chunks", table: table.name)
        }
    }

    /// Stores the per-table watermark and sync time.
    func recordState(namespace: String, table: String, instance: String, chain: String, watermark: Int64?, rows: Int64, inSyncAsOfMs: Int64, appVersion: String) async throws(RemoteError) {
        var binds = PostgresBindings()
        binds.append(instance)
        binds.append(chain)
        binds.append(table)
        binds.append(watermark)
        binds.append(rows)
        binds.append(inSyncAsOfMs)
        binds.append(appVersion)
        try await execute("""
            INSERT INTO \(quote(namespace)).spom_push_state (instance_name, chain, table_name, watermark, row_count, in_sync_as_of_ms, app_version)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (instance_name, chain, table_name) DO UPDATE
            SET watermark = EXCLUDED.watermark, row_count = EXCLUDED.row_count, in_sync_as_of_ms = EXCLUDED.in_sync_as_of_ms, app_version = EXCLUDED.app_version
            """, binds, operation: "recording the push watermark", table: table)
    }
}

/// Now as Unix milliseconds.
func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
