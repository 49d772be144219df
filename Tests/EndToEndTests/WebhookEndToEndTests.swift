import Foundation
import Logging
import MidnightDevnode
import MidnightStore
import SpomTesting
import SpomTestingHTTP
import SpomWebhooks
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The sync daemon with `[webhooks] enabled`: every event of our validator reaches a receiver
/// that refuses first attempts and is down for a while, across a SIGKILL and a restart of
/// `mvm-sync`; the node stalling and recovering raises `sync_alert`; the CLI shows and tests.
@Suite("webhooks end to end", .serialized)
struct WebhookEndToEndTests {
    static let secret = "whsec_" + Data("mvm-end-to-end-webhook-secret-32".utf8).base64EncodedString()

    @Test func everyEventArrivesAcrossKillRestartAndReceiverOutage() async throws {
        let directory = try TemporaryDirectory(prefix: "webhooks-e2e")
        defer { directory.remove() }
        var configuration = DevnodeConfiguration.fastTest(seed: 7, flavour: .v1_0)
        configuration.historyBlocks = 20
        let node = try Devnode(configuration: configuration)
        try await node.start()
        defer { Task { await node.stop() } }
        let db = directory.path("mvm.db")
        let ours = node.operatorKeys
        do {
            let writer = try MidnightDatabase.openWriter(path: db)
            try writer.markOurs(sidechainKey: ours.sidechainKey, auraKey: ours.auraKey, grandpaKey: ours.grandpaKey, label: "E2E")
            try writer.close()
        }
        let receiver = LoopbackWebhookReceiver(failFirst: 2, acceptedStatus: .noContent)
        let base = try await receiver.start()
        defer { Task { await receiver.stop() } }
        let configPath = directory.path("mvm.toml")
        try """
            [rpc]
            url = "\(node.httpURL)"
            [database]
            path = "\(db)"
            [sync]
            poll_interval_secs = 1
            [webhooks]
            enabled = true
            retry_attempts = 30
            retry_delay_ms = 50
            stalled_secs = 2
            alert_check_interval_ms = 200
            reminder_interval_secs = 0
            [[webhooks.endpoints]]
            name = "e2e"
            url = "\(base)/hook"
            secret = "\(Self.secret)"
            [[webhooks.endpoints]]
            name = "dead"
            url = "http://127.0.0.1:\(try LoopbackPort.free())/hook"
            events = ["test"]
            """.write(toFile: configPath, atomically: true, encoding: .utf8)
        var env = CLI.isolatedEnvironment(directory, rpcPort: node.port)
        env["MVM_DB_PATH"] = db
        let logs = try TemporaryDirectory(prefix: "webhooks-e2e-logs")
        defer { logs.remove() }
        func startSync() throws -> ChildProcess {
            try ChildProcess(try CLI.path("mvm-sync"), ["--config", configPath], environment: env, currentDirectory: directory.url.path, logDirectory: logs)
        }

        var sync = try startSync()
        let first = await eventually(timeout: .seconds(90), interval: .milliseconds(100)) { receiver.accepted("block_produced").count >= 3 }
        #expect(first, "block_produced arrives; stderr:\n\(sync.stderr)")

        // SIGKILL mid-stream, the receiver goes down, the daemon comes back, then the receiver.
        await sync.kill9()
        receiver.setDown(true)
        try await Task.sleep(for: .milliseconds(800))
        sync = try startSync()
        try await Task.sleep(for: .milliseconds(1500))
        receiver.setDown(false)

        // Freeze the chain: `stalled` fires; then every block of ours must have arrived. The waits
        // are generous: the receiver refuses the first attempts of every event and one endpoint's
        // deliveries keep order, so on a loaded CI machine the backlog behind the alert drains at
        // roughly two events a second.
        node.stallProduction()
        let best = node.bestNumber
        let stalled = await eventually(timeout: .seconds(90), interval: .milliseconds(100)) {
            receiver.accepted("sync_alert").contains { $0.json["condition"] as? String == "stalled" && $0.json["state"] as? String == "firing" }
        }
        #expect(stalled, "stalled alert; stderr:\n\(sync.stderr)")
        let truth = node.groundTruth()
        let expected = Set(truth.blocks.filter { $0.number >= 1 && $0.number <= best && $0.author == ours.sidechainKey }.map(\.hash))
        let complete = await eventually(timeout: .seconds(90), interval: .milliseconds(100)) {
            Set(receiver.accepted("block_produced").compactMap { $0.json["block_hash"] as? String }).isSuperset(of: expected)
        }
        let got = Set(receiver.accepted("block_produced").compactMap { $0.json["block_hash"] as? String })
        #expect(complete, "missing \(expected.subtracting(got).count) of \(expected.count) blocks; stderr:\n\(sync.stderr)")
        #expect(got.isSubset(of: Set(truth.blocks.map(\.hash))), "no event for a block the node does not have")
        #expect(!expected.isEmpty)
        node.resumeProduction()
        let recovered = await eventually(timeout: .seconds(90), interval: .milliseconds(100)) {
            receiver.accepted("sync_alert").contains { $0.json["alert"] as? String == "recovered" && $0.json["condition"] as? String == "stalled" }
        }
        #expect(recovered, "recovered after the node resumed")

        // Duplicates (refused attempts, re-sends after the kill) carry the same id and body; signatures verify.
        let signer = try WebhookSigner(secret: Self.secret)
        for request in receiver.all {
            #expect(throws: Never.self) {
                try signer.verify(id: request.id, timestamp: request.timestamp, body: request.body, signatureHeader: request.signature ?? "")
            }
            #expect(request.json["id"] as? String == request.id)
        }
        for (_, copies) in Dictionary(grouping: receiver.all, by: \.id) {
            #expect(Set(copies.map(\.body)).count == 1)
        }

        // The CLI: status (JSON), test to the live endpoint (0) and to a dead one (1).
        let status = try await CLI.run("mvm", ["webhooks", "status", "--json", "--config", configPath], environment: env)
        #expect(status.status == 0, "\(status)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any], "\(status)")
        #expect(report["outbox_present"] as? Bool == true)
        let counters = try #require(report["counters"] as? [String: Any])
        #expect((counters["delivered"] as? Int ?? 0) >= expected.count)
        receiver.setFailFirst(0)  // `webhooks test` makes one attempt
        let test = try await CLI.run("mvm", ["webhooks", "test", "e2e", "--json", "--config", configPath], environment: env)
        #expect(test.status == 0, "\(test)")
        #expect(receiver.accepted("test").count == 1)
        let dead = try await CLI.run("mvm", ["webhooks", "test", "dead", "--timeout", "2", "--config", configPath], environment: env)
        #expect(dead.status == 1, "\(dead)")
        #expect(dead.stdout.contains("FAILED"), "\(dead)")

        sync.send(SIGTERM)
        if await sync.wait(timeout: .seconds(20)) == nil { await sync.kill9() }
    }
}
