import Foundation
import GRDB

/// The block writes of one transaction: insert, reorg replacement and late attribution.
struct BlockWrites {
    let db: Database
    let chain: String

    /// Author ids resolved once per batch, keyed by the caller's own strings (no normalising per block).
    private struct AuthorKey: Hashable {
        let sidechainKey: String?
        let auraKey: String?
    }

    /// `collect` sees each block actually inserted (for the writer's observers).
    func insert(_ blocks: [NewBlock], collect: ((NewBlock) -> Void)? = nil) throws -> InsertResult {
        guard !blocks.isEmpty else { return InsertResult(inserted: 0, alreadyStored: 0, attributed: 0) }
        var ids = ValidatorIDs(db: db, chain: chain)
        var deltas = CountDeltas()
        var authors: [AuthorKey: (author: Int64?, aura: Int64?)] = [:]
        let watermark = Int64(try StoreSchema.meta(db, chain: chain, key: "finalized_watermark") ?? "") ?? 0
        // The hot loop binds straight to SQLite (GRDB's argument boxing costs as much as the insert).
        let statement = try RawStatement(db: db, sql: """
            INSERT INTO blocks (number, chain, hash, parent_hash, slot, sidechain_epoch, mainchain_epoch, timestamp_ms,
                extrinsics_count, finalized, author_id, author_aura_id, unattributed_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(number) DO NOTHING
            """)
        defer { statement.finalize() }
        var result = InsertResult(inserted: 0, alreadyStored: 0, attributed: 0)
        for block in blocks {
            let number = try StoreInt.sql(block.number, "block number")
            guard let hash = StoreHex.decodeBytes(block.hash), !hash.isEmpty else {
                throw StoreError.invalidArgument(name: "hash of block \(block.number)", value: block.hash, reason: "not a hex string")
            }
            guard let parent = StoreHex.decodeBytes(block.parentHash), !parent.isEmpty else {
                throw StoreError.invalidArgument(name: "parent hash of block \(block.number)", value: block.parentHash, reason: "not a hex string")
            }
            guard block.extrinsicsCount >= 0 else {
                throw StoreError.invalidArgument(
                    name: "extrinsics count of block \(block.number)", value: String(block.extrinsicsCount), reason: "negative")
            }
            var key: AuthorKey
            var reason: Int64?
            switch block.author {
            case .attributed(let sidechainKey, let aura): key = AuthorKey(sidechainKey: sidechainKey, auraKey: aura)
            case .unattributed(let why, let aura):
                key = AuthorKey(sidechainKey: nil, auraKey: aura)
                reason = why.code
            }
            let resolved: (author: Int64?, aura: Int64?)
            if let known = authors[key] {
                resolved = known
            } else {
                let author = try key.sidechainKey.map { try ids.validatorID(sidechainKey: $0, auraKey: key.auraKey, grandpaKey: nil) }
                resolved = (author, try key.auraKey.map { try ids.auraKeyID($0) })
                authors[key] = resolved
            }
            let slot = try StoreInt.sql(block.slot, "slot of block \(block.number)")
            let sidechainEpoch = try StoreInt.sql(block.sidechainEpoch, "sidechain epoch of block \(block.number)")
            let mainchainEpoch = try StoreInt.sql(block.mainchainEpoch, "mainchain epoch of block \(block.number)")
            let timestampMs = try StoreInt.sql(block.timestampMs, "timestamp of block \(block.number)")
            statement.bind(1, number)
            statement.bind(2, chain)
            statement.bind(3, hash)
            statement.bind(4, parent)
            statement.bind(5, slot)
            statement.bind(6, sidechainEpoch)
            statement.bind(7, mainchainEpoch)
            statement.bind(8, timestampMs)
            statement.bind(9, Int64(block.extrinsicsCount))
            statement.bind(10, number <= watermark ? 1 : 0)
            statement.bind(11, resolved.author)
            statement.bind(12, resolved.aura)
            statement.bind(13, reason)
            let changed = try statement.step()
            if !changed {
                let stored = try Data.fetchOne(db.cachedStatement(sql: "SELECT hash FROM blocks WHERE number = ?"), arguments: [number])
                if let stored, stored != Data(hash) {
                    throw StoreError.blockConflict(number: block.number, storedHash: StoreHex.encode(stored), newHash: StoreHex.encode(hash))
                }
                result.alreadyStored += 1
                continue
            }
            result.inserted += 1
            collect?(block)
            if let author = resolved.author {
                result.attributed += 1
                deltas.add(validator: author, epoch: sidechainEpoch, timestampMs: timestampMs, auraKey: key.auraKey)
            }
        }
        try deltas.apply(db, chain: chain)
        return result
    }

    func replace(from: Int64, with newBlocks: [NewBlock], collect: ((NewBlock) -> Void)? = nil) throws -> ReorgChange {
        let rows = try Row.fetchAll(db, sql: """
            SELECT b.number, b.hash, b.finalized, b.author_id, b.sidechain_epoch, b.timestamp_ms, v.sidechain_key
            FROM blocks b LEFT JOIN validators v ON v.id = b.author_id
            WHERE b.number >= ? ORDER BY b.number
            """, arguments: [from])
        var deltas = CountDeltas()
        var byKey: [String: Int] = [:]
        var removed: [RemovedBlock] = []
        for row in rows {
            let number: Int64 = row["number"]
            let hash: Data = row["hash"]
            if (row["finalized"] as Int64) != 0 {
                throw StoreError.finalizedBlockReplaced(number: StoreInt.api(number), hash: StoreHex.encode(hash))
            }
            let key: String? = row["sidechain_key"]
            if let author: Int64 = row["author_id"] {
                deltas.add(validator: author, epoch: row["sidechain_epoch"], timestampMs: row["timestamp_ms"], auraKey: nil, delta: -1)
                if let key { byKey[key, default: 0] -= 1 }
            }
            removed.append(RemovedBlock(number: StoreInt.api(number), hash: StoreHex.encode(hash), author: key))
        }
        try db.execute(sql: "DELETE FROM blocks WHERE number >= ?", arguments: [from])
        try deltas.apply(db, chain: chain)
        let inserted = try insert(newBlocks, collect: collect)
        for block in newBlocks {
            if case .attributed(let key, _) = block.author { byKey[StoreHex.normalizeKey(key), default: 0] += 1 }
        }
        return ReorgChange(removed: removed, inserted: inserted.inserted, validatorDeltas: byKey.filter { $0.value != 0 })
    }

    func attribute(_ attributions: [BlockAttribution], collect: ((BlockAttribution) -> Void)? = nil) throws -> Int {
        var ids = ValidatorIDs(db: db, chain: chain)
        var deltas = CountDeltas()
        var count = 0
        let lookup = try db.cachedStatement(sql: "SELECT author_id, sidechain_epoch, timestamp_ms FROM blocks WHERE number = ?")
        let setAuthor = try db.cachedStatement(sql: """
            UPDATE blocks SET author_id = ?, author_aura_id = COALESCE(?, author_aura_id), unattributed_reason = NULL
            WHERE number = ? AND author_id IS NULL
            """)
        let setReason = try db.cachedStatement(sql: """
            UPDATE blocks SET unattributed_reason = ?, author_aura_id = COALESCE(?, author_aura_id)
            WHERE number = ? AND author_id IS NULL
            """)
        for item in attributions {
            let number = try StoreInt.sql(item.number, "block number")
            guard let row = try Row.fetchOne(lookup, arguments: [number]), (row["author_id"] as Int64?) == nil else { continue }
            switch item.author {
            case .attributed(let key, let aura):
                let author = try ids.validatorID(sidechainKey: key, auraKey: aura, grandpaKey: nil)
                let auraID = try aura.map { try ids.auraKeyID($0) }
                try setAuthor.execute(arguments: [author, auraID, number])
                deltas.add(validator: author, epoch: row["sidechain_epoch"], timestampMs: row["timestamp_ms"], auraKey: aura)
                count += 1
                collect?(item)
            case .unattributed(let reason, let aura):
                let auraID = try aura.map { try ids.auraKeyID($0) }
                try setReason.execute(arguments: [reason.code, auraID, number])
            }
        }
        try deltas.apply(db, chain: chain)
        return count
    }
}
