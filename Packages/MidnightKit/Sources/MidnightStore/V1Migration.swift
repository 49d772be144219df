import Foundation
import GRDB

/// Migrates a v1 database (predecessor-core §10.2) to schema v2 in place.
///
/// First copies the file to `<path>.v1-backup-<UTC time>` (SQLite's backup API, so WAL content is
/// included), then converts everything inside ONE transaction: v1 tables are renamed `v1_*`, the v2
/// tables created, every row converted (hex text -> blobs, seconds -> ms, `epoch` -> mainchain
/// epoch, authors -> validator ids, committee snapshots -> compact committees), counts recomputed
/// from the blocks, and the v1 tables dropped. Any failure rolls the transaction back, leaving the
/// file exactly as it was. Afterwards the file is compacted into v2's page size (optional).
struct V1Migration {
    let queue: DatabaseQueue
    let path: String
    let options: WriterOptions

    func run() throws -> MigrationReport {
        let backupPath = try makeBackup()
        var report: MigrationReport?
        do {
            try queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    report = try migrate(db, backupPath: backupPath)
                    return .commit
                }
            }
        } catch let error as StoreError {
            throw StoreError.migrationFailed(path: path, step: "converting the v1 rows", reason: error.description, backupPath: backupPath)
        } catch let error as DatabaseError {
            throw StoreError.migrationFailed(
                path: path, step: "converting the v1 rows", reason: error.message ?? error.description, backupPath: backupPath)
        } catch {
            throw StoreError.migrationFailed(path: path, step: "converting the v1 rows", reason: "\(error)", backupPath: backupPath)
        }
        guard var report else {
            throw StoreError.migrationFailed(path: path, step: "converting the v1 rows", reason: "no report", backupPath: backupPath)
        }
        report.compacted = compact()
        return report
    }

    private func makeBackup() throws -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        var backupPath = "\(path).v1-backup-\(formatter.string(from: Date()))"
        var suffix = 1
        while FileManager.default.fileExists(atPath: backupPath) {
            backupPath = "\(path).v1-backup-\(formatter.string(from: Date()))-\(suffix)"
            suffix += 1
        }
        do {
            let destination = try DatabaseQueue(path: backupPath)
            try queue.backup(to: destination)
            try destination.close()
        } catch {
            try? FileManager.default.removeItem(atPath: backupPath)
            throw StoreError.migrationFailed(path: path, step: "copying the database to \(backupPath)", reason: "\(error)", backupPath: nil)
        }
        return backupPath
    }

    /// Rebuilds the file in v2's page size and returns it to WAL; failure here is harmless (the
    /// migration is committed), so it only reports whether it happened.
    private func compact() -> Bool {
        do {
            try queue.writeWithoutTransaction { db in
                if options.compactAfterMigration {
                    try db.execute(sql: "PRAGMA journal_mode = DELETE")
                    try db.execute(sql: "PRAGMA page_size = \(StoreSchema.pageSize)")
                    try db.execute(sql: "VACUUM")
                }
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            return options.compactAfterMigration
        } catch {
            _ = try? queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
            return false
        }
    }

    private static let v1Tables = ["schema_meta", "blocks", "validators", "committee_snapshots", "validator_epochs", "sync_status"]

    private func migrate(_ db: Database, backupPath: String) throws -> MigrationReport {
        let chain = options.chain
        let existing = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
        for table in Self.v1Tables where existing.contains(table) {
            try db.execute(sql: "ALTER TABLE \(table) RENAME TO v1_\(table)")
        }
        try StoreSchema.create(db, chain: chain, createdBy: options.appVersion)
        var ids = ValidatorIDs(db: db, chain: chain)
        var report = MigrationReport(
            fromVersion: 1, toVersion: StoreSchema.currentVersion, backupPath: backupPath, blocks: 0, validators: 0,
            ourValidators: 0, committees: 0, validatorEpochs: 0, blocksCorrected: 0, compacted: false)

        if existing.contains("schema_meta") {
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM v1_schema_meta") {
                let key: String = row["key"]
                guard key != "schema_version" else { continue }
                try StoreSchema.setMeta(db, chain: chain, key: "v1_\(key)", value: row["value"] ?? "")
            }
        }
        try StoreSchema.setMeta(db, chain: chain, key: "migrated_from_version", value: "1")
        try StoreSchema.setMeta(db, chain: chain, key: "migrated_ms", value: String(StoreInt.nowMs()))
        try StoreSchema.setMeta(db, chain: chain, key: "migrated_by", value: options.appVersion)
        try StoreSchema.setMeta(db, chain: chain, key: "v1_backup", value: backupPath)

        if existing.contains("validators") { try migrateValidators(db, ids: &ids) }
        if existing.contains("blocks") { try migrateBlocks(db, ids: &ids, report: &report) }
        if existing.contains("committee_snapshots") { report.committees = try migrateCommittees(db) }
        if existing.contains("validator_epochs") { report.validatorEpochs = try migrateValidatorEpochs(db, ids: &ids) }
        try recomputeCounts(db)
        if existing.contains("sync_status") { try migrateSyncStatus(db) }

        for table in Self.v1Tables where existing.contains(table) {
            try db.execute(sql: "DROP TABLE v1_\(table)")
        }
        report.validators = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM validators") ?? 0
        report.ourValidators = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM validators WHERE is_ours = 1") ?? 0
        return report
    }

    private func columns(_ db: Database, _ table: String) throws -> Set<String> {
        Set(try db.columns(in: table).map(\.name))
    }

    private func migrateValidators(_ db: Database, ids: inout ValidatorIDs) throws {
        let cols = try columns(db, "v1_validators")
        func col(_ name: String, _ fallback: String = "NULL") -> String { cols.contains(name) ? name : "\(fallback) AS \(name)" }
        let rows = try Row.fetchCursor(db, sql: """
            SELECT rowid AS v1_rowid, sidechain_key, \(col("aura_key")), \(col("grandpa_key")), \(col("label")), \(col("is_ours", "0")),
                   \(col("registration_status")), \(col("created_at", "0")), \(col("updated_at", "0"))
            FROM v1_validators ORDER BY rowid
            """)
        while let row = try rows.next() {
            let rowID: Int64 = row["v1_rowid"]
            guard let key: String = row["sidechain_key"], !key.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw StoreError.invalidV1Row(table: "validators", rowID: rowID, column: "sidechain_key", reason: "empty key")
            }
            let id = try ids.validatorID(sidechainKey: key, auraKey: row["aura_key"], grandpaKey: row["grandpa_key"])
            let status: String? = row["registration_status"]
            let createdMs = (row["created_at"] as Int64? ?? 0) * 1000
            let updatedMs = (row["updated_at"] as Int64? ?? 0) * 1000
            try db.execute(
                sql: """
                    UPDATE validators SET label = COALESCE(label, ?), is_ours = MAX(is_ours, ?), registration_status = COALESCE(?, registration_status),
                        is_permissioned = MAX(is_permissioned, ?), created_ms = ?, updated_ms = ? WHERE id = ?
                    """,
                arguments: [row["label"], (row["is_ours"] as Int64? ?? 0) != 0 ? 1 : 0, status, status == "permissioned" ? 1 : 0,
                            createdMs, updatedMs, id])
            if let status {
                try db.execute(
                    sql: "INSERT INTO registration_history (chain, validator_id, status, observed_ms) VALUES (?, ?, ?, ?)",
                    arguments: [options.chain, id, status, updatedMs])
            }
        }
    }

    private func migrateBlocks(_ db: Database, ids: inout ValidatorIDs, report: inout MigrationReport) throws {
        let cols = try columns(db, "v1_blocks")
        func col(_ name: String, _ fallback: String) -> String { cols.contains(name) ? name : "\(fallback) AS \(name)" }
        let auraByValidator = Dictionary(
            try Row.fetchAll(db, sql: "SELECT id, aura_key FROM validators WHERE aura_key IS NOT NULL").map { ($0["id"] as Int64, $0["aura_key"] as String) },
            uniquingKeysWith: { first, _ in first })
        var auraIDs: [Int64: Int64] = [:]
        let insert = try db.cachedStatement(sql: """
            INSERT INTO blocks (number, chain, hash, parent_hash, slot, sidechain_epoch, mainchain_epoch, timestamp_ms,
                extrinsics_count, finalized, author_id, author_aura_id, unattributed_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let rows = try Row.fetchCursor(db, sql: """
            SELECT rowid AS v1_rowid, block_number, block_hash, parent_hash, \(col("slot_number", "0")), \(col("epoch", "0")),
                   \(col("sidechain_epoch", "0")), \(col("timestamp", "0")), \(col("is_finalized", "0")), \(col("author_key", "NULL")),
                   \(col("extrinsics_count", "0"))
            FROM v1_blocks ORDER BY block_number
            """)
        let slotsPerEpoch = options.slotsPerEpoch.flatMap { Int64(exactly: $0) }.flatMap { $0 > 0 ? $0 : nil }
        let slotMs = options.slotDurationMs.flatMap { Int64(exactly: $0) }.flatMap { $0 > 0 ? $0 : nil }
        while let row = try rows.next() {
            let rowID: Int64 = row["v1_rowid"]
            func hash(_ column: String) throws -> Data {
                guard let text: String = row[column], let bytes = StoreHex.decode(text), !bytes.isEmpty else {
                    throw StoreError.invalidV1Row(
                        table: "blocks", rowID: rowID, column: column, reason: "\"\(row[column] as String? ?? "NULL")\" is not a hex hash")
                }
                return bytes
            }
            guard let number: Int64 = row["block_number"], number >= 0 else {
                throw StoreError.invalidV1Row(table: "blocks", rowID: rowID, column: "block_number", reason: "not a block number")
            }
            let slot: Int64 = row["slot_number"] ?? 0
            var sidechainEpoch: Int64 = row["sidechain_epoch"] ?? 0
            var timestampMs = (row["timestamp"] as Int64? ?? 0) * 1000
            var corrected = false
            if let spe = slotsPerEpoch, slot > 0, sidechainEpoch != slot / spe {
                sidechainEpoch = slot / spe
                corrected = true
            }
            if let slotMs, slot > 0, timestampMs != slot * slotMs {
                timestampMs = slot * slotMs
                corrected = true
            }
            if corrected { report.blocksCorrected += 1 }
            var authorID: Int64?
            var auraID: Int64?
            if let author: String = row["author_key"], !author.trimmingCharacters(in: .whitespaces).isEmpty {
                let id = try ids.validatorID(sidechainKey: author, auraKey: nil, grandpaKey: nil)
                authorID = id
                if let cached = auraIDs[id] {
                    auraID = cached
                } else if let aura = auraByValidator[id] {
                    let newID = try ids.auraKeyID(aura)
                    auraIDs[id] = newID
                    auraID = newID
                }
            }
            insert.setUncheckedArguments([
                number, options.chain, try hash("block_hash"), try hash("parent_hash"), slot, sidechainEpoch,
                row["epoch"] as Int64? ?? 0, timestampMs, row["extrinsics_count"] as Int64? ?? 0,
                (row["is_finalized"] as Int64? ?? 0) != 0 ? 1 : 0, authorID, auraID,
                authorID == nil ? UnattributedReason.unknown.code : nil,
            ])
            try insert.execute()
            report.blocks += 1
        }
        // v1 finalized by number; make "finalized" a prefix again and record the watermark.
        if let watermark = try Int64.fetchOne(db, sql: "SELECT MAX(number) FROM blocks WHERE finalized = 1") {
            try db.execute(sql: "UPDATE blocks SET finalized = 1 WHERE number <= ? AND finalized = 0", arguments: [watermark])
            try StoreSchema.setMeta(db, chain: options.chain, key: "finalized_watermark", value: String(watermark))
        }
    }

    private func migrateCommittees(_ db: Database) throws -> Int {
        let rows = try Row.fetchCursor(
            db, sql: "SELECT rowid AS v1_rowid, epoch, position, aura_key, created_at FROM v1_committee_snapshots ORDER BY epoch, position")
        var count = 0
        var current: (epoch: Int64, blob: Data, size: Int, length: Int, created: Int64)?
        func flush() throws {
            guard let c = current else { return }
            try db.execute(
                sql: """
                    INSERT INTO committees (sidechain_epoch, chain, committee_size, key_length, authorities, source, stored_ms)
                    VALUES (?, ?, ?, ?, ?, 'v1_migration', ?)
                    """,
                arguments: [c.epoch, options.chain, c.size, c.length, c.blob, c.created * 1000])
            count += 1
        }
        while let row = try rows.next() {
            let rowID: Int64 = row["v1_rowid"]
            let epoch: Int64 = row["epoch"]
            guard let text: String = row["aura_key"], let key = StoreHex.decode(text), !key.isEmpty else {
                throw StoreError.invalidV1Row(
                    table: "committee_snapshots", rowID: rowID, column: "aura_key", reason: "\"\(row["aura_key"] as String? ?? "NULL")\" is not a hex key")
            }
            if current?.epoch != epoch {
                try flush()
                current = (epoch, Data(), 0, key.count, 0)
            }
            guard var c = current, c.length == key.count else {
                throw StoreError.invalidV1Row(
                    table: "committee_snapshots", rowID: rowID, column: "aura_key", reason: "\(key.count)-byte key in a committee of \(current?.length ?? 0)-byte keys")
            }
            c.blob.append(key)
            c.size += 1
            c.created = max(c.created, row["created_at"] as Int64? ?? 0)
            current = c
        }
        try flush()
        return count
    }

    private func migrateValidatorEpochs(_ db: Database, ids: inout ValidatorIDs) throws -> Int {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT rowid AS v1_rowid, sidechain_epoch, sidechain_key, aura_key, committee_seats, committee_size, is_permissioned, stake_lovelace
            FROM v1_validator_epochs ORDER BY sidechain_epoch, rowid
            """)
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO validator_epochs (sidechain_epoch, validator_id, chain, aura_key, seats, committee_size, is_permissioned, is_candidate, stake)
            VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)
            ON CONFLICT(sidechain_epoch, validator_id) DO UPDATE SET seats = excluded.seats, committee_size = excluded.committee_size,
                is_candidate = 1,
                is_permissioned = excluded.is_permissioned, stake = excluded.stake, aura_key = excluded.aura_key
            """)
        var count = 0
        while let row = try rows.next() {
            let rowID: Int64 = row["v1_rowid"]
            guard let key: String = row["sidechain_key"], !key.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw StoreError.invalidV1Row(table: "validator_epochs", rowID: rowID, column: "sidechain_key", reason: "empty key")
            }
            let aura: String? = row["aura_key"]
            let id = try ids.validatorID(sidechainKey: key, auraKey: nil, grandpaKey: nil)
            try upsert.execute(arguments: [
                row["sidechain_epoch"] as Int64, id, options.chain, aura.map(StoreHex.normalizeKey), row["committee_seats"] as Int64? ?? 0,
                row["committee_size"] as Int64? ?? 0, row["is_permissioned"] as Int64? ?? 0, row["stake_lovelace"] as Int64?,
            ])
            count += 1
        }
        return count
    }

    /// Counts come from the blocks themselves (v1's running counters could drift).
    private func recomputeCounts(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO validator_epochs (sidechain_epoch, validator_id, chain, blocks_produced, committee_size)
            SELECT b.sidechain_epoch, b.author_id, ?, COUNT(*),
                   COALESCE((SELECT c.committee_size FROM committees c WHERE c.sidechain_epoch = b.sidechain_epoch), 0)
            FROM blocks b WHERE b.author_id IS NOT NULL GROUP BY b.sidechain_epoch, b.author_id
            ON CONFLICT(sidechain_epoch, validator_id) DO UPDATE SET blocks_produced = excluded.blocks_produced
            """, arguments: [options.chain])
        try db.execute(sql: """
            UPDATE validators SET
                blocks_total = (SELECT COUNT(*) FROM blocks WHERE author_id = validators.id),
                first_seen_ms = (SELECT MIN(timestamp_ms) FROM blocks WHERE author_id = validators.id),
                last_seen_ms = (SELECT MAX(timestamp_ms) FROM blocks WHERE author_id = validators.id),
                first_seen_epoch = (SELECT MIN(sidechain_epoch) FROM validator_epochs WHERE validator_id = validators.id),
                last_seen_epoch = (SELECT MAX(sidechain_epoch) FROM validator_epochs WHERE validator_id = validators.id)
            """)
    }

    private func migrateSyncStatus(_ db: Database) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM v1_sync_status ORDER BY rowid LIMIT 1") else { return }
        func value(_ name: String) -> Int64? { row.hasColumn(name) ? row[name] : nil }
        try db.execute(
            sql: """
                UPDATE sync_status SET last_synced_block = ?, last_finalized_block = ?, chain_tip_block = ?, current_mainchain_epoch = ?,
                    is_syncing = ?, updated_ms = ? WHERE chain = ?
                """,
            arguments: [value("last_synced_block"), value("last_finalized_block"), value("chain_tip_block"), value("current_epoch"),
                        (value("is_syncing") ?? 0) != 0 ? 1 : 0, (value("last_updated") ?? 0) * 1000, options.chain])
    }
}
