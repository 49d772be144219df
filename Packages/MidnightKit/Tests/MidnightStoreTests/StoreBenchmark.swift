import Foundation
import MidnightStore
import SpomTesting
import Testing

/// Throughput and write-volume figures; run on demand only (timing goals are not unit tests):
/// `MVM_STORE_BENCH=1 swift test -c release --filter StoreBenchmark`. It prints the figures and checks
/// only that every block landed. Run it alone: it reads the process's I/O counter.
@Suite(.serialized) struct StoreBenchmark {
    static let enabled = ProcessInfo.processInfo.environment["MVM_STORE_BENCH"] != nil

    static func writtenBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("write_bytes:") {
            return Int(line.split(separator: " ").last ?? "") ?? 0
        }
        return 0
    }

    /// CPU seconds (user + system) used by the process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func blocks(_ range: ClosedRange<UInt64>, candidates: Int = 185) -> [NewBlock] {
        range.map { n in
            let slot = 294_000_000 + n
            let author = Int((slot &* 2_654_435_761) % UInt64(candidates))
            return NewBlock(
                number: n, hash: Fixture.hash(n), parentHash: Fixture.hash(n - 1), slot: slot, sidechainEpoch: slot / 1200,
                mainchainEpoch: slot / 14_400, timestampMs: slot * 6000, extrinsicsCount: 2,
                author: .attributed(sidechainKey: Fixture.sidechainKey(author), auraKey: Fixture.auraKey(author)))
        }
    }

    static func committees(_ writer: StoreWriter, epochs: ClosedRange<UInt64>, candidates: Int = 185) throws {
        let list = (0..<candidates).map { CommitteeCandidate(sidechainKey: Fixture.sidechainKey($0), auraKey: Fixture.auraKey($0), isPermissioned: $0 < 10) }
        for epoch in epochs {
            try writer.storeCommittee(NewCommittee(
                sidechainEpoch: epoch, authorities: (0..<1200).map { Fixture.auraKey(($0 * 7 + Int(epoch)) % candidates) }, source: "bench",
                candidates: list))
        }
    }

    @Test(.enabled(if: enabled)) func catchUpInsertRateAndBytesWritten() throws {
        let dir = try TemporaryDirectory(prefix: "store-bench")
        defer { dir.remove() }
        let writer = try MidnightDatabase.openWriter(path: dir.path("mvm.db"), options: WriterOptions(slotsPerEpoch: 1200, slotDurationMs: 6000))
        let count: UInt64 = 100_000
        let prepared = Self.blocks(1...count)
        try Self.committees(writer, epochs: (294_000_001 / 1200)...((294_000_000 + count) / 1200))
        for batchSize in [1000] {
            let writtenBefore = Self.writtenBytes()
            let started = Date()
            let cpuBefore = Self.cpuSeconds()
            var index = 0
            while index < prepared.count {
                let end = min(index + batchSize, prepared.count)
                try writer.insertBlocks(Array(prepared[index..<end]), syncStatus: SyncStatusUpdate(lastSyncedBlock: UInt64(end)))
                try writer.markFinalized(upTo: UInt64(end))
                index = end
            }
            let seconds = Date().timeIntervalSince(started)
            let cpu = Self.cpuSeconds() - cpuBefore
            let written = Self.writtenBytes() - writtenBefore
            print(String(format: "catch-up: %d blocks in %.2f s = %.0f blocks/s (batches of %d; %.2f CPU s = %.0f blocks per CPU second); %.0f bytes written per block",
                         count, seconds, Double(count) / seconds, batchSize, cpu, Double(count) / cpu, Double(written) / Double(count)))
        }
        #expect(try writer.reader.stats().totalBlocks == Int(count))

        // At the tip: one block per transaction, with the sync status and finality, like the live daemon.
        let tip = Self.blocks((count + 1)...(count + 300))
        let writtenBefore = Self.writtenBytes()
        let started = Date()
        for block in tip {
            try writer.insertBlocks([block], syncStatus: SyncStatusUpdate(lastSyncedBlock: block.number, chainTipBlock: block.number))
            try writer.markFinalized(upTo: block.number - 2)
            try writer.updateSyncStatus(SyncStatusUpdate(lastFinalizedBlock: block.number - 2))
        }
        let seconds = Date().timeIntervalSince(started)
        let written = Self.writtenBytes() - writtenBefore
        print(String(format: "tip: %d blocks one at a time in %.2f s (%.2f ms each); %.0f bytes written per block",
                     tip.count, seconds, seconds * 1000 / Double(tip.count), Double(written) / Double(tip.count)))
        #expect(try writer.reader.stats().totalBlocks == Int(count) + tip.count)
    }
}
