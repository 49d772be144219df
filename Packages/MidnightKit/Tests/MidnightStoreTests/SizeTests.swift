import Foundation
import GRDB
import MidnightStore
import SpomTesting
import Testing

@Suite struct SizeTests {
    /// 10k blocks of a realistic testnet shape (1200-slot epochs, 1200-seat committees of 185 candidates,
    /// every block attributed, 5% missed slots) take at most 300 bytes per block on disk, every
    /// table and index included.
    @Test func tenThousandBlocksFitIn300BytesEach() throws {
        let dir = try TemporaryDirectory(prefix: "store-size")
        defer { dir.remove() }
        let path = dir.path("mvm.db")
        let writer = try MidnightDatabase.openWriter(path: path, options: WriterOptions(slotsPerEpoch: 1200, slotDurationMs: 6000))
        let candidates = 185
        let firstSlot: UInt64 = 294_751_200
        var committees: [UInt64: [Int]] = [:]
        func committee(_ epoch: UInt64) throws -> [Int] {
            if let seats = committees[epoch] { return seats }
            var seats: [Int] = []
            var state = epoch
            for _ in 0..<1200 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                seats.append(Int((state >> 33) % UInt64(candidates)))
            }
            let candidateList = (0..<candidates).map {
                CommitteeCandidate(sidechainKey: Fixture.sidechainKey($0), auraKey: Fixture.auraKey($0), isPermissioned: $0 < 10, stake: $0 < 10 ? nil : UInt64($0) * 1_000_000)
            }
            try writer.storeCommittee(NewCommittee(
                sidechainEpoch: epoch, mainchainEpoch: epoch / 12, authorities: seats.map(Fixture.auraKey), source: "rpc", candidates: candidateList))
            committees[epoch] = seats
            return seats
        }
        var slot = firstSlot
        var batch: [NewBlock] = []
        let count: UInt64 = 10_000
        let started = Date()
        for number in 1...count {
            slot += (number % 20 == 0) ? 2 : 1  // one missed slot in twenty
            let epoch = slot / 1200
            let seats = try committee(epoch)
            let author = seats[Int(slot % 1200)]
            batch.append(NewBlock(
                number: 3_000_000 + number, hash: Fixture.hash(number), parentHash: Fixture.hash(number - 1), slot: slot,
                sidechainEpoch: epoch, mainchainEpoch: slot * 6 / 86_400, timestampMs: slot * 6000, extrinsicsCount: 1 + Int(number % 4),
                author: .attributed(sidechainKey: Fixture.sidechainKey(author), auraKey: Fixture.auraKey(author))))
            if batch.count == 500 {
                try writer.insertBlocks(batch, syncStatus: SyncStatusUpdate(lastSyncedBlock: 3_000_000 + number))
                batch.removeAll(keepingCapacity: true)
            }
        }
        try writer.markFinalized(upTo: 3_000_000 + count - 2)
        let seconds = Date().timeIntervalSince(started)
        let stats = try writer.reader.stats()
        #expect(stats.totalBlocks == Int(count) && stats.attributedBlocks == Int(count) && stats.gaps == 0)
        #expect(try writer.reader.validators(ValidatorQuery(limit: 1000)).totalBlocks == Int(count))
        #expect(try writer.reader.integrityCheck().isEmpty)

        // Checkpoint the WAL into the file, then measure the file.
        let raw = try DatabaseQueue(path: path)
        try raw.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let pages = try raw.read { db in
            try Row.fetchAll(db, sql: "SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC")
        }
        try raw.close()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let perBlock = Double(size) / Double(count)
        print("MidnightStore size: \(size) bytes for \(count) blocks = \(String(format: "%.1f", perBlock)) B/block; insert incl. committees \(String(format: "%.0f", Double(count) / seconds)) blocks/s (debug build)")
        for row in pages { print("  \(row["name"] as String): \(row["bytes"] as Int) bytes") }
        #expect(perBlock <= 300)
    }
}
