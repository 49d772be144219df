import Foundation
import Logging
import MidnightStatus
import MidnightView
import SpomTUI
import Synchronization
import Testing

private let now: UInt64 = 1_800_000_000_000

/// node_exporter figures as a scrape of the devnode's exporter would give them.
private func metrics(memoryUsed: Double, total: Double = 16 * 1_073_741_824) -> SystemMetricsSummary {
    var m = SystemMetricsSummary()
    m.memoryTotalBytes = total
    m.memoryAvailableBytes = total * (1 - memoryUsed)
    m.diskSizeBytes = 500 * 1_073_741_824
    m.diskAvailableBytes = 380 * 1_073_741_824
    m.load1 = 1.18
    return m
}

/// Answers one queued result per call (the last one repeats).
private final class SystemScript: Sendable {
    private let results: Mutex<[Result<SystemMetricsSummary, StatusProblem>]>
    init(_ results: [Result<SystemMetricsSummary, StatusProblem>]) { self.results = Mutex(results) }
    func next() throws -> SystemMetricsSummary {
        try results.withLock { list in list.count > 1 ? list.removeFirst() : list[0] }.get()
    }
}

private func app(_ loader: DashboardLoader, at nowMs: UInt64 = now) async -> DashboardApp {
    var app = DashboardApp(snapshot: await loader.load(nowMs: nowMs))
    app.setNow(ms: nowMs)
    return app
}

private func rows(_ text: String) -> [Substring] { text.split(separator: "\n", omittingEmptySubsequences: false) }

@Suite("System panel and layouts")
struct SystemAndLayoutTests {
    @Test func notConfiguredSaysSoInsteadOfVanishing() async throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        var app = await app(fixture.loader())
        let small = screen(&app, columns: 80, rows: 24)
        #expect(small.contains("System: ○ node_exporter not configured"), "\(small)")
        let wide = screen(&app, columns: 160, rows: 48)
        #expect(wide.contains("○ off"))
        #expect(wide.contains("○ node_exporter not configured: set") && wide.contains("rpc.node_exporter_url"), "\(wide)")
    }

    @Test func unreachableNodeExporterIsNamedWithItsURL() async throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        // Nothing listens on the discard port: a real scrape fails with connection refused.
        let url = "http://127.0.0.1:9/metrics"
        let loader = DashboardLoader(databasePath: fixture.path, status: nil, systemURL: url, logger: Logger(label: "test"))
        var app = await app(loader)
        let text = screen(&app, columns: 120, rows: 40)
        #expect(text.contains("System: ✗ node_exporter not found at") && text.contains("http://127.0.0.1:9/metrics"), "\(text)")
        let wide = screen(&app, columns: 160, rows: 48)
        #expect(wide.contains("✗ unavailable"), "the System panel's title says it never loaded:\n\(wide)")
        #expect(wide.contains("✗ node_exporter not found at") && wide.contains("http://127.0.0.1:9/metrics"), "\(wide)")
        #expect(!wide.contains("Memory"))
    }

    @Test func figuresTrendAndStaleMarking() async throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let script = SystemScript([
            .success(metrics(memoryUsed: 0.50)), .success(metrics(memoryUsed: 0.60)), .success(metrics(memoryUsed: 0.88)),
            .failure(StatusProblem("metrics endpoint http://127.0.0.1:9100/metrics is unreachable (connection refused)")),
        ])
        let loader = DashboardLoader(databasePath: fixture.path, status: nil, systemURL: "http://127.0.0.1:9100/metrics",
                                     system: { try script.next() }, logger: Logger(label: "test"))
        var app = await app(loader)
        var text = screen(&app, columns: 120, rows: 40)
        // Two lines from 30 rows: the figures wrap after "Load".
        #expect(text.contains("System:     Mem 8.0GB/16.0GB─  Disk 120.0GB/500.0GB  Load") && text.contains("│1.18"), "\(text)")
        _ = await loader.load(nowMs: now + 1_000)
        app.update(snapshot: await loader.load(nowMs: now + 2_000))
        app.setNow(ms: now + 2_000)
        text = screen(&app, columns: 120, rows: 40)
        #expect(text.contains("Mem 14.1GB/16.0GB↑"), "three rising samples: rising trend\n\(text)")
        let wide = screen(&app, columns: 160, rows: 48)
        #expect(wide.contains("Memory  14.1GB / 16.0GB ↑"), "\(wide)")
        #expect(wide.contains("Disk /  120.0GB / 500.0GB"))
        #expect(wide.contains("Load    1.18 (1 min)"))
        #expect(wide.contains("⚠ Memory 88% used"), "above 85 % the panel warns")
        #expect(wide.contains("from http://127.0.0.1:9100/metrics"))
        // node_exporter goes away: the last figures stay, marked stale with the reason.
        app.update(snapshot: await loader.load(nowMs: now + 63_000))
        app.setNow(ms: now + 63_000)
        text = screen(&app, columns: 120, rows: 40)
        #expect(text.contains("Mem 14.1GB/16.0GB"))
        #expect(text.contains("⚠ stale 1m 01s ago"), "\(text)")
        let failed = screen(&app, columns: 160, rows: 48)
        #expect(failed.contains("⚠ failed, data 1m 01s"), "\(failed)")
        #expect(failed.contains("⚠ node_exporter not found at"), "\(failed)")
    }

    @Test func memoryTrendAndByteUnits() {
        var info = SystemInfo(metrics: SystemMetricsSummary())
        #expect(info.memoryTrend == .stable)
        for v in [0.5, 0.5, 0.5] { info.record(memoryUsed: v) }
        #expect(info.memoryTrend == .stable)
        for v in [0.4, 0.3, 0.2] { info.record(memoryUsed: v) }
        #expect(info.memoryTrend == .falling)
        for _ in 0..<20 { info.record(memoryUsed: 0.9) }
        #expect(info.memoryHistory.count == SystemInfo.historyLimit)
        info.record(memoryUsed: .nan)
        #expect(info.memoryHistory.count == SystemInfo.historyLimit)
        #expect(SystemInfo.bytes(80) == "80B")
        #expect(SystemInfo.bytes(12 * 1024) == "12KB")
        #expect(SystemInfo.bytes(2.5 * 1_048_576) == "2.5MB")
        #expect(SystemInfo.bytes(2.34 * 1_073_741_824) == "2.3GB")
        #expect(SystemInfo.bytes(3 * 1_099_511_627_776) == "3.0TB")
    }

    @Test func wideLayoutUsesTheWidth() async throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        var app = await app(fixture.loader())
        let text = screen(&app, columns: 160, rows: 48)
        let lines = rows(text)
        // Node | Sync | System side by side on the top row.
        let top = try #require(lines.first { $0.contains("Node") })
        #expect(top.contains("Sync") && top.contains("System"), "\(top)")
        // Epoch | Our Validator, the validator panel twice as wide.
        let middle = try #require(lines.first { $0.contains("Epoch") && $0.contains("Our Validator") })
        let epochEnd = try #require(middle.range(of: "╮"))
        #expect(middle.distance(from: middle.startIndex, to: epochEnd.lowerBound) < 60, "\(middle)")
        // Recent Blocks: headings, hash, full author keys.
        #expect(lines.contains { $0.contains("Block") && $0.contains("Hash") && $0.contains("Author") }, "\(text)")
        let row30 = try #require(lines.first { $0.contains("#30 ") && $0.contains("slot") })
        #expect(row30.contains(TextLayout.abbreviate(DashboardFixture.hash(30), head: 12, tail: 8)), "\(row30)")
        #expect(lines.filter { $0.contains("0x") && $0.contains("slot") }.contains { row in
            [DashboardFixture.ours].contains { row.contains($0) } || row.contains(DashboardFixture.others[0])
        }, "full author keys at 160 columns")
        #expect(lines.allSatisfy { $0.count <= 160 })
    }

    @Test(arguments: [(80, 24), (120, 40), (200, 60)])
    func everyViewFitsAndKeepsItsChrome(size: (Int, Int)) async throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        var app = await app(fixture.loader())
        for key in ["1", "2", "3", "4", "5", "?"] {
            app.handle(.character(Character(key)))
            let text = screen(&app, columns: size.0, rows: size.1)
            let lines = rows(text)
            #expect(lines.count == size.1)
            #expect(lines.allSatisfy { $0.count <= size.0 })
            #expect(lines[0].contains("MVM") || lines[0].contains("Dashboard"), "tab bar on the first row: \(lines[0])")
            #expect(lines[size.1 - 1].contains("q quit") || lines[size.1 - 1].contains("Midnight"), "status bar on the last row")
        }
        app.handle(.character("1"))
        let text = screen(&app, columns: size.0, rows: size.1)
        #expect(text.contains("Recent Blocks"))
        #expect(rows(text).filter { $0.contains("slot") && $0.contains("#") }.count >= (size.1 >= 40 ? 10 : 3), "\(text)")
        if size.1 >= 40 {
            // Tall enough: the Our Validator panel shows everything, down to the all-time line.
            #expect(text.contains("All time:"), "\(text)")
        }
    }

    @Test func blocksViewCopiesTheSelectedHashAndSaysSo() async throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        var app = await app(fixture.loader())
        app.handle(.character("2"))
        app.handle(.character("j"))
        #expect(app.handle(.character("y")) == [.copy(DashboardFixture.hash(29))])
        let text = screen(&app, columns: 120, rows: 40)
        #expect(text.contains("copied " + TextLayout.abbreviate(DashboardFixture.hash(29), head: 10, tail: 6)), "\(text)")
        app.handle(.character("3"))
        #expect(!screen(&app, columns: 120, rows: 40).contains("copied"), "the notice goes with the next key")
    }
}
