import Foundation
import GRDB

/// What one chunk of a table holds: its row count and the wrapping sum of its row hashes.
public struct ChunkSummary: Sendable, Hashable {
    /// Rows in the chunk.
    public var rows: Int64
    /// Wrapping sum of `RowHash.hash` over the chunk's rows (as stored: signed).
    public var checksum: Int64

    /// Creates a summary.
    public init(rows: Int64, checksum: Int64) {
        self.rows = rows
        self.checksum = checksum
    }
}

/// The rows of some chunks read in one SQLite read transaction (a consistent snapshot).
struct ChunkRows: Sendable {
    var rows: [Int64: [[SQLValue]]]
    var summaries: [Int64: ChunkSummary]
}

/// Read-only access to the application's SQLite file: its own connection, so the push never
/// takes the writer's lock; WAL readers don't block the writer either.
public final class LocalSource: Sendable {
    /// The database file.
    public let path: String
    let reader: any DatabaseReader

    /// Opens `path` read-only. Throws when the file does not exist (the push never creates it).
    public init(path: String) throws(RemoteError) {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw .localDatabase(path: path, operation: "opening read-only", message: "no such file")
        }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        config.label = "spom-remote"
        config.prepareDatabase { db in
            db.add(function: ChunkHashAggregate.function)
        }
        do {
            reader = try DatabasePool(path: path, configuration: config)
        } catch {
            do {
                reader = try DatabaseQueue(path: path, configuration: config)
            } catch {
                throw .localDatabase(path: path, operation: "opening read-only", message: "\(error)")
            }
        }
    }

    /// The SQL expression for a row's chunk number.
    static func chunkExpression(_ table: RemoteTable) -> String {
        guard let column = table.chunkColumn else { return "0" }
        return "(\(quote(column)) / \(table.chunkSize))"
    }

    static func whereClause(_ table: RemoteTable, extra: String?) -> String {
        var parts: [String] = []
        if let chainColumn = table.localChainColumn { parts.append("\(quote(chainColumn)) = ?") }
        if let extra { parts.append(extra) }
        return parts.isEmpty ? "" : " WHERE " + parts.joined(separator: " AND ")
    }

    /// Per-chunk row counts and checksums of `table` (only chunks >= `fromChunk` when given).
    ///
    /// Checksums are computed only for chunks <= `hashThrough` (all when it is `Int64.max`,
    /// none when nil): a chunk the remote has never had is pushed whatever its checksum, so a
    /// backfill counts its rows without hashing them. Chunks not hashed report checksum 0.
    public func summaries(of table: RemoteTable, chain: String, fromChunk: Int64? = nil, hashThrough: Int64? = .max) throws(RemoteError) -> [Int64: ChunkSummary] {
        let columns = table.columns.map { quote($0.name) }.joined(separator: ", ")
        var extra: String?
        var arguments: [any DatabaseValueConvertible] = []
        let hash: String
        switch (hashThrough, table.chunkColumn) {
        case (nil, _):
            hash = "0"
        case (.some(let through), .some(let column)) where through < Int64.max / max(1, table.chunkSize) - 1:
            hash = "spom_chunk_hash(\(columns)) FILTER (WHERE \(quote(column)) < ?)"
            arguments.append((through &+ 1) &* table.chunkSize)
        default:
            hash = "spom_chunk_hash(\(columns))"
        }
        if table.localChainColumn != nil { arguments.append(chain) }
        if let fromChunk, let column = table.chunkColumn {
            extra = "\(quote(column)) >= ?"
            arguments.append(fromChunk &* table.chunkSize)
        }
        let sql = "SELECT \(Self.chunkExpression(table)) AS chunk, count(*), \(hash) FROM \(quote(table.name))"
            + Self.whereClause(table, extra: extra) + " GROUP BY chunk"
        return try wrap("summarising \(table.name)") {
            try reader.read { db in
                var result: [Int64: ChunkSummary] = [:]
                let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
                while let row = try rows.next() {
                    let chunk: Int64 = row[0] ?? 0
                    result[chunk] = ChunkSummary(rows: row[1] ?? 0, checksum: row[2] ?? 0)
                }
                return result
            }
        }
    }

    /// Reads every row of the given chunks in one read transaction, with their summaries
    /// computed from exactly the rows read.
    func rows(of table: RemoteTable, chain: String, chunks: [Int64]) throws(RemoteError) -> ChunkRows {
        let columns = table.columns.map { quote($0.name) }.joined(separator: ", ")
        let rangeSQL: String
        if let column = table.chunkColumn {
            rangeSQL = "SELECT \(columns) FROM \(quote(table.name))"
                + Self.whereClause(table, extra: "\(quote(column)) >= ? AND \(quote(column)) < ?")
        } else {
            rangeSQL = "SELECT \(columns) FROM \(quote(table.name))" + Self.whereClause(table, extra: nil)
        }
        let width = table.columns.count
        return try wrap("reading \(table.name)") {
            try reader.read { db in
                var result = ChunkRows(rows: [:], summaries: [:])
                let statement = try db.cachedStatement(sql: rangeSQL)
                for chunk in chunks {
                    var arguments: [any DatabaseValueConvertible] = []
                    if table.localChainColumn != nil { arguments.append(chain) }
                    if table.chunkColumn != nil {
                        arguments.append(chunk &* table.chunkSize)
                        arguments.append((chunk &+ 1) &* table.chunkSize)
                    }
                    var list: [[SQLValue]] = []
                    var sum: UInt64 = 0
                    let cursor = try Row.fetchCursor(statement, arguments: StatementArguments(arguments))
                    while let row = try cursor.next() {
                        var values: [SQLValue] = []
                        values.reserveCapacity(width)
                        for index in 0..<width { values.append(SQLValue(row[index] as DatabaseValue)) }
                        sum = sum &+ RowHash.hash(values)
                        list.append(values)
                    }
                    if !list.isEmpty {
                        result.rows[chunk] = list
                        result.summaries[chunk] = ChunkSummary(rows: Int64(list.count), checksum: Int64(bitPattern: sum))
                    }
                }
                return result
            }
        }
    }

    /// Every pushed column of every row of `table` for `chain`, ordered by the natural key (for
    /// verification and tests).
    public func allRows(of table: RemoteTable, chain: String) throws(RemoteError) -> [[SQLValue]] {
        let columns = table.columns.map { quote($0.name) }.joined(separator: ", ")
        let order = table.naturalKey.isEmpty ? "" : " ORDER BY " + table.naturalKey.map { quote($0) }.joined(separator: ", ")
        let sql = "SELECT \(columns) FROM \(quote(table.name))" + Self.whereClause(table, extra: nil) + order
        let arguments: [any DatabaseValueConvertible] = table.localChainColumn != nil ? [chain] : []
        return try wrap("reading \(table.name)") {
            try reader.read { db in
                try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                    (0..<table.columns.count).map { SQLValue(row[$0] as DatabaseValue) }
                }
            }
        }
    }

    private func wrap<T>(_ operation: String, _ body: () throws -> T) throws(RemoteError) -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw .localDatabase(path: path, operation: operation, message: error.message ?? error.description)
        } catch {
            throw .localDatabase(path: path, operation: operation, message: "\(error)")
        }
    }
}

/// Double-quotes an identifier (names are validated as plain identifiers first).
func quote(_ identifier: String) -> String { "\"\(identifier)\"" }

extension LocalSource {
    /// The highest `chunkColumn` value of `table` for `chain` (nil: no chunk column or no rows).
    public func maxChunkKey(of table: RemoteTable, chain: String) throws(RemoteError) -> Int64? {
        guard let column = table.chunkColumn else { return nil }
        let sql = "SELECT max(\(quote(column))) FROM \(quote(table.name))" + Self.whereClause(table, extra: nil)
        let arguments: [any DatabaseValueConvertible] = table.localChainColumn != nil ? [chain] : []
        do {
            return try reader.read { db in try Int64.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) }
        } catch {
            throw .localDatabase(path: path, operation: "reading the newest \(column) of \(table.name)", message: "\(error)")
        }
    }
}
