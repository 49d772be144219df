import GRDB

/// Resolves sidechain keys and AURA keys to their row ids inside one transaction, creating rows
/// on first sight and caching the answers for the rest of the transaction.
struct ValidatorIDs {
    let db: Database
    let chain: String
    private var validators: [String: (id: Int64, aura: String?, grandpa: String?)] = [:]
    private var auraKeys: [String: Int64] = [:]

    init(db: Database, chain: String) {
        self.db = db
        self.chain = chain
    }

    /// The id of the validator with `sidechainKey`, creating it; fills in keys it did not have.
    mutating func validatorID(sidechainKey: String, auraKey: String?, grandpaKey: String?) throws -> Int64 {
        let key = StoreHex.normalizeKey(sidechainKey)
        guard key.count > 2 else { throw StoreError.invalidArgument(name: "sidechain key", value: sidechainKey, reason: "empty key") }
        let aura = auraKey.map(StoreHex.normalizeKey)
        let grandpa = grandpaKey.map(StoreHex.normalizeKey)
        if let known = validators[key], aura == nil || aura == known.aura, grandpa == nil || grandpa == known.grandpa {
            return known.id
        }
        let now = StoreInt.nowMs()
        if let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT id, aura_key, grandpa_key FROM validators WHERE sidechain_key = ?"), arguments: [key])
        {
            let id: Int64 = row["id"]
            let storedAura: String? = row["aura_key"]
            let storedGrandpa: String? = row["grandpa_key"]
            if (aura != nil && aura != storedAura) || (grandpa != nil && grandpa != storedGrandpa) {
                try db.cachedStatement(
                    sql: "UPDATE validators SET aura_key = COALESCE(?, aura_key), grandpa_key = COALESCE(?, grandpa_key), updated_ms = ? WHERE id = ?"
                ).execute(arguments: [aura, grandpa, now, id])
            }
            validators[key] = (id, aura ?? storedAura, grandpa ?? storedGrandpa)
            return id
        }
        try db.cachedStatement(
            sql: "INSERT INTO validators (chain, sidechain_key, aura_key, grandpa_key, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [chain, key, aura, grandpa, now, now])
        let id = db.lastInsertedRowID
        validators[key] = (id, aura, grandpa)
        return id
    }

    /// The id of `auraKey` in the `aura_keys` dictionary, creating it.
    mutating func auraKeyID(_ auraKey: String) throws -> Int64 {
        let key = StoreHex.normalizeKey(auraKey)
        if let id = auraKeys[key] { return id }
        if let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM aura_keys WHERE aura_key = ?"), arguments: [key]) {
            auraKeys[key] = id
            return id
        }
        try db.cachedStatement(sql: "INSERT INTO aura_keys (chain, aura_key) VALUES (?, ?)").execute(arguments: [chain, key])
        let id = db.lastInsertedRowID
        auraKeys[key] = id
        return id
    }
}

/// Per-validator and per-(epoch, validator) block-count changes gathered over a batch and
/// applied with a few statements at the end.
struct CountDeltas {
    struct Seen {
        var count = 0
        var minEpoch = Int64.max
        var maxEpoch = Int64.min
        var minMs = Int64.max
        var maxMs = Int64.min
    }
    struct EpochKey: Hashable {
        let epoch: Int64
        let validator: Int64
    }
    var perValidator: [Int64: Seen] = [:]
    var perEpoch: [EpochKey: Int] = [:]
    var perEpochAura: [EpochKey: String] = [:]

    mutating func add(validator: Int64, epoch: Int64, timestampMs: Int64, auraKey: String?, delta: Int = 1) {
        var seen = perValidator[validator, default: Seen()]
        seen.count += delta
        if delta > 0 {
            seen.minEpoch = min(seen.minEpoch, epoch)
            seen.maxEpoch = max(seen.maxEpoch, epoch)
            seen.minMs = min(seen.minMs, timestampMs)
            seen.maxMs = max(seen.maxMs, timestampMs)
        }
        perValidator[validator] = seen
        let key = EpochKey(epoch: epoch, validator: validator)
        perEpoch[key, default: 0] += delta
        if let auraKey, perEpochAura[key] == nil { perEpochAura[key] = StoreHex.normalizeKey(auraKey) }
    }

    func apply(_ db: Database, chain: String) throws {
        let now = StoreInt.nowMs()
        let validatorUpdate = try db.cachedStatement(sql: """
            UPDATE validators SET blocks_total = blocks_total + ?1,
                first_seen_epoch = MIN(COALESCE(first_seen_epoch, ?2), ?2),
                last_seen_epoch = MAX(COALESCE(last_seen_epoch, ?3), ?3),
                first_seen_ms = MIN(COALESCE(first_seen_ms, ?4), ?4),
                last_seen_ms = MAX(COALESCE(last_seen_ms, ?5), ?5),
                updated_ms = ?6
            WHERE id = ?7
            """)
        let plainUpdate = try db.cachedStatement(sql: "UPDATE validators SET blocks_total = blocks_total + ?, updated_ms = ? WHERE id = ?")
        for (id, seen) in perValidator where seen.count != 0 || seen.minEpoch != Int64.max {
            if seen.minEpoch == Int64.max {
                plainUpdate.setUncheckedArguments([seen.count, now, id])
                try plainUpdate.execute()
            } else {
                validatorUpdate.setUncheckedArguments([seen.count, seen.minEpoch, seen.maxEpoch, seen.minMs, seen.maxMs, now, id])
                try validatorUpdate.execute()
            }
        }
        let epochUpsert = try db.cachedStatement(sql: """
            INSERT INTO validator_epochs (sidechain_epoch, validator_id, chain, aura_key, committee_size, blocks_produced)
            VALUES (?1, ?2, ?3, ?4, COALESCE((SELECT committee_size FROM committees WHERE sidechain_epoch = ?1), 0), ?5)
            ON CONFLICT(sidechain_epoch, validator_id) DO UPDATE SET
                blocks_produced = blocks_produced + excluded.blocks_produced,
                aura_key = COALESCE(aura_key, excluded.aura_key)
            """)
        for (key, delta) in perEpoch where delta != 0 {
            epochUpsert.setUncheckedArguments([key.epoch, key.validator, chain, perEpochAura[key], delta])
            try epochUpsert.execute()
        }
    }
}
