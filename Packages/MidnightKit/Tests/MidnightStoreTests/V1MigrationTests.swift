import Foundation
import GRDB
import MidnightStore
import SpomTesting
import Testing

/// v1's schema, exactly as predecessor-core §10.2 describes it (what `Database::open` creates).
enum V1Schema {
    static let ddl = """
        CREATE TABLE IF NOT EXISTS schema_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS blocks (
            block_number INTEGER PRIMARY KEY,
            block_hash TEXT NOT NULL UNIQUE,
            parent_hash TEXT NOT NULL,
            state_root TEXT NOT NULL,
            extrinsics_root TEXT NOT NULL,
            slot_number INTEGER NOT NULL,
            epoch INTEGER NOT NULL,
            sidechain_epoch INTEGER NOT NULL DEFAULT 0,
            timestamp INTEGER NOT NULL,
            is_finalized INTEGER DEFAULT 0,
            author_key TEXT,
            extrinsics_count INTEGER DEFAULT 0,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS idx_blocks_hash ON blocks(block_hash);
        CREATE INDEX IF NOT EXISTS idx_blocks_slot ON blocks(slot_number);
        CREATE INDEX IF NOT EXISTS idx_blocks_epoch ON blocks(epoch);
        CREATE INDEX IF NOT EXISTS idx_blocks_sidechain_epoch ON blocks(sidechain_epoch);
        CREATE INDEX IF NOT EXISTS idx_blocks_author ON blocks(author_key);
        CREATE INDEX IF NOT EXISTS idx_blocks_timestamp ON blocks(timestamp);
        CREATE TABLE IF NOT EXISTS validators (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            sidechain_key TEXT UNIQUE NOT NULL,
            aura_key TEXT,
            grandpa_key TEXT,
            label TEXT,
            is_ours INTEGER DEFAULT 0,
            registration_status TEXT,
            first_seen_epoch INTEGER,
            total_blocks INTEGER DEFAULT 0,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS idx_validators_sidechain ON validators(sidechain_key);
        CREATE INDEX IF NOT EXISTS idx_validators_ours ON validators(is_ours);
        CREATE TABLE IF NOT EXISTS committee_snapshots (
            epoch INTEGER NOT NULL,
            position INTEGER NOT NULL,
            aura_key TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (epoch, position)
        );
        CREATE INDEX IF NOT EXISTS idx_committee_epoch ON committee_snapshots(epoch);
        CREATE INDEX IF NOT EXISTS idx_committee_aura_key ON committee_snapshots(aura_key);
        CREATE TABLE IF NOT EXISTS validator_epochs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            sidechain_epoch INTEGER NOT NULL,
            sidechain_key TEXT NOT NULL,
            aura_key TEXT NOT NULL,
            committee_seats INTEGER NOT NULL DEFAULT 0,
            committee_size INTEGER NOT NULL DEFAULT 0,
            is_permissioned INTEGER NOT NULL DEFAULT 0,
            stake_lovelace INTEGER,
            captured_at INTEGER NOT NULL,
            UNIQUE(sidechain_epoch, sidechain_key)
        );
        CREATE INDEX IF NOT EXISTS idx_validator_epochs_epoch ON validator_epochs(sidechain_epoch);
        CREATE INDEX IF NOT EXISTS idx_validator_epochs_key ON validator_epochs(sidechain_key);
        CREATE TABLE IF NOT EXISTS sync_status (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            last_synced_block INTEGER NOT NULL DEFAULT 0,
            last_finalized_block INTEGER NOT NULL DEFAULT 0,
            chain_tip_block INTEGER NOT NULL DEFAULT 0,
            current_epoch INTEGER NOT NULL DEFAULT 0,
            is_syncing INTEGER DEFAULT 1,
            last_updated INTEGER NOT NULL
        );
        INSERT OR IGNORE INTO sync_status (id, last_synced_block, last_finalized_block, chain_tip_block, current_epoch, last_updated)
            VALUES (1, 0, 0, 0, 0, 0);
        """

    static let ours = "0x02" + String(repeating: "a1", count: 32)
    static let other = "0x03" + String(repeating: "b2", count: 32)
    static let unlisted = "0x02" + String(repeating: "c3", count: 32)
    static let oursAura = "0x" + String(repeating: "d4", count: 32)
    static let otherAura = "0x" + String(repeating: "e5", count: 32)

    /// Builds a v1 database like v1 1.0.5 leaves it: blocks 1000...1029 (1000...1019 finalized, 1015 unattributed,
    /// 1020...1029 by a key v1's validators table lacks), two validators (ours written in upper case),
    /// a 4-seat committee snapshot for sidechain epoch 245626, validator_epochs rows, sync_status, schema_meta.
    static func create(at path: String, corruptBlockHash: Bool = false) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: ddl)
            try db.execute(sql: "INSERT INTO schema_meta VALUES ('schema_version', '1'), ('created_at', '2026-01-15T20:15:06Z'), ('created_by', '1.0.5')")
            try db.execute(sql: """
                INSERT INTO validators (sidechain_key, aura_key, grandpa_key, label, is_ours, registration_status, first_seen_epoch, total_blocks, created_at, updated_at)
                VALUES (?, ?, ?, NULL, 1, 'registered', 1178, 999, 1768508106, 1768508200),
                       (?, ?, NULL, NULL, 0, 'permissioned', 1178, 3, 1768508106, 1768508106)
                """, arguments: [ours.uppercased().replacingOccurrences(of: "0X", with: "0x"), oursAura, "0x" + String(repeating: "f6", count: 32), other, otherAura])
            for n in 1000...1029 {
                let slot = 294_751_200 + n
                let author: String? = n == 1015 ? nil : (n >= 1020 ? unlisted : (n % 2 == 0 ? ours : other))
                let hash = corruptBlockHash && n == 1017 ? "0xnot-a-hash" : Fixture.hash(UInt64(n))
                try db.execute(
                    sql: """
                        INSERT INTO blocks (block_number, block_hash, parent_hash, state_root, extrinsics_root, slot_number, epoch,
                            sidechain_epoch, timestamp, is_finalized, author_key, extrinsics_count, created_at)
                        VALUES (?, ?, ?, '0x00', '0x00', ?, 1178, 245639, ?, ?, ?, 2, 1768600000)
                        """,
                    arguments: [n, hash, Fixture.hash(UInt64(n - 1)), slot, slot * 6 + 4, n < 1020 ? 1 : 0, author])
            }
            for (position, key) in [oursAura, otherAura, oursAura, "0x" + String(repeating: "99", count: 32)].enumerated() {
                try db.execute(sql: "INSERT INTO committee_snapshots VALUES (245626, ?, ?, 1768508106)", arguments: [position, key])
            }
            try db.execute(sql: """
                INSERT INTO validator_epochs (sidechain_epoch, sidechain_key, aura_key, committee_seats, committee_size, is_permissioned, stake_lovelace, captured_at)
                VALUES (245626, ?, ?, 2, 4, 0, 5000000000, 1768508106), (245626, ?, ?, 1, 4, 1, NULL, 1768508106)
                """, arguments: [ours, oursAura, other, otherAura])
            try db.execute(sql: "UPDATE sync_status SET last_synced_block = 1029, last_finalized_block = 1019, chain_tip_block = 1031, current_epoch = 1178, is_syncing = 0, last_updated = 1768600000")
        }
        try queue.close()
    }
}

@Suite struct V1MigrationTests {
    @Test func aV1DatabaseMigratesInPlaceWithEveryRowKept() throws {
        let dir = try TemporaryDirectory(prefix: "store-v1")
        defer { dir.remove() }
        let path = dir.path("mvm.db")
        try V1Schema.create(at: path)
        #expect(throws: StoreError.schemaNeedsMigration(path: path, found: 1, supported: 2)) { try MidnightDatabase.openReader(path: path) }

        let writer = try MidnightDatabase.openWriter(path: path, options: WriterOptions(slotsPerEpoch: 1200, slotDurationMs: 6000))
        let report = try #require(writer.migration)
        #expect(report.fromVersion == 1 && report.toVersion == 2)
        #expect(report.blocks == 30 && report.committees == 1 && report.validatorEpochs == 2)
        #expect(report.validators == 3 && report.ourValidators == 1)
        #expect(report.blocksCorrected == 30)  // v1 stamped every block with the current epoch and a shifted timestamp
        #expect(report.compacted)

        // The backup is the untouched v1 database.
        #expect(report.backupPath.hasPrefix(path + ".v1-backup-"))
        let backup = try DatabaseQueue(path: report.backupPath)
        #expect(try backup.read { try String.fetchOne($0, sql: "SELECT value FROM schema_meta WHERE key = 'schema_version'") } == "1")
        #expect(try backup.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM blocks") } == 30)
        try backup.close()

        let reader = try MidnightDatabase.openReader(path: path)
        #expect(try reader.schemaVersion() == 2)
        let stats = try reader.stats()
        #expect(stats.totalBlocks == 30 && stats.firstBlock == 1000 && stats.lastBlock == 1029)
        #expect(stats.finalizedBlocks == 20 && stats.lastFinalizedBlock == 1019 && stats.gaps == 0)
        #expect(stats.attributedBlocks == 29 && stats.unattributedByReason == ["unknown": 1])
        #expect(stats.validators == 3 && stats.ourValidators == 1 && stats.committees == 1)

        let block = try #require(try reader.block(number: 1010))
        let slot: UInt64 = 294_751_200 + 1010
        #expect(block.hash == Fixture.hash(1010) && block.parentHash == Fixture.hash(1009))
        #expect(block.slot == slot && block.mainchainEpoch == 1178 && block.sidechainEpoch == slot / 1200)
        #expect(block.timestampMs == slot * 6000 && block.extrinsicsCount == 2 && block.finalized)
        #expect(block.author == V1Schema.ours && block.authorAuraKey == V1Schema.oursAura)
        #expect(try reader.block(hash: Fixture.hash(1025))?.author == V1Schema.unlisted)
        #expect(try reader.block(number: 1015)?.author == nil)

        // Counts come from the blocks (v1's counter said 999).
        let ours = try #require(try reader.validator(key: V1Schema.ours))
        #expect(ours.validator.isOurs && ours.validator.blocksTotal == 10 && ours.validator.grandpaKey != nil)
        #expect(ours.validator.registrationStatus == "registered" && ours.registrationHistory.map(\.status) == ["registered"])
        let oursEpoch = try #require(ours.epochs.first { $0.sidechainEpoch == 245626 })
        #expect(oursEpoch.seats == 2 && oursEpoch.committeeSize == 4 && oursEpoch.stake == 5_000_000_000)
        #expect(try reader.validator(key: V1Schema.other)?.validator.isPermissioned == true)
        #expect(try reader.validator(key: V1Schema.unlisted)?.validator.blocksTotal == 10)

        let committee = try #require(try reader.committee(sidechainEpoch: 245626))
        #expect(committee.authorities == [V1Schema.oursAura, V1Schema.otherAura, V1Schema.oursAura, "0x" + String(repeating: "99", count: 32)])
        #expect(committee.source == "v1_migration")

        let status = try reader.syncStatus()
        #expect(status.lastSyncedBlock == 1029 && status.lastFinalizedBlock == 1019 && status.chainTipBlock == 1031)
        #expect(status.currentMainchainEpoch == 1178 && status.updatedMs == 1_768_600_000_000)

        // Opening again is a no-op, and the writer keeps working on the migrated file.
        let again = try MidnightDatabase.openWriter(path: path)
        #expect(again.migration == nil)
        #expect(try again.markFinalized(upTo: 1029).newlyFinalized == 10)
        try again.insertBlocks([Fixture.block(1030, author: 0)])
        #expect(try again.reader.stats().totalBlocks == 31)
    }

    @Test func aFailedMigrationLeavesTheV1FileByteIdentical() throws {
        let dir = try TemporaryDirectory(prefix: "store-v1-fail")
        defer { dir.remove() }
        let path = dir.path("mvm.db")
        try V1Schema.create(at: path, corruptBlockHash: true)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        do {
            _ = try MidnightDatabase.openWriter(path: path)
            Issue.record("migrating a corrupt v1 database succeeded")
        } catch let error as StoreError {
            guard case .migrationFailed(let failedPath, _, let reason, let backup) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(failedPath == path)
            #expect(reason.contains("block_hash") && reason.contains("0xnot-a-hash"))
            #expect(backup.map { FileManager.default.fileExists(atPath: $0) } == true)
            #expect(error.description.contains("nothing was changed"))
        }
        let after = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(after == before)
        let v1 = try DatabaseQueue(path: path)
        #expect(try v1.read { try String.fetchOne($0, sql: "SELECT value FROM schema_meta WHERE key = 'schema_version'") } == "1")
        #expect(try v1.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM blocks") } == 30)
        #expect(try v1.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM committee_snapshots") } == 4)
        try v1.close()
    }

    @Test func aFileThatIsNotAnMVMDatabaseIsRefused() throws {
        let dir = try TemporaryDirectory(prefix: "store-foreign")
        defer { dir.remove() }
        let path = dir.path("other.db")
        try DatabaseQueue(path: path).write { try $0.execute(sql: "CREATE TABLE something (x)") }
        #expect(throws: StoreError.self) { try MidnightDatabase.openWriter(path: path) }
        #expect(throws: StoreError.self) { try MidnightDatabase.openReader(path: path) }
    }
}
