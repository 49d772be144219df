import Foundation
import GRDB
import GRDBSQLite

/// One block row of a listing, read in place from SQLite: the text and blob columns point into
/// the statement's memory and are valid only during the call that receives the row (copy what you
/// keep). Lets the REST API write a page's JSON without building a ``StoredBlock`` (five strings)
/// per row. Same values as ``StoredBlock``: `hash`/`parentHash` are the raw 32 bytes (the JSON
/// form is `0x` + lowercase hex), `chain`/`author`/`authorAuraKey` are UTF-8 text.
public struct BlockRowView {
    /// Block number.
    public let number: UInt64
    /// Chain label, UTF-8.
    public let chain: UnsafeBufferPointer<UInt8>
    /// Block hash bytes.
    public let hash: UnsafeRawBufferPointer
    /// Parent hash bytes.
    public let parentHash: UnsafeRawBufferPointer
    /// Consensus slot.
    public let slot: UInt64
    /// Sidechain epoch.
    public let sidechainEpoch: UInt64
    /// Mainchain epoch.
    public let mainchainEpoch: UInt64
    /// Timestamp, Unix ms.
    public let timestampMs: UInt64
    /// Extrinsics in the body.
    public let extrinsicsCount: Int
    /// The author's sidechain key (UTF-8), or nil when unattributed.
    public let author: UnsafeBufferPointer<UInt8>?
    /// The sealing authority key (UTF-8), when known.
    public let authorAuraKey: UnsafeBufferPointer<UInt8>?
    /// Whether the block is finalized.
    public let finalized: Bool
}

/// The neighbouring-page cursors of a listing (as in ``BlockPage``).
public struct BlockPageCursors: Sendable, Hashable {
    /// Pass as `before` for the next (older) page; nil when there is none.
    public var nextBefore: UInt64?
    /// Pass as `after` for the previous (newer) page; nil when there is none.
    public var prevAfter: UInt64?
}

extension StoreReader {
    /// ``blocks(_:)`` for newest-first queries (no `after`, or `after` with `before`), handing each
    /// row to `row` in place instead of building ``StoredBlock``s. Same rows, order and cursors.
    ///
    /// - Throws: ``StoreError/invalidArgument(name:value:reason:)`` for an oldest-first query
    ///   (`after` without `before`; use ``blocks(_:)``) or a limit outside 1...1000.
    public func blocksNewestFirst(_ query: BlockQuery, row: (BlockRowView) -> Void) throws -> BlockPageCursors {
        guard (1...1000).contains(query.limit) else {
            throw StoreError.invalidArgument(name: "limit", value: String(query.limit), reason: "must be between 1 and 1000")
        }
        if query.after != nil && query.before == nil {
            throw StoreError.invalidArgument(name: "after", value: String(query.after ?? 0), reason: "lists oldest first; use blocks(_:)")
        }
        let before = try query.before.map { try StoreInt.sql($0, "before") }
        let after = try query.after.map { try StoreInt.sql($0, "after") }
        let epoch = try query.sidechainEpoch.map { try StoreInt.sql($0, "epoch") }
        return try readUnisolated("listing blocks") { db in
            guard let (conditions, arguments) = try Self.blockFilter(db, query, epoch: epoch) else {
                return BlockPageCursors(nextBefore: nil, prevAfter: nil)
            }
            let (paged, pagedArguments) = Self.paging(conditions, arguments, before: before, after: after)
            let whereClause = paged.isEmpty ? "" : " WHERE " + paged.joined(separator: " AND ")
            let statement = try db.cachedStatement(sql: Self.blockColumns + whereClause + " ORDER BY b.number DESC LIMIT ?")
            let cursor = try Row.fetchCursor(statement, arguments: StatementArguments(pagedArguments + [query.limit + 1]))
            let handle = statement.sqliteStatement
            var count = 0
            var newest: UInt64?
            var oldest: UInt64?
            var hasMore = false
            while try cursor.next() != nil {
                if count == query.limit {
                    hasMore = true
                    break
                }
                let view = Self.rowView(at: handle)
                if newest == nil { newest = view.number }
                oldest = view.number
                row(view)
                count += 1
            }
            guard let newest, let oldest else { return BlockPageCursors(nextBefore: nil, prevAfter: nil) }
            let newerExists = try Self.blockExists(db, conditions, arguments, ">", newest)
            return BlockPageCursors(nextBefore: hasMore ? oldest : nil, prevAfter: newerExists ? newest : nil)
        }
    }

    /// The current row of `handle` (a ``blockColumns`` row) as a view into the statement.
    static func rowView(at handle: SQLiteStatement) -> BlockRowView {
        func int(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
        func text(_ column: Int32) -> UnsafeBufferPointer<UInt8>? {
            guard sqlite3_column_type(handle, column) != SQLITE_NULL, let pointer = sqlite3_column_text(handle, column) else { return nil }
            return UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column)))
        }
        func blob(_ column: Int32) -> UnsafeRawBufferPointer {
            guard let pointer = sqlite3_column_blob(handle, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
            return UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column)))
        }
        return BlockRowView(
            number: StoreInt.api(int(BlockColumn.number)),
            chain: text(BlockColumn.chain) ?? UnsafeBufferPointer(start: nil, count: 0),
            hash: blob(BlockColumn.hash),
            parentHash: blob(BlockColumn.parentHash),
            slot: StoreInt.api(int(BlockColumn.slot)),
            sidechainEpoch: StoreInt.api(int(BlockColumn.sidechainEpoch)),
            mainchainEpoch: StoreInt.api(int(BlockColumn.mainchainEpoch)),
            timestampMs: StoreInt.api(int(BlockColumn.timestampMs)),
            extrinsicsCount: Int(int(BlockColumn.extrinsicsCount)),
            author: text(BlockColumn.author),
            authorAuraKey: text(BlockColumn.authorAuraKey),
            finalized: int(BlockColumn.finalized) != 0)
    }
}
