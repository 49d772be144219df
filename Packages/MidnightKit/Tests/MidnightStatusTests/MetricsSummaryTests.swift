import MidnightStatus
import SpomMetrics
import Testing

@Suite struct NodeMetricsSummaryTests {
    @Test func readsTheSeriesOperatorsNeed() {
        let text = """
            # TYPE substrate_block_height gauge
            substrate_block_height{status="best",chain="testnet-02"} 3351860
            substrate_block_height{status="finalized",chain="testnet-02"} 3351858
            substrate_sub_libp2p_peers_count{chain="testnet-02"} 12
            substrate_sub_libp2p_connections_opened_total{direction="in",chain="testnet-02"} 30
            substrate_sub_libp2p_connections_closed_total{direction="in",reason="x",chain="testnet-02"} 25
            substrate_sub_libp2p_connections_opened_total{direction="out",chain="testnet-02"} 9
            substrate_proposer_block_constructed_count{chain="testnet-02"} 77 1700000000000
            substrate_build_info{name="node",version="0.18.0-abc",chain="testnet-02"} 1
            """
        let m = NodeMetricsSummary(document: PrometheusTextParser.parse(text))
        #expect(m.bestBlock == 3_351_860)
        #expect(m.finalizedBlock == 3_351_858)
        #expect(m.peers == 12)
        #expect(m.inboundConnections == 5)
        #expect(m.outboundConnections == 9)
        // A trailing timestamp is not the value (v1's parser took it for one).
        #expect(m.blocksConstructed == 77)
        #expect(m.version == "0.18.0-abc")
    }

    @Test func systemFractions() {
        let text = """
            node_load1 0.5
            node_memory_MemTotal_bytes 1000
            node_memory_MemAvailable_bytes 250
            node_filesystem_size_bytes{mountpoint="/boot"} 1
            node_filesystem_size_bytes{mountpoint="/"} 200
            node_filesystem_avail_bytes{mountpoint="/"} 50
            """
        let s = SystemMetricsSummary(document: PrometheusTextParser.parse(text))
        #expect(s.memoryUsedFraction == 0.75)
        #expect(s.diskUsedFraction == 0.75)
        #expect(s.load1 == 0.5)
        #expect(SystemMetricsSummary().memoryUsedFraction == nil)
    }

    @Test func unreachableEndpointNamesTheURL() async {
        do {
            _ = try await MetricsScraper.scrape("http://127.0.0.1:1/metrics", timeout: .seconds(2))
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("127.0.0.1:1"))
        }
    }
}
