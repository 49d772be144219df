import Foundation
import Logging
import MidnightRemote
import MidnightStore
import SpomRemote
import SpomTesting
import Testing

/// The figures Scripts/bench-remote prints: backfill push rate of 100k blocks and the
/// steady-state lag. Runs only when MVM_BENCH_REMOTE is set (timing belongs in Scripts/).
@Suite("Remote push benchmark", .enabled(if: ProcessInfo.processInfo.environment["MVM_BENCH_REMOTE"] != nil),
       .enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipMessage)))
struct RemoteBenchmark {
    @Test("backfill 100k blocks, then steady state")
    func benchmark() async throws {
        let blocks = UInt64(ProcessInfo.processInfo.environment["MVM_BENCH_REMOTE_BLOCKS"] ?? "") ?? 100_000
        let server = try TestPostgres.shared()
        let dir = try TemporaryDirectory(prefix: "remote-bench")
        defer { dir.remove() }
        let path = dir.path("mvm.db")
        let chain = try ChainFixture(path: path)
        try chain.insertBlocks(0...(blocks - 1), batch: 5_000)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let instance = "bench-\(UInt32.random(in: 0...UInt32.max))"
        let settings = MidnightRemoteSettings(enabled: true, url: server.url, syncIntervalSecs: 1, chainID: "midnight", instanceName: instance)
        let remote = try #require(try MidnightRemote.make(settings: settings, databasePath: path, logger: logger))

        let start = ContinuousClock.now
        let rows = try await remote.pushNow()
        let seconds = Self.seconds(ContinuousClock.now - start)
        print(String(format: "BENCH backfill: %llu blocks, %lld rows (all tables) in %.2f s = %.0f rows/s, %.0f blocks/s",
                     blocks, rows, seconds, Double(rows) / seconds, Double(blocks) / seconds))

        // Steady state: one new block per cycle at the tip (the chain's real rate is ~1 per 6 s),
        // timed from the local commit to the end of the push that carries it.
        var lags: [Double] = []
        for n in blocks..<(blocks + 20) {
            try chain.writer.insertBlocks([ChainFixture.block(n)], syncStatus: SyncStatusUpdate(lastSyncedBlock: n))
            let t0 = ContinuousClock.now
            _ = try await remote.pushNow()
            lags.append(Self.seconds(ContinuousClock.now - t0))
        }
        lags.sort()
        print(String(format: "BENCH steady state: incremental cycle median %.1f ms, max %.1f ms (lag = sync_interval_secs + cycle)",
                     lags[lags.count / 2] * 1000, lags.last! * 1000))
        let fullStart = ContinuousClock.now
        _ = try await remote.pushNow()
        let status = await remote.status()
        print(String(format: "BENCH idle cycle (nothing changed): %.1f ms; watermark %lld", Self.seconds(ContinuousClock.now - fullStart) * 1000, status.watermarkBlock ?? -1))
        #expect(status.watermarkBlock == Int64(blocks + 19))
        await remote.close()
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
}
