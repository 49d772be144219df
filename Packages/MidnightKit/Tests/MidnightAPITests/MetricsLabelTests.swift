import Foundation
import MidnightAPI
import MidnightChain
import SpomMetrics
import Testing

/// The `[integration] instance_name` label and the Cardano epoch progress in `/metrics`.
@Suite("metrics labels and epoch progress")
struct MetricsLabelTests {
    /// The clock `withAPIServer` pins.
    static let nowMs = Fixture.progressMs + 5_000

    @Test func instanceNameLabelsEverySeries() async throws {
        try await withAPIServer(configure: { $0.instanceName = "node-7" }) { client, _ in
            let text = try await client.get("/metrics").body
            let parsed = PrometheusTextParser.parse(text)
            #expect(parsed.issues.isEmpty, "\(parsed.issues)")
            #expect(parsed.samples.count >= 20)
            let unlabelled = parsed.samples.filter { $0.labels["instance_name"] != "node-7" || $0.labels["chain"] != "midnight" }
            #expect(unlabelled.isEmpty, "samples without chain/instance_name: \(unlabelled.map(\.name))")
            #expect(text.contains("mvm_node_block_height{chain=\"midnight\",instance_name=\"node-7\"} 32\n"))
            #expect(text.contains("mvm_build_info{chain=\"midnight\",instance_name=\"node-7\",version=\"1.2.3-test\"} 1\n"))
        }
        // Unset (and empty) means no label at all, not an empty one.
        try await withAPIServer(configure: { $0.instanceName = "" }) { client, _ in
            let text = try await client.get("/metrics").body
            #expect(!text.contains("instance_name"))
        }
    }

    @Test func mainchainProgressFromTheCalendarWhenItAgreesWithTheNode() async throws {
        // Epoch 500 (the fixture's current mainchain epoch) started a quarter of an epoch ago.
        let agreeing = MainchainTiming(epochDurationMs: 1_000_000, referenceEpoch: 500, referenceTimestampMs: Self.nowMs - 250_000)
        try await withAPIServer(configure: { $0.mainchainTiming = agreeing }) { client, _ in
            let text = try await client.get("/metrics").body
            #expect(text.contains("mvm_mainchain_epoch_progress{chain=\"midnight\"} 0.25\n"), "\(text)")
        }
        // A calendar that puts now in epoch 501 disagrees with the node: no figure rather than a wrong one.
        let disagreeing = MainchainTiming(epochDurationMs: 1_000_000, referenceEpoch: 501, referenceTimestampMs: Self.nowMs - 250_000)
        try await withAPIServer(configure: { $0.mainchainTiming = disagreeing }) { client, _ in
            let text = try await client.get("/metrics").body
            #expect(text.contains("# TYPE mvm_mainchain_epoch_progress gauge\n"))
            #expect(!text.contains("mvm_mainchain_epoch_progress{"))
        }
    }
}
