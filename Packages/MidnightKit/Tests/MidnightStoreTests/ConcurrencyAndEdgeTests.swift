import Foundation
import GRDB
import MidnightStore
import SpomTesting
import Testing

@Suite struct ConcurrencyAndEdgeTests {
    @Test func aReaderInAnotherConnectionSeesEachCommitWhileTheWriterKeepsWriting() throws {
        let dir = try TemporaryDirectory(prefix: "store-live")
        defer { dir.remove() }
        let writer = try Fixture.writer(dir)
        try writer.insertBlocks((1...10).map { Fixture.block($0, author: 0) })
        let reader = try MidnightDatabase.openReader(path: dir.path("mvm.db"))
        #expect(try reader.lastBlock()?.number == 10)
        for n in UInt64(11)...20 {
            try writer.insertBlocks([Fixture.block(n, author: Int(n % 3))], syncStatus: SyncStatusUpdate(lastSyncedBlock: n))
            #expect(try reader.lastBlock()?.number == n)
            #expect(try reader.syncStatus().lastSyncedBlock == n)
        }
        #expect(try reader.stats().totalBlocks == 20)
        #expect(try reader.integrityCheck(quick: true).isEmpty)
        try reader.close()
        try writer.close()
        #expect(throws: StoreError.self) { try writer.insertBlocks([Fixture.block(21, author: 0)]) }
        // Closed and checkpointed: the file alone holds everything.
        let walSize = (try? FileManager.default.attributesOfItem(atPath: dir.path("mvm.db-wal"))[.size] as? Int) ?? 0
        #expect(walSize == 0)
        #expect(try MidnightDatabase.openReader(path: dir.path("mvm.db")).stats().totalBlocks == 20)
    }

    @Test func registeredFilterAndOtherSorts() throws {
        let dir = try TemporaryDirectory(prefix: "store-filters")
        defer { dir.remove() }
        let writer = try Fixture.writer(dir)
        // Validators 0...2 are candidates of the newest committee; 5 only authored blocks; 6 is not registered.
        try writer.storeCommittee(Fixture.committee(epoch: 0, seats: [1, 1, 1]))
        try writer.insertBlocks([Fixture.block(1, author: 5), Fixture.block(2, author: 6), Fixture.block(3, author: 1)])
        try writer.recordRegistrationStatus(sidechainKey: Fixture.sidechainKey(6), status: "not_registered")
        let registered = try writer.reader.validators(ValidatorQuery(registered: true, sort: .key))
        #expect(registered.validators.map(\.sidechainKey) == [0, 1, 2].map(Fixture.sidechainKey))
        let unregistered = try writer.reader.validators(ValidatorQuery(registered: false, sort: .key))
        #expect(unregistered.validators.map(\.sidechainKey) == [5, 6].map(Fixture.sidechainKey))
        let producing = try writer.reader.validators(ValidatorQuery(producingOnly: true, sort: .lastSeen))
        #expect(producing.validators.map(\.sidechainKey) == [3, 2, 1].map { Fixture.sidechainKey([0, 5, 6, 1][$0]) })
        let bySeats = try writer.reader.validators(ValidatorQuery(sort: .seats, limit: 3))
        #expect(bySeats.validators.allSatisfy { $0.epochSeats == 1 } && bySeats.total == 5)
    }

    @Test func epochListPagesAndIncludesCommitteesAheadOfTheirBlocks() throws {
        let dir = try TemporaryDirectory(prefix: "store-epochs")
        defer { dir.remove() }
        let writer = try Fixture.writer(dir, slotsPerEpoch: 10)
        try writer.insertBlocks((1...35).map { Fixture.block($0, author: 0, slotsPerEpoch: 10) })
        try writer.storeCommittee(Fixture.committee(epoch: 4, seats: [2]))  // next epoch's committee, stored early
        #expect(try writer.reader.epochs(limit: 3).map(\.sidechainEpoch) == [4, 3, 2])
        #expect(try writer.reader.epochs(limit: 2, before: 3).map(\.sidechainEpoch) == [2, 1])
        let upcoming = try #require(try writer.reader.epochSummary(4))
        #expect(upcoming.blocksProduced == 0 && upcoming.committeeSize == 2 && upcoming.blocksMissed == nil)
        #expect(try writer.reader.epochs(limit: 10).first { $0.sidechainEpoch == 0 }?.blocksProduced == 9)
    }

    @Test func aPreSchemaMetaV1DatabaseIsMigratedToo() throws {
        let dir = try TemporaryDirectory(prefix: "store-prev1")
        defer { dir.remove() }
        let path = dir.path("old.db")
        // The oldest shape v1 upgraded from: bare tables, no schema_meta, no committee tables.
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: """
                CREATE TABLE blocks (block_number INTEGER PRIMARY KEY, block_hash TEXT NOT NULL UNIQUE, parent_hash TEXT NOT NULL,
                    state_root TEXT NOT NULL, extrinsics_root TEXT NOT NULL, slot_number INTEGER NOT NULL, epoch INTEGER NOT NULL,
                    timestamp INTEGER NOT NULL, is_finalized INTEGER DEFAULT 0, author_key TEXT, extrinsics_count INTEGER DEFAULT 0,
                    created_at INTEGER NOT NULL);
                CREATE TABLE validators (id INTEGER PRIMARY KEY AUTOINCREMENT, sidechain_key TEXT UNIQUE NOT NULL, aura_key TEXT,
                    grandpa_key TEXT, label TEXT, is_ours INTEGER DEFAULT 0, registration_status TEXT, first_seen_epoch INTEGER,
                    total_blocks INTEGER DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
                CREATE TABLE sync_status (id INTEGER PRIMARY KEY CHECK (id = 1), last_synced_block INTEGER NOT NULL DEFAULT 0,
                    last_finalized_block INTEGER NOT NULL DEFAULT 0, chain_tip_block INTEGER NOT NULL DEFAULT 0,
                    current_epoch INTEGER NOT NULL DEFAULT 0, is_syncing INTEGER DEFAULT 1, last_updated INTEGER NOT NULL);
                INSERT INTO sync_status VALUES (1, 2, 1, 2, 7, 0, 100);
                """)
            for n in 1...2 {
                try db.execute(
                    sql: "INSERT INTO blocks VALUES (?, ?, ?, '0x', '0x', ?, 7, ?, ?, ?, 2, 0)",
                    arguments: [n, Fixture.hash(UInt64(n)), Fixture.hash(UInt64(n - 1)), 1200 + n, 7200 + n * 6, n == 1 ? 1 : 0, V1Schema.ours])
            }
        }
        let writer = try MidnightDatabase.openWriter(path: path, options: WriterOptions(compactAfterMigration: false))
        #expect(writer.migration?.blocks == 2 && writer.migration?.compacted == false)
        let block = try #require(try writer.reader.block(number: 2))
        #expect(block.sidechainEpoch == 0 && block.mainchainEpoch == 7 && block.timestampMs == 7_212_000 && block.author == V1Schema.ours)
        #expect(try writer.reader.stats().finalizedBlocks == 1)
        #expect(try writer.reader.syncStatus().lastSyncedBlock == 2)
    }
}
