import Foundation
import GRDB

/// Read-only access to an MVM database: every query the CLI, API, dashboard, metrics and the sync
/// engine need. Open one with ``MidnightDatabase/openReader(path:chain:)``, or use
/// ``StoreWriter/reader`` inside the daemon.
public struct StoreReader: Sendable {
    let database: any DatabaseReader
    /// The database file.
    public let path: String
    /// The chain label this reader reports.
    public let chain: String

    init(database: any DatabaseReader, path: String, chain: String) {
        self.database = database
        self.path = path
        self.chain = chain
    }

    /// Closes the reader's connections (further calls throw). Do not call it on ``StoreWriter/reader``.
    public func close() throws {
        try MidnightDatabase.wrap("closing", path) { try database.close() }
    }

    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        try MidnightDatabase.wrap(operation, path) { try database.read { try body($0) } }
    }

    /// Like ``read(_:_:)`` without the surrounding transaction (`BEGIN`/`COMMIT` cost as much as a
    /// page query): each statement still sees one consistent snapshot, but two statements may see
    /// different ones. Only for reads whose statements need not agree with each other.
    func readUnisolated<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        try MidnightDatabase.wrap(operation, path) { try database.unsafeRead { try body($0) } }
    }

    static let blockColumns = """
        SELECT b.number, b.chain, b.hash, b.parent_hash, b.slot, b.sidechain_epoch, b.mainchain_epoch, b.timestamp_ms,
               b.extrinsics_count, b.finalized, b.unattributed_reason, b.author_id,
               v.sidechain_key AS author, k.aura_key AS author_aura_key
        FROM blocks b
        LEFT JOIN validators v ON v.id = b.author_id
        LEFT JOIN aura_keys k ON k.id = b.author_aura_id
        """

    static func meta(_ db: Database, _ chain: String, _ key: String) throws -> Int64? {
        try StoreSchema.meta(db, chain: chain, key: key).flatMap { Int64($0) }
    }

    static func latestEpoch(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT sidechain_epoch FROM blocks ORDER BY number DESC LIMIT 1")
    }

    static func chainBlocks(_ db: Database, epoch: Int64) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM blocks WHERE sidechain_epoch = ?"), arguments: [epoch]) ?? 0
    }

    // MARK: - Blocks

    /// The block numbered `number`, or nil.
    public func block(number: UInt64) throws -> StoredBlock? {
        let n = try StoreInt.sql(number, "block number")
        return try read("reading block \(number)") { db in
            try Self.fetchBlock(db, sql: Self.blockColumns + " WHERE b.number = ?", arguments: [n])
        }
    }

    /// The block with `hash` (`0x` hex), or nil. Throws ``StoreError/invalidArgument(name:value:reason:)`` for non-hex input.
    public func block(hash: String) throws -> StoredBlock? {
        let bytes = try StoreHex.hashBytes(hash, name: "block hash")
        return try read("reading block \(hash)") { db in
            try Self.fetchBlock(db, sql: Self.blockColumns + " WHERE substr(b.hash, 1, 6) = substr(?1, 1, 6) AND b.hash = ?1", arguments: [bytes])
        }
    }

    /// The highest stored block, or nil when there is none.
    public func lastBlock() throws -> StoredBlock? {
        try read("reading the last block") { db in
            try Self.fetchBlock(db, sql: Self.blockColumns + " ORDER BY b.number DESC LIMIT 1")
        }
    }

    /// The stored hash of block `number` (for parent-hash checks), or nil.
    public func blockHash(number: UInt64) throws -> String? {
        let n = try StoreInt.sql(number, "block number")
        return try read("reading the hash of block \(number)") { db in
            try Data.fetchOne(db, sql: "SELECT hash FROM blocks WHERE number = ?", arguments: [n]).map { StoreHex.encode($0) }
        }
    }

    /// A page of blocks, newest first, filtered and keyset-paginated by block number.
    public func blocks(_ query: BlockQuery) throws -> BlockPage {
        guard (1...1000).contains(query.limit) else {
            throw StoreError.invalidArgument(name: "limit", value: String(query.limit), reason: "must be between 1 and 1000")
        }
        let before = try query.before.map { try StoreInt.sql($0, "before") }
        let after = try query.after.map { try StoreInt.sql($0, "after") }
        let epoch = try query.sidechainEpoch.map { try StoreInt.sql($0, "epoch") }
        // Unisolated: the page is one statement; the neighbour checks that follow may see a block
        // committed after it, which only makes them say (truthfully) that newer blocks exist.
        return try readUnisolated("listing blocks") { db in
            guard let (conditions, arguments) = try Self.blockFilter(db, query, epoch: epoch) else {
                return BlockPage(blocks: [], nextBefore: nil, prevAfter: nil)
            }
            let (paged, pagedArguments) = Self.paging(conditions, arguments, before: before, after: after)
            let ascending = after != nil && before == nil
            let whereClause = paged.isEmpty ? "" : " WHERE " + paged.joined(separator: " AND ")
            // The limit is bound (not spliced into the text) so that one cached statement serves every page size.
            let sql = Self.blockColumns + whereClause + " ORDER BY b.number \(ascending ? "ASC" : "DESC") LIMIT ?"
            var blocks = try Self.fetchBlocks(db, sql: sql, arguments: StatementArguments(pagedArguments + [query.limit + 1]))
            let hasMore = blocks.count > query.limit
            if hasMore { blocks.removeLast() }
            if ascending { blocks.reverse() }
            guard let newest = blocks.first?.number, let oldest = blocks.last?.number else {
                return BlockPage(blocks: [], nextBefore: nil, prevAfter: nil)
            }
            let olderExists = ascending ? try Self.blockExists(db, conditions, arguments, "<", oldest) : hasMore
            let newerExists = ascending ? hasMore : try Self.blockExists(db, conditions, arguments, ">", newest)
            return BlockPage(blocks: blocks, nextBefore: olderExists ? oldest : nil, prevAfter: newerExists ? newest : nil)
        }
    }

    /// `conditions` narrowed to the numbers below `before` and above `after`.
    static func paging(
        _ conditions: [String], _ arguments: [(any DatabaseValueConvertible)?], before: Int64?, after: Int64?
    ) -> ([String], [(any DatabaseValueConvertible)?]) {
        var paged = conditions
        var pagedArguments = arguments
        if let before {
            paged.append("b.number < ?")
            pagedArguments.append(before)
        }
        if let after {
            paged.append("b.number > ?")
            pagedArguments.append(after)
        }
        return (paged, pagedArguments)
    }

    /// The WHERE conditions and arguments of `query`'s filters (author, epoch, finalized), or nil
    /// when the author is unknown (an empty page).
    static func blockFilter(
        _ db: Database, _ query: BlockQuery, epoch: Int64?
    ) throws -> (conditions: [String], arguments: [(any DatabaseValueConvertible)?])? {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let author = query.author {
            guard let id = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM validators WHERE sidechain_key = ?"), arguments: [StoreHex.normalizeKey(author)])
            else { return nil }
            conditions.append("b.author_id = ?")
            arguments.append(id)
        }
        if let epoch {
            conditions.append("b.sidechain_epoch = ?")
            arguments.append(epoch)
        }
        if let finalized = query.finalized {
            conditions.append("b.finalized = ?")
            arguments.append(finalized ? 1 : 0)
        }
        return (conditions, arguments)
    }

    /// Whether a block matching `conditions` is numbered `comparison` `bound` (a neighbouring page exists).
    static func blockExists(
        _ db: Database, _ conditions: [String], _ arguments: [(any DatabaseValueConvertible)?], _ comparison: String, _ bound: UInt64
    ) throws -> Bool {
        let clause = (conditions + ["b.number \(comparison) ?"]).joined(separator: " AND ")
        return try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM blocks b WHERE \(clause))"),
            arguments: StatementArguments(arguments + [Int64(clamping: bound)])) ?? false
    }

    /// Blocks without an author (optionally of one epoch), lowest first: the sync engine's work list
    /// for late attribution.
    public func unattributedBlocks(sidechainEpoch: UInt64? = nil, limit: Int = 10_000) throws -> [StoredBlock] {
        let epoch = try sidechainEpoch.map { try StoreInt.sql($0, "epoch") }
        return try read("listing unattributed blocks") { db in
            let filter = epoch == nil ? "" : " AND b.sidechain_epoch = ?"
            let args: [(any DatabaseValueConvertible)?] = epoch == nil ? [] : [epoch]
            return try Self.fetchBlocks(
                db, sql: Self.blockColumns + " WHERE b.author_id IS NULL\(filter) ORDER BY b.number LIMIT \(max(0, limit))",
                arguments: StatementArguments(args))
        }
    }

    /// Sidechain epochs that have unattributed blocks, ascending.
    public func epochsWithUnattributedBlocks() throws -> [UInt64] {
        try read("listing epochs with unattributed blocks") { db in
            try Int64.fetchAll(db, sql: "SELECT DISTINCT sidechain_epoch FROM blocks WHERE author_id IS NULL ORDER BY sidechain_epoch").map(StoreInt.api)
        }
    }

    // MARK: - Gaps and stats

    /// Missing block ranges: the leading range from the configured start block (when the daemon
    /// recorded one) to the first stored block, and every interior gap, lowest first.
    /// Stored {1,2,3,7,8,10} gives (4...6, 3 missing) and (9...9, 1 missing).
    public func gaps(limit: Int? = nil) throws -> [BlockGap] {
        try read("finding gaps") { db in try Self.gaps(db, chain: chain, limit: limit) }
    }

    static func gaps(_ db: Database, chain: String, limit: Int?) throws -> [BlockGap] {
        let range = try numberRange(db)
        guard let first = range.first, let last = range.last else { return [] }
        return try gaps(db, chain: chain, limit: limit, first: first, last: last, count: try blockCount(db))
    }

    /// The lowest and highest stored block numbers. Two subqueries, because SQLite answers a lone
    /// MIN or MAX of the primary key from the b-tree's edge but scans the whole table for both in
    /// one SELECT (22 ms at 100k blocks).
    static func numberRange(_ db: Database) throws -> (first: Int64?, last: Int64?) {
        let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT (SELECT MIN(number) FROM blocks), (SELECT MAX(number) FROM blocks)"))
        return (row?[0], row?[1])
    }

    /// Blocks stored: a scan of the smallest index (about 10 ms per 100k blocks), so callers run it once.
    static func blockCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM blocks")) ?? 0
    }

    /// ``gaps(_:chain:limit:)`` with the range and count already known.
    static func gaps(_ db: Database, chain: String, limit: Int?, first: Int64, last: Int64, count: Int) throws -> [BlockGap] {
        var gaps: [BlockGap] = []
        if let start = try Int64.fetchOne(db, sql: "SELECT start_block FROM sync_status WHERE chain = ?", arguments: [chain]),
            start < first
        {
            gaps.append(BlockGap(start: StoreInt.api(start), end: StoreInt.api(first - 1), leading: true))
        }
        if Int64(count) < last - first + 1 {
            let limitClause = limit.map { " LIMIT \(max(0, $0))" } ?? ""
            let rows = try Row.fetchAll(db, sql: """
                SELECT number + 1, next - 1 FROM (SELECT number, LEAD(number) OVER (ORDER BY number) AS next FROM blocks)
                WHERE next > number + 1 ORDER BY number\(limitClause)
                """)
            for row in rows {
                gaps.append(BlockGap(start: StoreInt.api(row[0] as Int64), end: StoreInt.api(row[1] as Int64)))
            }
        }
        if let limit, gaps.count > limit { gaps.removeLast(gaps.count - limit) }
        return gaps
    }

    /// Database-wide figures.
    public func stats() throws -> StoreStats {
        try read("computing statistics") { db in
            let total = try Self.blockCount(db)
            let range = try Self.numberRange(db)
            let watermark = try Self.meta(db, chain, "finalized_watermark") ?? 0
            let unfinalized = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM blocks WHERE number > ? AND finalized = 0", arguments: [watermark]) ?? 0
            let lastFinalized = try Int64.fetchOne(
                db, sql: "SELECT number FROM blocks WHERE finalized = 1 ORDER BY number DESC LIMIT 1")
            var byReason: [String: Int] = [:]
            var unattributed = 0
            for row in try Row.fetchAll(db, sql: "SELECT unattributed_reason, COUNT(*) FROM blocks WHERE author_id IS NULL GROUP BY unattributed_reason") {
                let n: Int = row[1]
                byReason[UnattributedReason(code: row[0]).rawValue, default: 0] += n
                unattributed += n
            }
            var gaps: [BlockGap] = []
            if let first = range.first, let last = range.last {
                gaps = try Self.gaps(db, chain: chain, limit: nil, first: first, last: last, count: total)
            }
            let validators = try Row.fetchOne(db, sql: "SELECT COUNT(*), COALESCE(SUM(is_ours), 0) FROM validators")
            return StoreStats(
                chain: chain, totalBlocks: total, finalizedBlocks: total - unfinalized, unfinalizedBlocks: unfinalized,
                firstBlock: StoreInt.api(range.first), lastBlock: StoreInt.api(range.last),
                lastFinalizedBlock: StoreInt.api(lastFinalized),
                attributedBlocks: total - unattributed, unattributedBlocks: unattributed, unattributedByReason: byReason,
                gaps: gaps.count, missingBlocks: gaps.reduce(0) { $0 + $1.missing },
                validators: validators?[0] ?? 0, ourValidators: validators?[1] ?? 0,
                committees: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM committees") ?? 0,
                latestSidechainEpoch: StoreInt.api(try Self.latestEpoch(db)))
        }
    }

    /// The sync daemon's status row.
    public func syncStatus() throws -> SyncStatusEntity {
        try read("reading the sync status") { db in
            let row = try Row.fetchOne(db, sql: "SELECT * FROM sync_status WHERE chain = ?", arguments: [chain])
            let synced = StoreInt.api(row?["last_synced_block"] as Int64?)
            let tip = StoreInt.api(row?["chain_tip_block"] as Int64?)
            var behind: UInt64?
            if let synced, let tip { behind = tip > synced ? tip - synced : 0 }
            return SyncStatusEntity(
                chain: chain,
                startBlock: StoreInt.api(row?["start_block"] as Int64?),
                lastSyncedBlock: synced,
                lastFinalizedBlock: StoreInt.api(row?["last_finalized_block"] as Int64?),
                chainTipBlock: tip, blocksBehind: behind,
                currentSidechainEpoch: StoreInt.api(row?["current_sidechain_epoch"] as Int64?),
                currentMainchainEpoch: StoreInt.api(row?["current_mainchain_epoch"] as Int64?),
                isSyncing: (row?["is_syncing"] as Int64? ?? 0) != 0,
                blocksPerSecond: row?["blocks_per_second"] ?? 0,
                rpcRequestsTotal: StoreInt.api(row?["rpc_requests_total"] as Int64? ?? 0),
                rpcFailuresTotal: StoreInt.api(row?["rpc_failures_total"] as Int64? ?? 0),
                lastProgressMs: StoreInt.api(row?["last_progress_ms"] as Int64?),
                lastError: row?["last_error"],
                lastErrorMs: StoreInt.api(row?["last_error_ms"] as Int64?),
                updatedMs: StoreInt.api(row?["updated_ms"] as Int64? ?? 0),
                nodePeers: StoreInt.api(row?["node_peers"] as Int64?),
                nodeSynced: (row?["node_is_synced"] as Int64?).map { $0 != 0 },
                nodeHealthMs: StoreInt.api(row?["node_health_ms"] as Int64?))
        }
    }

    /// Chain timing recorded by the writer: (slots per epoch, slot ms), each nil when unknown.
    public func chainTiming() throws -> (slotsPerEpoch: UInt64?, slotDurationMs: UInt64?) {
        try read("reading the chain timing") { db in
            (StoreInt.api(try Self.meta(db, chain, "slots_per_epoch")), StoreInt.api(try Self.meta(db, chain, "slot_duration_ms")))
        }
    }

    /// The schema version stamped in the file.
    public func schemaVersion() throws -> Int {
        try read("reading the schema version") { db in
            Int(try StoreSchema.meta(db, chain: chain, key: "schema_version") ?? "") ?? 0
        }
    }

    /// The additive revision within the schema version (0 for files written before revisions).
    public func schemaRevision() throws -> Int {
        try read("reading the schema revision") { db in try StoreSchema.revision(db, chain: chain) }
    }
}
