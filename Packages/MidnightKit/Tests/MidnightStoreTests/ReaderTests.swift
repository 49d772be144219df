import Foundation
import GRDB
import MidnightStore
import SpomTesting
import Testing

@Suite struct ReaderTests {
    @Test func gapsMatchV1VectorWithCorrectCountsAndTheLeadingRange() throws {
        let dir = try TemporaryDirectory(prefix: "store-gaps")
        defer { dir.remove() }
        let writer = try Fixture.writer(dir)
        try writer.insertBlocks([1, 2, 3, 7, 8, 10].map { Fixture.block($0, author: nil) })
        #expect(try writer.reader.gaps() == [BlockGap(start: 4, end: 6), BlockGap(start: 9, end: 9)])
        #expect(try writer.reader.gaps().map(\.missing) == [3, 1])
        #expect(try writer.reader.stats().gaps == 2)
        #expect(try writer.reader.stats().missingBlocks == 4)

        try writer.insertBlocks([20, 21].map { Fixture.block($0, author: nil) })
        try writer.updateSyncStatus(SyncStatusUpdate(startBlock: 1))
        #expect(try writer.reader.gaps().count == 3)
        let moved = try MidnightDatabase.openWriter(path: dir.path("other.db"))
        try moved.insertBlocks([5, 6, 8].map { Fixture.block($0, author: nil) })
        try moved.updateSyncStatus(SyncStatusUpdate(startBlock: 2))
        let gaps = try moved.reader.gaps()
        #expect(gaps == [BlockGap(start: 2, end: 4, leading: true), BlockGap(start: 7, end: 7)])
        #expect(gaps[0].missing == 3)
        #expect(try moved.reader.stats().missingBlocks == 4)
        #expect(try MidnightDatabase.openWriter(path: dir.path("empty.db")).reader.gaps().isEmpty)
    }

    @Test func ranksAreTrueRanksEvenWhenFilteringOurs() throws {
        let dir = try TemporaryDirectory(prefix: "store-ranks")
        defer { dir.remove() }
        let writer = try Fixture.writer(dir)
        // Validator 0: 5 blocks, 1: 3, 2: 3, 3: 1.
        let authors = [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3]
        try writer.insertBlocks(authors.enumerated().map { Fixture.block(UInt64($0.offset + 1), author: $0.element) })
        try writer.markOurs(sidechainKey: Fixture.sidechainKey(3))
        try writer.markOurs(sidechainKey: Fixture.sidechainKey(2))

        let all = try writer.reader.validators()
        #expect(all.validators.map(\.rank) == [1, 2, 2, 4])
        #expect(all.validators.map(\.sidechainKey) == [0, 1, 2, 3].map(Fixture.sidechainKey))
        #expect(all.total == 4 && all.totalBlocks == 12)
        #expect(abs(all.validators[0].sharePercent - 5.0 / 12.0 * 100) < 1e-9)

        let ours = try writer.reader.validators(ValidatorQuery(ours: true))
        #expect(ours.validators.map(\.rank) == [2, 4])
        #expect(ours.validators.map(\.sidechainKey) == [Fixture.sidechainKey(2), Fixture.sidechainKey(3)])
        #expect(ours.total == 2)

        let page2 = try writer.reader.validators(ValidatorQuery(limit: 2, offset: 2))
        #expect(page2.validators.map(\.sidechainKey) == [Fixture.sidechainKey(2), Fixture.sidechainKey(3)] && page2.total == 4)
        let byKey = try writer.reader.validators(ValidatorQuery(sort: .key))
        #expect(byKey.validators.map(\.sidechainKey) == byKey.validators.map(\.sidechainKey).sorted())
        #expect(throws: StoreError.self) { try writer.reader.validators(ValidatorQuery(limit: 0)) }
    }

    @Test func blockPagesAreKeysetPaginatedNewestFirstWithFilters() throws {
        let dir = try TemporaryDirectory(prefix: "store-pages")
        defer { dir.remove() }
        let writer = try Fixture.writer(dir, slotsPerEpoch: 10)
        try writer.insertBlocks((1...25).map { Fixture.block($0, author: Int($0 % 2), slotsPerEpoch: 10) })
        try writer.markFinalized(upTo: 20)
        let reader = try MidnightDatabase.openReader(path: dir.path("mvm.db"))

        let first = try reader.blocks(BlockQuery(limit: 10))
        #expect(first.blocks.map(\.number) == Array((16...25).reversed()))
        #expect(first.nextBefore == 16 && first.prevAfter == nil)
        let second = try reader.blocks(BlockQuery(before: first.nextBefore, limit: 10))
        #expect(second.blocks.map(\.number) == Array((6...15).reversed()))
        let third = try reader.blocks(BlockQuery(before: second.nextBefore, limit: 10))
        #expect(third.blocks.map(\.number) == Array((1...5).reversed()) && third.nextBefore == nil && third.prevAfter == 5)
        let back = try reader.blocks(BlockQuery(after: third.prevAfter, limit: 10))
        #expect(back.blocks.map(\.number) == Array((6...15).reversed()) && back.prevAfter == 15 && back.nextBefore == 6)

        let byAuthor = try reader.blocks(BlockQuery(limit: 100, author: Fixture.sidechainKey(1).uppercased()))
        #expect(byAuthor.blocks.map(\.number) == stride(from: 25, through: 1, by: -2).map { UInt64($0) })
        let epoch = try reader.blocks(BlockQuery(limit: 100, sidechainEpoch: 1))
        #expect(epoch.blocks.map(\.number) == Array((10...19).reversed()))
        let unfinal = try reader.blocks(BlockQuery(limit: 100, finalized: false))
        #expect(unfinal.blocks.map(\.number) == [25, 24, 23, 22, 21])
        let combined = try reader.blocks(BlockQuery(before: 19, limit: 2, author: Fixture.sidechainKey(0), sidechainEpoch: 1))
        #expect(combined.blocks.map(\.number) == [18, 16] && combined.nextBefore == 16 && combined.prevAfter == nil)
        #expect(try reader.blocks(BlockQuery(author: Fixture.sidechainKey(77))).blocks.isEmpty)
        #expect(throws: StoreError.invalidArgument(name: "limit", value: "1001", reason: "must be between 1 and 1000")) {
            try reader.blocks(BlockQuery(limit: 1001))
        }
        #expect(throws: StoreError.self) { try reader.block(hash: "not hex") }
    }

    @Test func epochSummaryCountsProducedMissedExpectedAndOurs() throws {
        let dir = try TemporaryDirectory(prefix: "store-epoch")
        defer { dir.remove() }
        // 10-slot epochs; slots == block numbers + 0. Epoch 1 = slots 10...19.
        let writer = try Fixture.writer(dir, slotsPerEpoch: 10)
        try writer.storeCommittee(Fixture.committee(epoch: 1, seats: [2, 1, 1]))  // committee of 4
        try writer.markOurs(sidechainKey: Fixture.sidechainKey(0))
        // Epoch 0 slots 5...9 stored; epoch 1 has blocks in slots 10...19 except 13 and 17 (missed);
        // epoch 2 running: slots 20...24.
        var blocks: [NewBlock] = []
        var number: UInt64 = 1
        for slot in (5...24) where slot != 13 && slot != 17 {
            var block = Fixture.block(number, author: slot % 3 == 0 ? nil : Int(slot % 3), slotsPerEpoch: 10)
            block.slot = UInt64(slot)
            block.sidechainEpoch = UInt64(slot / 10)
            blocks.append(block)
            number += 1
        }
        try writer.insertBlocks(blocks)
        let reader = writer.reader

        let summary = try #require(try reader.epochSummary(1))
        #expect(summary.blocksProduced == 8)
        #expect(summary.slotsInEpoch == 10 && summary.slotsCovered == 10)
        #expect(summary.blocksMissed == 2)
        #expect(summary.committeeSize == 4 && summary.committeeSource == "test")
        #expect(!summary.isRunning && summary.progress == nil)
        #expect(summary.firstSlot == 10 && summary.lastSlot == 19)
        // slot%3: 10->1, 11->2, 12->0(unattributed), 14->2, 15->0, 16->1, 18->0, 19->1
        #expect(summary.unattributedBlocks == 3)
        #expect(summary.ourSeats == 2 && summary.ourBlocks == 0)
        #expect(summary.ourExpectedBlocks == 2.0 / 4.0 * 8)
        let v1 = try #require(summary.validators.first { $0.sidechainKey == Fixture.sidechainKey(1) })
        #expect(v1.seats == 1 && v1.blocksProduced == 3 && v1.expectedBlocks == 2.0 && v1.ratio == 1.5)
        #expect(summary.validators.first?.sidechainKey == Fixture.sidechainKey(0))  // most seats first

        // Epoch 0: covered from the first stored slot only (the sync started inside it).
        let early = try #require(try reader.epochSummary(0))
        #expect(early.slotsCovered == 5 && early.blocksMissed == 0 && early.committeeSize == nil)
        // Epoch 2 is running: covered up to its newest block, progress 5/10.
        let running = try #require(try reader.epochSummary(2))
        #expect(running.isRunning && running.slotsCovered == 5 && running.progress == 0.5)
        #expect(try reader.epochSummary(9) == nil)

        let list = try reader.epochs(limit: 10)
        #expect(list.map(\.sidechainEpoch) == [2, 1, 0])
        #expect(list[1].blocksProduced == 8 && list[1].committeeSize == 4 && list[1].ourSeats == 2)
        let sparkline = try reader.blockCountsPerEpoch(scope: .keys([Fixture.sidechainKey(1)]), count: 4)
        #expect(sparkline.map(\.sidechainEpoch) == [0, 1, 2])
        #expect(sparkline.map(\.blocks) == [1, 3, 1] && sparkline.map(\.seats) == [0, 1, 0])
        let ours = try reader.blockCountsPerEpoch(scope: .ours, count: 2, endingAt: 1)
        #expect(ours.map(\.sidechainEpoch) == [0, 1] && ours.map(\.seats) == [0, 2] && ours.map(\.blocks) == [0, 0])
        let all = try reader.blockCountsPerEpoch(scope: .all, count: 3)
        #expect(all.map(\.sidechainEpoch) == [0, 1, 2] && all.map(\.blocks) == [5, 8, 5] && all.map(\.seats) == [0, 4, 0])

        let validators = try reader.validators(ValidatorQuery(epoch: 1))
        let one = try #require(validators.validators.first { $0.sidechainKey == Fixture.sidechainKey(1) })
        #expect(one.epoch == 1 && one.epochBlocks == 3 && one.epochSeats == 1 && one.epochCommitteeSize == 4 && one.epochExpectedBlocks == 2.0)
    }

    @Test func readersOpenReadOnlyAndExplainMissingOrUnmigratedFiles() throws {
        let dir = try TemporaryDirectory(prefix: "store-ro")
        defer { dir.remove() }
        let missing = dir.path("nothing/here.db")
        #expect(throws: StoreError.databaseNotFound(path: missing)) { try MidnightDatabase.openReader(path: missing) }
        #expect(StoreError.databaseNotFound(path: missing).description == "database not found at \(missing): run `mvm sync` first")
        #expect(!FileManager.default.fileExists(atPath: missing))

        let writer = try MidnightDatabase.openWriter(path: dir.path("deep/er/mvm.db"))
        try writer.insertBlocks([Fixture.block(1, author: 0)])
        let reader = try MidnightDatabase.openReader(path: dir.path("deep/er/mvm.db"))
        #expect(try reader.schemaVersion() == 2)
        // The reader's connection refuses writes.
        let raw = try DatabaseQueue(path: dir.path("deep/er/mvm.db"), configuration: { var c = Configuration(); c.readonly = true; return c }())
        #expect(throws: (any Error).self) { try raw.write { try $0.execute(sql: "DELETE FROM blocks") } }
        #expect(try reader.stats().totalBlocks == 1)
    }

    @Test func newerSchemasAreRefusedWithAClearMessage() throws {
        let dir = try TemporaryDirectory(prefix: "store-newer")
        defer { dir.remove() }
        let path = dir.path("mvm.db")
        _ = try MidnightDatabase.openWriter(path: path)
        try DatabaseQueue(path: path).write { try $0.execute(sql: "UPDATE schema_meta SET value = '3' WHERE key = 'schema_version'") }
        #expect(throws: StoreError.schemaTooNew(path: path, found: 3, supported: 2)) { try MidnightDatabase.openWriter(path: path) }
        #expect(throws: StoreError.schemaTooNew(path: path, found: 3, supported: 2)) { try MidnightDatabase.openReader(path: path) }
        #expect(StoreError.schemaTooNew(path: path, found: 3, supported: 2).description.contains("upgrade mvm"))
    }
}
