import Foundation
import GRDB
import GRDBSQLite

/// Reading block rows fast: the REST API lists up to 1,000 blocks per request, and building each
/// `StoredBlock` through GRDB's named-column `Row` lookups (a lowercased copy of the column name
/// per lookup, a `Data` per hash) cost more than the query itself. Here the statement is cached
/// per connection, and each column is read by position straight from SQLite, hashes hex-encoded
/// from the blob's bytes without intermediate arrays.
extension StoreReader {
    /// The positions of ``blockColumns``' result columns.
    enum BlockColumn {
        static let number: Int32 = 0
        static let chain: Int32 = 1
        static let hash: Int32 = 2
        static let parentHash: Int32 = 3
        static let slot: Int32 = 4
        static let sidechainEpoch: Int32 = 5
        static let mainchainEpoch: Int32 = 6
        static let timestampMs: Int32 = 7
        static let extrinsicsCount: Int32 = 8
        static let finalized: Int32 = 9
        static let unattributedReason: Int32 = 10
        static let authorID: Int32 = 11
        static let author: Int32 = 12
        static let authorAuraKey: Int32 = 13
    }

    /// Runs `sql` (``blockColumns`` plus a tail) with `arguments` and decodes every row.
    static func fetchBlocks(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> [StoredBlock] {
        let statement = try db.cachedStatement(sql: sql)
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        let handle = statement.sqliteStatement
        var blocks: [StoredBlock] = []
        var lastChain = StoreSchema.defaultChain
        while try cursor.next() != nil {
            blocks.append(block(at: handle, lastChain: &lastChain))
        }
        return blocks
    }

    /// The first row of `sql`, decoded, or nil.
    static func fetchBlock(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> StoredBlock? {
        let statement = try db.cachedStatement(sql: sql)
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        var lastChain = StoreSchema.defaultChain
        guard try cursor.next() != nil else { return nil }
        return block(at: statement.sqliteStatement, lastChain: &lastChain)
    }

    /// Decodes the current row of `handle` (positioned on a ``blockColumns`` row) through
    /// ``rowView(at:)``. `lastChain` is reused when the row's chain label is the same text (no new
    /// string per row).
    static func block(at handle: SQLiteStatement, lastChain: inout String) -> StoredBlock {
        let row = rowView(at: handle)
        func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
        func string(_ bytes: UnsafeBufferPointer<UInt8>?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
        if isNull(BlockColumn.chain) {
            lastChain = StoreSchema.defaultChain
        } else if !lastChain.utf8.elementsEqual(row.chain) {
            lastChain = String(decoding: row.chain, as: UTF8.self)
        }
        let attributed = !isNull(BlockColumn.authorID)
        return StoredBlock(
            chain: lastChain, number: row.number,
            hash: StoreHex.encode(row.hash), parentHash: StoreHex.encode(row.parentHash),
            slot: row.slot, sidechainEpoch: row.sidechainEpoch, mainchainEpoch: row.mainchainEpoch,
            timestampMs: row.timestampMs, extrinsicsCount: row.extrinsicsCount,
            author: string(row.author), authorAuraKey: string(row.authorAuraKey), finalized: row.finalized,
            unattributedReason: attributed
                ? nil
                : UnattributedReason(
                    code: isNull(BlockColumn.unattributedReason) ? nil : sqlite3_column_int64(handle, BlockColumn.unattributedReason)))
    }
}
