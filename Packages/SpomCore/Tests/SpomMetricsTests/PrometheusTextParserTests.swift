import SpomMetrics
import Testing

@Suite("Prometheus text parser")
struct PrometheusTextParserTests {
    static let nodeMetrics = """
        # HELP substrate_block_height Block height info of the chain
        # TYPE substrate_block_height gauge
        substrate_block_height{status="best",chain="testnet-02"} 123456
        substrate_block_height{status="finalized",chain="testnet-02"} 123450 1717000000000
        substrate_block_height{status="sync_target",chain="testnet-02"} 123460
        # HELP substrate_sub_libp2p_peers_count Number of connected peers
        # TYPE substrate_sub_libp2p_peers_count gauge
        substrate_sub_libp2p_peers_count{chain="testnet-02"} 8
        # A plain comment
        node_cpu_seconds_total{cpu="0",mode="idle"} 1000.5
        node_cpu_seconds_total{cpu="1",mode="idle"} 2000.25
        node_cpu_seconds_total{cpu="0",mode="user"} 12
        weird_values{k="nan"} NaN
        weird_values{k="pinf"} +Inf
        weird_values{k="ninf"} -Inf
        sci 1.5e+03
        escaped{path="a\\\\b\\"c\\nd",x="1",} 7

        """

    @Test func readsSamplesLabelsAndMetadata() throws {
        let doc = PrometheusDocument(parsing: Self.nodeMetrics)
        #expect(doc.issues.isEmpty)
        #expect(doc.types["substrate_block_height"] == .gauge)
        #expect(doc.help["substrate_sub_libp2p_peers_count"] == "Number of connected peers")
        #expect(doc.value("substrate_block_height", ["status": "best"]) == 123456)
        #expect(doc.value("substrate_sub_libp2p_peers_count") == 8)
        #expect(doc.value("sci") == 1500)
        let escaped = try #require(doc.find("escaped"))
        #expect(escaped.labels["path"] == "a\\b\"c\nd")
        #expect(escaped.labels["x"] == "1")
    }

    @Test func trailingTimestampIsNotTheValue() throws {
        let doc = PrometheusDocument(parsing: Self.nodeMetrics)
        let finalized = try #require(doc.find("substrate_block_height", ["status": "finalized"]))
        #expect(finalized.value == 123450)
        #expect(finalized.timestampMs == 1_717_000_000_000)
        #expect(doc.find("substrate_block_height", ["status": "best"])?.timestampMs == nil)
    }

    @Test func specialValues() {
        let doc = PrometheusDocument(parsing: Self.nodeMetrics)
        #expect(doc.value("weird_values", ["k": "nan"])?.isNaN == true)
        #expect(doc.value("weird_values", ["k": "pinf"]) == .infinity)
        #expect(doc.value("weird_values", ["k": "ninf"]) == -.infinity)
    }

    @Test func sumAndFindWithLabelSubsets() {
        let doc = PrometheusDocument(parsing: Self.nodeMetrics)
        #expect(doc.sum("node_cpu_seconds_total", ["mode": "idle"]) == 3000.75)
        #expect(doc.sum("node_cpu_seconds_total") == 3012.75)
        #expect(doc.sum("node_cpu_seconds_total", ["mode": "steal"]) == nil)
        #expect(doc.find("absent") == nil)
        #expect(doc.all("substrate_block_height").count == 3)
    }

    @Test func skipsBrokenLinesAndReportsThemWithLineNumbers() {
        let text = "good 1\nbad{x=\"unterminated} 2\n{nolabel=\"1\"} 3\nnovalue\nalso_good{a=\"b\"} 4 # {trace_id=\"x\"} 1\r\nbadvalue abc\n# EOF\n"
        let doc = PrometheusDocument(parsing: text)
        #expect(doc.samples.map(\.name) == ["good", "also_good"])
        #expect(doc.value("also_good") == 4)
        #expect(doc.issues.map(\.line) == [2, 3, 4, 6])
        #expect(doc.issues[3].description.contains("bad value abc"))
    }

    @Test func awkwardButValidLines() throws {
        let text = "a{} 1\nb{v=\"x},y#z \\d\",w=\"ünï\"} 2 123\n\t  c 3\nd{k=\"\\\\\"} 4"
        let doc = PrometheusDocument(parsing: text)
        #expect(doc.issues.isEmpty)
        #expect(doc.value("a") == 1)
        let b = try #require(doc.find("b"))
        #expect(b.labels["v"] == "x},y#z \\d")
        #expect(b.labels["w"] == "ünï")
        #expect(b.value == 2)
        #expect(b.timestampMs == 123)
        #expect(doc.value("c") == 3)
        #expect(doc.find("d")?.labels["k"] == "\\")
        #expect(PrometheusDocument(parsing: "9bad 1\n").issues.first?.reason == "expected a metric name")
        #expect(PrometheusDocument(parsing: "").samples.isEmpty)
    }

    @Test func crlfLineEndings() {
        let doc = PrometheusDocument(parsing: "# TYPE a counter\r\na_total 5\r\nb 6 1000\r\n")
        #expect(doc.issues.isEmpty)
        #expect(doc.value("a_total") == 5)
        #expect(doc.find("b")?.timestampMs == 1000)
        #expect(doc.types["a"] == .counter)
    }

    @Test func roundTripsTheBuilderOutput() {
        var m = MetricsExposition()
        for i in 0..<300 {
            m.gauge("app_worker_items", help: "Blocks this epoch.", value: Double(i), labels: ["chain": "c", "worker": "w\(i)"])
        }
        m.counter("app_rpc_requests_total", help: "Requests.", value: 7, labels: ["method": "m\"1"])
        let doc = PrometheusDocument(parsing: m.render())
        #expect(doc.issues.isEmpty)
        #expect(doc.samples.count == 301)
        #expect(doc.sum("app_worker_items") == Double((0..<300).reduce(0, +)))
        #expect(doc.value("app_rpc_requests_total", ["method": "m\"1"]) == 7)
    }
}
