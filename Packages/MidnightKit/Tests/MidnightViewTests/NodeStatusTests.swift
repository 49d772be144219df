import Foundation
import Synchronization
import Logging
import MidnightStatus
import MidnightView
import SpomTUI
import Testing

/// A status report as `mvm status` produces it (decoded, since the report is built by the checker).
private func report(reachable: Bool, peers: Int?, problems: [String]) throws -> StatusReport {
    var node: [String: Any] = ["url": "http://127.0.0.1:9", "reachable": reachable, "version": "0.18.0"]
    if let peers { node["peers"] = peers }
    let json: [String: Any] = ["chain": "midnight", "checkedAtMs": 1, "node": node, "problems": problems, "notes": []]
    return try JSONDecoder().decode(StatusReport.self, from: JSONSerialization.data(withJSONObject: json))
}

@Test func nodeDownIsShownWithItsReasonAndComesBack() async throws {
    let fixture = try DashboardFixture()
    defer { fixture.remove() }
    let down = try report(reachable: false, peers: nil, problems: ["connection refused"])
    let up = try report(reachable: true, peers: 8, problems: [])
    let reports = [down, up]
    let calls = Counter()
    let loader = DashboardLoader(databasePath: fixture.path, status: { reports[min(calls.next(), 1)] }, logger: Logger(label: "test"))
    var app = DashboardApp(snapshot: await loader.load(nowMs: 1_000))
    app.setNow(ms: 1_000)
    var text = screen(&app, columns: 120, rows: 40)
    #expect(text.contains("✗ node unreachable at http://127.0.0.1:9"))
    #expect(text.contains("connection") && text.contains("refused"))  // wrapped at 120 columns
    #expect(text.contains("✗ unavailable"))
    #expect(text.contains("#30"))  // the database part still loads
    app.handle(.character("5"))
    #expect(screen(&app, columns: 120, rows: 40).contains("node unreachable"))

    app.update(snapshot: await loader.load(nowMs: 2_000))
    app.setNow(ms: 2_000)
    text = screen(&app, columns: 120, rows: 40)
    #expect(!text.contains("node unreachable"))
    #expect(text.contains("Connected:  8"))
    #expect(text.contains("unknown (node Prometheus endpoint not configured or unreachable)"))
    app.handle(.character("1"))
    text = screen(&app, columns: 120, rows: 40)
    #expect(text.contains("● healthy"))
    #expect(text.contains("0.18.0"))
}

/// A thread-safe call counter for the status source.
private final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { count in let current = count; count += 1; return current } }
}
