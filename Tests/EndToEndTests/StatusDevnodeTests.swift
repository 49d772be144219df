import Foundation
import MidnightDevnode
import SpomTesting
import Testing

/// `mvm status` and `mvm keys verify` against the simulated node (in this process, on loopback).
@Suite("mvm status against mvm-devnode")
struct StatusDevnodeTests {
    /// Starts a fast simulated node whose operator keystore is written into `directory`.
    static func startNode(_ directory: TemporaryDirectory, unsafeRPC: Bool = true) async throws -> Devnode {
        var configuration = DevnodeConfiguration.fastTest(seed: 7, flavour: .v1_0)
        configuration.keystoreDirectory = directory.path("keystore")
        configuration.keysFilePath = directory.path("keys.json")
        configuration.prometheusPort = 0
        configuration.unsafeRPC = unsafeRPC
        let node = try Devnode(configuration: configuration)
        try await node.start()
        _ = await eventually(timeout: .seconds(10)) { node.bestNumber >= 3 }
        return node
    }

    func environment(_ directory: TemporaryDirectory, _ node: Devnode) -> [String: String] {
        var env = CLI.isolatedEnvironment(directory, rpcPort: node.port)
        if let metrics = node.prometheusPort { env["MVM_METRICS_URL"] = "http://127.0.0.1:\(metrics)/metrics" }
        return env
    }

    @Test func statusOnceReportsTheNodeAndOurKeys() async throws {
        let directory = try TemporaryDirectory(prefix: "status-devnode")
        defer { directory.remove() }
        let node = try await Self.startNode(directory)
        let env = environment(directory, node)
        let json = try await CLI.run("mvm", ["status", "--once", "--json", "-K", directory.path("keystore")], environment: env, in: directory.url.path)
        #expect(json.status == 0 || json.status == 3, "\(json)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json)")
        let nodeReport = try #require(report["node"] as? [String: Any])
        #expect(nodeReport["reachable"] as? Bool == true)
        #expect((nodeReport["best_block"] as? Int ?? 0) >= 3)
        let keys = try #require(report["keys"] as? [String: Any], "\(json)")
        #expect((keys["in_node_keystore"] as? [String: Any])?["crch"] as? Bool == true, "\(json.stdout)")
        #expect(report["epochs"] is [String: Any])
        let problems = report["problems"] as? [String] ?? []
        #expect((json.status == 0) == problems.isEmpty, "exit code follows the problems: \(problems)")

        let text = try await CLI.run("mvm", ["status", "--once", "--explain", "-K", directory.path("keystore")], environment: env, in: directory.url.path)
        #expect(text.status == 0 || text.status == 3, "\(text)")
        for fragment in ["Health:", "Block:", "Sidechain: epoch", "Keys: sidechain ✓", "Registration:", "  → "] {
            #expect(text.stdout.contains(fragment), "status shows \(fragment):\n\(text.stdout)")
        }
        let port = node.port
        await node.stop()
        // The same command once the node is gone: exit 1 with the clear error.
        let down = try await CLI.run("mvm", ["status", "--once", "-K", directory.path("keystore")], environment: env, in: directory.url.path)
        #expect(down.status == 1, "\(down)")
        #expect(down.stderr.contains("node unreachable at http://127.0.0.1:\(port)"), "\(down)")
    }

    @Test func keysVerifyChecksTheNodeAndTheKeysFile() async throws {
        let directory = try TemporaryDirectory(prefix: "keys-devnode")
        defer { directory.remove() }
        let node = try await Self.startNode(directory)
        defer { Task { await node.stop() } }
        let env = environment(directory, node)
        // v1's README ordering: flags after `verify`.
        let verify = try await CLI.run("mvm", ["keys", "verify", "--keystore", directory.path("keystore"), "--json"], environment: env, in: directory.url.path)
        #expect(verify.status == 0 || verify.status == 3, "\(verify)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any], "\(verify)")
        let keys = try #require(result["keys"] as? [String: Any])
        #expect((keys["sidechain_key"] as? String)?.hasPrefix("0x") == true)
        let show = try await CLI.run("mvm", ["keys", "-k", directory.path("keys.json"), "show"], environment: env, in: directory.url.path)
        #expect(show.status == 0, "\(show)")
        #expect(show.stdout.contains(keys["sidechain_key"] as? String ?? "?"), "keys file and keystore agree:\n\(show)")
    }

    @Test func statusWithoutUnsafeRPCSaysWhyKeysAreUnknown() async throws {
        let directory = try TemporaryDirectory(prefix: "status-safe")
        defer { directory.remove() }
        let node = try await Self.startNode(directory, unsafeRPC: false)
        defer { Task { await node.stop() } }
        let text = try await CLI.run("mvm", ["status", "--once", "-K", directory.path("keystore")], environment: environment(directory, node), in: directory.url.path)
        #expect(text.status == 0 || text.status == 3, "\(text)")
        #expect(text.stdout.contains("Keys: sidechain ?"), "\(text.stdout)")
        #expect(text.stdout.contains("unsafe"), "explains the unknown: \(text.stdout)")
    }
}
