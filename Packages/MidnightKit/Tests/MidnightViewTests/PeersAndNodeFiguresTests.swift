import Foundation
import Logging
import MidnightChain
import MidnightStatus
import MidnightView
import SpomTUI
import Synchronization
import Testing

private let now: UInt64 = 1_800_000_000_000

/// A reachable node's report (decoded: the report is built by the checker) at best block `best`.
private func healthyReport(best: UInt64 = 100, peers: Int = 8, inbound: Int? = 3, outbound: Int? = 5) throws -> StatusReport {
    var node: [String: Any] = ["url": "http://127.0.0.1:9", "reachable": true, "version": "0.18.0", "peers": peers,
                               "bestBlock": best, "finalizedBlock": best - 2, "isSyncing": false]
    if let inbound { node["inboundPeers"] = inbound }
    if let outbound { node["outboundPeers"] = outbound }
    let json: [String: Any] = ["chain": "midnight", "checkedAtMs": 1, "node": node, "problems": [], "notes": []]
    return try JSONDecoder().decode(StatusReport.self, from: JSONSerialization.data(withJSONObject: json))
}

private func peer(_ n: Int, best: UInt64, roles: String = "FULL") -> PeerInfo {
    PeerInfo(peerId: "12D3KooWPeer\(n)" + String(repeating: "x", count: 40), roles: roles,
             bestHash: "0x" + String(repeating: String(n), count: 64), bestNumber: best)
}

private func metrics(received: Double, sent: Double, ready: Int = 3, start: Double = Double(now / 1000) - 3900) -> NodeMetricsSummary {
    var m = NodeMetricsSummary()
    m.bytesReceived = received
    m.bytesSent = sent
    m.readyTransactions = ready
    m.startTimeSeconds = start
    m.discoveredPeers = 96
    m.pendingConnections = 1
    return m
}

/// Hands out the given results one per call (the last one repeats).
private final class Sequence<T: Sendable>: Sendable {
    private let items: [T]
    private let index = Mutex(0)
    init(_ items: [T]) { self.items = items }
    func next() -> T { index.withLock { i in defer { i += 1 }; return items[min(i, items.count - 1)] } }
}

private func loader(_ fixture: DashboardFixture, _ results: [DetailedStatus]) -> DashboardLoader {
    let sequence = Sequence(results)
    return DashboardLoader(databasePath: fixture.path, detailed: { sequence.next() }, logger: Logger(label: "test"))
}

@Test func peersViewListsEachPeerWithSelectionPopupAndCopy() async throws {
    let fixture = try DashboardFixture()
    defer { fixture.remove() }
    let peers = [peer(1, best: 100, roles: "AUTHORITY"), peer(2, best: 99), peer(3, best: 70), peer(4, best: 100)]
    let first = DetailedStatus(report: try healthyReport(), network: NodeNetworkDetails(metrics: metrics(received: 1e9, sent: 5e8), peers: peers))
    // The second refresh: peer 3 caught up (the order changes), peer 4 left.
    let second = DetailedStatus(report: try healthyReport(best: 101),
                                network: NodeNetworkDetails(metrics: metrics(received: 1e9 + 6e5, sent: 5e8 + 3e5),
                                                            peers: [peer(1, best: 101), peer(2, best: 101), peer(3, best: 101)]))
    let source = loader(fixture, [first, second])
    var app = DashboardApp(snapshot: await source.load(nowMs: now))
    app.setNow(ms: now)
    app.handle(.character("5"))
    var text = screen(&app, columns: 120, rows: 40)
    #expect(text.contains("Connected:  8"))
    #expect(text.contains("Inbound:    3") && text.contains("Outbound:   5"))
    #expect(text.contains("Healthy"))
    #expect(text.contains("Synced 3/4"))  // peer 3 is 30 behind
    #expect(text.contains("Discovered 96"))
    #expect(text.contains("Connected peers (4, system_peers)"))
    let rows = text.split(separator: "\n")
    // Best block first, then by id; at 120 columns ids are shown in full.
    let order = [1, 4, 2, 3].compactMap { n in rows.firstIndex { $0.contains("12D3KooWPeer\(n)") } }
    #expect(order.count == 4 && order == order.sorted(), "\(text)")
    let peer3 = try #require(rows.first { $0.contains("12D3KooWPeer3") })
    #expect(peer3.contains("○") && peer3.contains("#70") && peer3.contains("30"))
    let peer2 = try #require(rows.first { $0.contains("12D3KooWPeer2") })
    #expect(peer2.contains("~") && peer2.contains("#99"))
    #expect(try #require(rows.first { $0.contains("12D3KooWPeer1") }).contains("AUTHORITY"))

    // j selects the second row (peer 4); y copies its id; Enter shows it.
    app.handle(.character("j"))
    #expect(app.state.peers.selectedID == peer(4, best: 0).peerId)
    #expect(app.handle(.character("y")) == [.copy(peer(4, best: 0).peerId)])
    app.handle(.character("j"))
    #expect(app.state.peers.selectedID == peer(2, best: 0).peerId)
    app.handle(.enter)
    text = screen(&app, columns: 120, rows: 40)
    #expect(text.contains(" Peer "))
    #expect(text.contains("Best hash:") && text.contains("0x" + String(repeating: "2", count: 64)))
    #expect(text.contains("nearly synced (1 blocks behind)"))
    app.handle(.escape)
    #expect(app.state.popup == nil && !app.state.shouldQuit)

    // After a refresh that reorders the list the selection stays on peer 2.
    app.update(snapshot: await source.load(nowMs: now + 6000))
    app.setNow(ms: now + 6000)
    #expect(app.state.peers.selectedID == peer(2, best: 0).peerId)
    text = screen(&app, columns: 120, rows: 40)
    #expect(text.contains("Connected peers (3, system_peers)"))
    #expect(!text.contains("12D3KooWPeer4"))
    // At 80 columns peer ids are abbreviated (first 12 + ... + last 8).
    text = screen(&app, columns: 80, rows: 24)
    #expect(text.contains("12D3KooWPeer..." + String(repeating: "x", count: 8)))
}

@Test func peersViewWithoutUnsafeRPCKeepsTheCountsAndSaysHowToGetTheList() async throws {
    let fixture = try DashboardFixture()
    defer { fixture.remove() }
    let refused = DetailedStatus(
        report: try healthyReport(inbound: 0, outbound: 8),
        network: NodeNetworkDetails(metrics: metrics(received: 1, sent: 1),
                                    peersProblem: "system_peers refused (RPC call is unsafe); the per-peer list needs the node's --rpc-methods=unsafe (on localhost)"))
    var app = DashboardApp(snapshot: await loader(fixture, [refused]).load(nowMs: now))
    app.setNow(ms: now)
    app.handle(.character("5"))
    let text = screen(&app, columns: 120, rows: 40)
    #expect(text.contains("Connected:  8"))
    #expect(text.contains("Per-peer list unavailable: system_peers refused"))
    #expect(text.contains("--rpc-methods=unsafe"))
    #expect(text.contains("No inbound peers"))
    #expect(!text.contains("CRITICAL"))  // v1 said "CRITICAL: No peers" here
    app.handle(.enter)
    #expect(app.state.popup == nil, "no peer to open")
}

@Test func nodePanelShowsUptimeBandwidthRatesAndTxPool() async throws {
    let fixture = try DashboardFixture()
    defer { fixture.remove() }
    let first = DetailedStatus(report: try healthyReport(), network: NodeNetworkDetails(metrics: metrics(received: 44.6 * 1_073_741_824, sent: 2e9)))
    let second = DetailedStatus(report: try healthyReport(),
                                network: NodeNetworkDetails(metrics: metrics(received: 44.6 * 1_073_741_824 + 6 * 52 * 1024, sent: 2e9 + 6 * 47 * 1024, ready: 7)))
    let source = loader(fixture, [first, second])
    var app = DashboardApp(snapshot: await source.load(nowMs: now))
    app.setNow(ms: now)
    var text = screen(&app, columns: 120, rows: 40)
    #expect(text.contains("up 1h 05m"))
    #expect(text.contains("Bandwidth:") && text.contains("↓44.6GB ↑1.9GB since start"))
    #expect(text.contains("Tx pool:") && text.contains("3 ready"))
    app.update(snapshot: await source.load(nowMs: now + 6000))
    app.setNow(ms: now + 6000)
    text = screen(&app, columns: 120, rows: 40)
    #expect(text.contains("↓52KB/s ↑47KB/s"), "\(text)")
    #expect(text.contains("7 ready"))
    #expect(text.contains("up 1h 05m"))
    // The wide layout has room for the totals next to the rates.
    text = screen(&app, columns: 200, rows: 60)
    #expect(text.contains("↓52KB/s ↑47KB/s  total ↓44.6GB"), "\(text)")
}

@Test func nodeFiguresSayWhyWhenTheMetricsEndpointIsMissing() async throws {
    let fixture = try DashboardFixture()
    defer { fixture.remove() }
    let noMetrics = DetailedStatus(
        report: try healthyReport(inbound: nil, outbound: nil),
        network: NodeNetworkDetails(metricsProblem: "node Prometheus endpoint not configured (rpc.metrics_url / MVM_METRICS_URL)", peers: []))
    var app = DashboardApp(snapshot: await loader(fixture, [noMetrics]).load(nowMs: now))
    app.setNow(ms: now)
    let text = screen(&app, columns: 200, rows: 60)
    #expect(text.contains("Bandwidth:  n/a: node Prometheus endpoint not configured"))
    #expect(text.contains("Tx pool:    n/a: node Prometheus endpoint not configured"))
    #expect(!text.contains("0 ready") && !text.contains("healthy  up"))
    app.handle(.character("5"))
    let peers = screen(&app, columns: 120, rows: 40)
    #expect(peers.contains("system_peers lists no peers"))
    #expect(peers.contains("unknown (node Prometheus endpoint not configured or unreachable)"))
}

@Test func bandwidthRatesNeedAFiveSecondWindowAndRestartAfterACounterReset() {
    func sample(_ received: Double, _ sent: Double) -> NodeNetworkDetails {
        NodeNetworkDetails(metrics: metrics(received: received, sent: sent))
    }
    var info = NetworkInfo.next(after: nil, details: sample(1000, 500), atMs: 0)
    #expect(info.receivedPerSecond == nil)
    info = NetworkInfo.next(after: info, details: sample(2000, 600), atMs: 1000)
    #expect(info.receivedPerSecond == nil, "a 1 s window is too short to measure")
    info = NetworkInfo.next(after: info, details: sample(11_000, 5500), atMs: 5000)
    #expect(info.receivedPerSecond == 2000 && info.sentPerSecond == 1000)
    // A failed scrape keeps the last rates.
    info = NetworkInfo.next(after: info, details: NodeNetworkDetails(metricsProblem: "unreachable"), atMs: 6000)
    #expect(info.receivedPerSecond == 2000)
    // The node restarted: its counters went down, so there is no rate until the next window.
    info = NetworkInfo.next(after: info, details: sample(10, 10), atMs: 11_000)
    #expect(info.receivedPerSecond == nil && info.sentPerSecond == nil)
    info = NetworkInfo.next(after: info, details: sample(5010, 2510), atMs: 16_000)
    #expect(info.receivedPerSecond == 1000 && info.sentPerSecond == 500)
}
