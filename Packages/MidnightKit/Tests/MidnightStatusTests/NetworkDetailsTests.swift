import Logging
import MidnightDevnode
import MidnightRPC
import MidnightStatus
import Testing

/// `StatusChecker.checkWithNetwork` against the simulated node: the dashboard's uptime, bandwidth,
/// transaction pool and peer list come from the same pass as the status report.
@Suite struct NetworkDetailsTests {
    private func withChecker(unsafeRPC: Bool = true, metrics: Bool = true,
                             _ body: (Devnode, StatusChecker) async throws -> Void) async throws {
        var configuration = DevnodeConfiguration.fastTest(seed: 5, flavour: .v1_0)
        configuration.prometheusPort = 0
        configuration.unsafeRPC = unsafeRPC
        let node = try Devnode(configuration: configuration)
        try await node.start()
        let logger = Logger(label: "test")
        let client = try NodeClient(
            configuration: NodeClientConfiguration(url: node.httpURL, timeoutMs: 5000, maxRetries: 1, retryInitialDelayMs: 20, retryMaxDelayMs: 100),
            logger: logger)
        let metricsURL = try metrics ? "http://127.0.0.1:\(#require(node.prometheusPort))/metrics" : nil
        let checker = StatusChecker(node: client, inputs: StatusChecker.Inputs(metricsURL: metricsURL), logger: logger)
        do {
            try await body(node, checker)
        } catch {
            await client.shutdown()
            await node.stop()
            throw error
        }
        await client.shutdown()
        await node.stop()
    }

    @Test func peersUptimeBandwidthAndTxPoolFromOnePass() async throws {
        try await withChecker { node, checker in
            let detailed = await checker.checkWithNetwork()
            #expect(detailed.report.node.reachable)
            let peers = try #require(detailed.network.peers, "system_peers: \(detailed.network.peersProblem ?? "")")
            #expect(peers.count == 8)
            #expect(Set(peers.map(\.peerId)).count == 8)
            #expect(peers.allSatisfy { $0.peerId.hasPrefix("12D3KooW") && $0.roles != nil && $0.bestHash?.count == 66 })
            let metrics = try #require(detailed.network.metrics, "\(detailed.network.metricsProblem ?? "")")
            #expect((metrics.bytesReceived ?? 0) > 0 && (metrics.bytesSent ?? 0) > 0)
            #expect(metrics.readyTransactions != nil)
            let uptime = try #require(metrics.uptimeSeconds(nowMs: node.nowMs))
            #expect(uptime >= 0 && uptime < 600)
            // Open connections by direction add up to the peers the node reports.
            let inbound = try #require(detailed.report.node.inboundPeers)
            let outbound = try #require(detailed.report.node.outboundPeers)
            #expect(inbound + outbound == detailed.report.node.peers)
            #expect(inbound > 0 && outbound > 0)
            // The plain check is unchanged (what `mvm status` prints).
            let plain = await checker.check()
            #expect(plain.node.peers == detailed.report.node.peers)
        }
    }

    @Test func refusedUnsafeRPCAndNoMetricsSayWhy() async throws {
        try await withChecker(unsafeRPC: false, metrics: false) { _, checker in
            let detailed = await checker.checkWithNetwork()
            #expect(detailed.report.node.reachable)
            #expect(detailed.network.peers == nil)
            let problem = try #require(detailed.network.peersProblem)
            #expect(problem.contains("system_peers refused") && problem.contains("--rpc-methods=unsafe"))
            #expect(detailed.network.metrics == nil)
            #expect(detailed.network.metricsProblem?.contains("not configured") == true)
        }
    }
}
