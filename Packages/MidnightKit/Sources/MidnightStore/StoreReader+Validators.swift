import Foundation
import GRDB
import MidnightChain

extension StoreReader {
    /// Validators with performance figures, ranked by all-time blocks among ALL validators (so a
    /// filtered list still shows true ranks), filtered, sorted and paginated.
    public func validators(_ query: ValidatorQuery = ValidatorQuery()) throws -> ValidatorPage {
        guard (1...1000).contains(query.limit) else {
            throw StoreError.invalidArgument(name: "limit", value: String(query.limit), reason: "must be between 1 and 1000")
        }
        guard query.offset >= 0 else {
            throw StoreError.invalidArgument(name: "offset", value: String(query.offset), reason: "must not be negative")
        }
        let epoch = try query.epoch.map { try StoreInt.sql($0, "epoch") }
        return try read("listing validators") { db in
            var conditions: [String] = []
            if let ours = query.ours { conditions.append(ours ? "r.is_ours = 1" : "r.is_ours = 0") }
            if let registered = query.registered { conditions.append((registered ? "" : "NOT ") + Self.registeredCondition) }
            if query.producingOnly { conditions.append("r.blocks_total > 0") }
            return try Self.validatorPage(
                db, chain: chain, epoch: epoch, conditions: conditions, arguments: [], sort: query.sort,
                limit: query.limit, offset: query.offset)
        }
    }

    /// Our validators (marked by `mvm keys verify`), with figures for the newest epoch.
    public func ourValidators() throws -> [ValidatorEntity] {
        try validators(ValidatorQuery(ours: true, limit: 1000)).validators
    }

    /// One validator by sidechain key (or, failing that, AURA key) with its per-epoch history
    /// (newest first, at most `historyLimit` epochs) and registration history; nil when unknown.
    public func validator(key: String, historyLimit: Int = 100) throws -> ValidatorDetail? {
        let normalized = StoreHex.normalizeKey(key)
        return try read("reading validator \(key)") { db in
            let id = try Int64.fetchOne(db, sql: "SELECT id FROM validators WHERE sidechain_key = ?", arguments: [normalized])
                ?? Int64.fetchOne(db, sql: "SELECT id FROM validators WHERE aura_key = ? ORDER BY updated_ms DESC LIMIT 1", arguments: [normalized])
            guard let id else { return nil }
            let page = try Self.validatorPage(
                db, chain: chain, epoch: nil, conditions: ["r.id = ?"], arguments: [id], sort: .blocks, limit: 1, offset: 0)
            guard let entity = page.validators.first else { return nil }
            let history = try Row.fetchAll(db, sql: """
                SELECT ve.sidechain_epoch, ve.aura_key, ve.seats, ve.blocks_produced, ve.is_permissioned, ve.stake,
                       COALESCE(c.committee_size, ve.committee_size) AS committee_size,
                       (SELECT COUNT(*) FROM blocks b WHERE b.sidechain_epoch = ve.sidechain_epoch) AS chain_blocks
                FROM validator_epochs ve LEFT JOIN committees c ON c.sidechain_epoch = ve.sidechain_epoch
                WHERE ve.validator_id = ? ORDER BY ve.sidechain_epoch DESC LIMIT ?
                """, arguments: [id, max(0, historyLimit)]
            ).map { row -> ValidatorEpochEntity in
                let seats: Int = row["seats"]
                let size: Int = row["committee_size"]
                let chainBlocks: Int = row["chain_blocks"]
                let produced: Int = row["blocks_produced"]
                let expected = ExpectedBlocks.expected(seats: seats, committeeSize: size, chainBlocks: chainBlocks)
                return ValidatorEpochEntity(
                    sidechainEpoch: StoreInt.api(row["sidechain_epoch"] as Int64), auraKey: row["aura_key"], seats: seats,
                    committeeSize: size, blocksProduced: produced, chainBlocks: chainBlocks, expectedBlocks: expected,
                    ratio: ExpectedBlocks.ratio(produced: produced, expected: expected),
                    isPermissioned: (row["is_permissioned"] as Int64) != 0, stake: StoreInt.api(row["stake"] as Int64?))
            }
            let registrations = try Row.fetchAll(
                db, sql: "SELECT status, reason, mainchain_epoch, observed_ms FROM registration_history WHERE validator_id = ? ORDER BY observed_ms DESC, id DESC",
                arguments: [id]
            ).map {
                RegistrationChange(
                    status: $0["status"], reason: $0["reason"], mainchainEpoch: StoreInt.api($0["mainchain_epoch"] as Int64?),
                    observedMs: StoreInt.api($0["observed_ms"] as Int64))
            }
            return ValidatorDetail(validator: entity, epochs: history, registrationHistory: registrations)
        }
    }

    /// Registered: a permissioned or registered status, or a candidate of the newest stored committee.
    static let registeredCondition = """
        (r.is_permissioned = 1 OR COALESCE(r.registration_status, '') IN ('permissioned', 'registered', 'registered_valid')
         OR EXISTS (SELECT 1 FROM validator_epochs x WHERE x.validator_id = r.id AND x.is_candidate = 1
                    AND x.sidechain_epoch = (SELECT MAX(sidechain_epoch) FROM committees)))
        """

    static func validatorPage(
        _ db: Database, chain: String, epoch requested: Int64?, conditions: [String],
        arguments: [(any DatabaseValueConvertible)?], sort: ValidatorSort, limit: Int, offset: Int
    ) throws -> ValidatorPage {
        let epoch = try requested ?? latestEpoch(db)
        let chainBlocks = try epoch.map { try Self.chainBlocks(db, epoch: $0) } ?? 0
        let committeeSize = try epoch.flatMap {
            try Int.fetchOne(db, sql: "SELECT committee_size FROM committees WHERE sidechain_epoch = ?", arguments: [$0])
        }
        let totalBlocks = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(blocks_total), 0) FROM validators") ?? 0
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let order: String
        switch sort {
        case .blocks: order = "r.rank ASC, r.sidechain_key ASC"
        case .epochBlocks: order = "epoch_blocks DESC, r.rank ASC, r.sidechain_key ASC"
        case .seats: order = "epoch_seats DESC, r.rank ASC, r.sidechain_key ASC"
        case .ratio: order = "ratio DESC NULLS LAST, r.rank ASC, r.sidechain_key ASC"
        case .key: order = "r.sidechain_key ASC"
        case .lastSeen: order = "r.last_seen_ms DESC NULLS LAST, r.sidechain_key ASC"
        }
        let sql = """
            WITH ranked AS (SELECT v.*, RANK() OVER (ORDER BY v.blocks_total DESC) AS rank FROM validators v)
            SELECT r.*, COALESCE(ve.blocks_produced, 0) AS epoch_blocks, COALESCE(ve.seats, 0) AS epoch_seats,
                   COALESCE(?1, ve.committee_size, 0) AS epoch_size,
                   CASE WHEN COALESCE(?1, ve.committee_size, 0) > 0 AND COALESCE(ve.seats, 0) > 0 AND ?2 > 0
                        THEN COALESCE(ve.blocks_produced, 0) * 1.0 / (ve.seats * 1.0 / COALESCE(?1, ve.committee_size) * ?2)
                   END AS ratio,
                   COUNT(*) OVER () AS total_rows
            FROM ranked r LEFT JOIN validator_epochs ve ON ve.validator_id = r.id AND ve.sidechain_epoch = ?3
            \(whereClause)
            ORDER BY \(order) LIMIT \(limit) OFFSET \(offset)
            """
        // Plain `?` in the conditions number on from ?3 (SQLite numbers them after the largest seen).
        let allArguments: [(any DatabaseValueConvertible)?] = [committeeSize, chainBlocks, epoch] + arguments
        let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(allArguments))
        var total = 0
        let validators = rows.map { row -> ValidatorEntity in
            total = row["total_rows"]
            let seats: Int = row["epoch_seats"]
            let size: Int = row["epoch_size"]
            let produced: Int = row["epoch_blocks"]
            let blocks: Int = row["blocks_total"]
            let expected = ExpectedBlocks.expected(seats: seats, committeeSize: size, chainBlocks: chainBlocks)
            return ValidatorEntity(
                chain: row["chain"] ?? chain, sidechainKey: row["sidechain_key"], auraKey: row["aura_key"],
                grandpaKey: row["grandpa_key"], label: row["label"], isOurs: (row["is_ours"] as Int64) != 0,
                isPermissioned: (row["is_permissioned"] as Int64) != 0, registrationStatus: row["registration_status"],
                blocksTotal: blocks, rank: row["rank"],
                sharePercent: totalBlocks > 0 ? Double(blocks) / Double(totalBlocks) * 100 : 0,
                firstSeenEpoch: StoreInt.api(row["first_seen_epoch"] as Int64?),
                lastSeenEpoch: StoreInt.api(row["last_seen_epoch"] as Int64?),
                firstSeenMs: StoreInt.api(row["first_seen_ms"] as Int64?),
                lastSeenMs: StoreInt.api(row["last_seen_ms"] as Int64?),
                epoch: StoreInt.api(epoch), epochBlocks: produced, epochSeats: seats, epochCommitteeSize: size,
                epochExpectedBlocks: expected, epochRatio: ExpectedBlocks.ratio(produced: produced, expected: expected))
        }
        if rows.isEmpty && offset > 0 {
            let countSQL = "WITH ranked AS (SELECT v.*, 0 AS rank FROM validators v) SELECT COUNT(*) FROM ranked r"
                + whereClause
            total = try Int.fetchOne(db, sql: countSQL, arguments: StatementArguments(arguments)) ?? 0
        }
        return ValidatorPage(validators: validators, total: total, totalBlocks: totalBlocks)
    }
}
