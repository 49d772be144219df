import Foundation
import MidnightChain
import MidnightDevnode
import SpomTesting
import Testing

@Suite("Pruning, reorgs, ground truth, keystore, metrics, executable")
struct OutputsTests {
    @Test func stateCallFailsForPrunedBlocksWithSubstratesError() async throws {
        var c = DevnodeConfiguration.fastTest(seed: 8)
        c.pruningDepth = 10
        try await withDevnode(c) { node in
            let old = node.groundTruth().blocks[5].hash
            let error = try #require(try await rpcError(node, "state_call", ["AuraApi_authorities", "0x", old]))
            #expect(error.code == 4003)
            #expect(error.message == "Client error: UnknownBlock: State already discarded for \(old)")
            // Headers and bodies stay available; recent state answers.
            #expect(try await result(node, "chain_getBlock", [old]) is [String: Any])
            let recent = try #require(try await result(node, "chain_getBlockHash", [node.bestNumber - 2]) as? String)
            #expect(try await result(node, "state_call", ["AuraApi_authorities", "0x", recent]) is String)
            let unknown = "0x" + String(repeating: "cd", count: 32)
            let missing = try #require(try await rpcError(node, "state_call", ["AuraApi_authorities", "0x", unknown]))
            #expect(missing.code == 4003 && missing.message.contains("UnknownBlock"))
        }
    }

    @Test func reorgsReplaceOnlyUnfinalizedBlocks() async throws {
        var c = DevnodeConfiguration.fastTest(seed: 21)
        c.reorgRate = 0.5
        c.finalityLag = 3
        c.historyBlocks = 10
        try await withDevnode(c) { node in
            var seen: [UInt64: String] = [:]
            var finalizedSeen: [UInt64: String] = [:]
            var replaced = 0
            let deadline = ContinuousClock.now + .seconds(8)
            while replaced == 0 && ContinuousClock.now < deadline {
                let truth = node.groundTruth()
                for b in truth.blocks {
                    if let old = seen[b.number], old != b.hash { replaced += 1 }
                    if let old = finalizedSeen[b.number] { #expect(old == b.hash, "finalized block \(b.number) changed") }
                    seen[b.number] = b.hash
                    if b.finalized { finalizedSeen[b.number] = b.hash }
                }
                // The canonical chain always links up.
                #expect(zip(truth.blocks, truth.blocks.dropFirst()).allSatisfy { $0.hash == $1.parentHash })
                try await Task.sleep(for: .milliseconds(60))
            }
            #expect(replaced > 0)
            #expect(node.groundTruth().orphanedBlocks > 0)
        }
    }

    @Test func groundTruthFileKeystoreAndKeysFile() async throws {
        let dir = try TemporaryDirectory(prefix: "devnode")
        defer { dir.remove() }
        var c = DevnodeConfiguration.fastTest(seed: 12, flavour: .auraBabeMigration)
        c.groundTruthPath = dir.path("truth/ground-truth.json")
        c.groundTruthIntervalMs = 100
        c.keystoreDirectory = dir.path("keystore")
        c.keysFilePath = dir.path("keys.json")
        try await withDevnode(c) { node in
            let first = try DevnodeGroundTruth.load(path: c.groundTruthPath!)
            #expect(first.blocks.count >= 61)
            #expect(first.operatorKeys == node.operatorKeys)
            #expect(await eventually(timeout: .seconds(5)) {
                ((try? DevnodeGroundTruth.load(path: c.groundTruthPath!))?.bestNumber ?? 0) > first.bestNumber + 3
            })
            let later = try DevnodeGroundTruth.load(path: c.groundTruthPath!)
            for b in first.blocks where b.finalized {
                #expect(later.block(number: b.number) == b)
            }
            let raw = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: c.groundTruthPath!))) as? [String: Any])
            let block = try #require((raw["blocks"] as? [[String: Any]])?.last)
            #expect(Set(block.keys) == [
                "number", "hash", "parent_hash", "slot", "sidechain_epoch", "mainchain_epoch", "timestamp_ms",
                "extrinsics_count", "author", "author_aura_key", "finalized",
            ])
            // The keystore in Substrate's layout, read back with MidnightChain's reader.
            let names = try FileManager.default.contentsOfDirectory(atPath: c.keystoreDirectory!).sorted()
            let ours = node.operatorKeys
            #expect(names.contains("63726368" + ours.sidechainKey.dropFirst(2)))
            #expect(names.contains("61757261" + ours.auraKey.dropFirst(2)))
            #expect(names.contains("6772616e" + ours.grandpaKey.dropFirst(2)))
            #expect(names.contains("62616265" + ours.babeKey.dropFirst(2)))
            let secret = try String(contentsOfFile: c.keystoreDirectory! + "/" + names[0], encoding: .utf8)
            #expect(secret.hasPrefix("\"") && secret.hasSuffix("\""))
            let keys = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: c.keysFilePath!))) as? [String: String])
            #expect(keys == ["sidechain_pub_key": ours.sidechainKey, "aura_pub_key": ours.auraKey, "grandpa_pub_key": ours.grandpaKey])
        }
    }

    @Test func prometheusAndNodeExporterEndpoints() async throws {
        var c = DevnodeConfiguration.fastTest(seed: 13)
        c.prometheusPort = 0
        c.nodeExporterPort = 0
        try await withDevnode(c) { node in
            let port = try #require(node.prometheusPort)
            let (status, text) = try await get("http://127.0.0.1:\(port)/metrics")
            #expect(status == 200)
            func value(_ prefix: String) -> Double? {
                text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.split(separator: " ").last!) }
            }
            let best = try #require(value(#"substrate_block_height{status="best""#))
            #expect(abs(best - Double(node.bestNumber)) <= 2)
            #expect(value(#"substrate_block_height{status="finalized""#) != nil)
            #expect(value(#"substrate_block_height{status="sync_target""#) != nil)
            #expect(value("substrate_sub_libp2p_peers_count") == 8)
            #expect(value("substrate_sub_libp2p_is_major_syncing") == 0)
            #expect(value("substrate_proposer_block_constructed_count") != nil)
            #expect(value("substrate_build_info") == 1)
            #expect(value(#"substrate_sub_libp2p_connections_opened_total{direction="in""#) != nil)
            #expect(value(#"substrate_sub_libp2p_connections_opened_total{direction="out""#) != nil)
            #expect(value("substrate_process_start_time_seconds") != nil)
            #expect(value("substrate_ready_transactions_number") != nil)
            let exporter = try #require(node.nodeExporterPort)
            let (_, host) = try await get("http://127.0.0.1:\(exporter)/metrics")
            for name in ["node_load1 ", "node_memory_MemTotal_bytes ", "node_memory_MemAvailable_bytes ",
                         #"node_filesystem_size_bytes{device="/dev/nvme0n1p1",fstype="ext4",mountpoint="/"}"#,
                         #"node_filesystem_avail_bytes{device="/dev/nvme0n1p1",fstype="ext4",mountpoint="/"}"#] {
                #expect(host.contains(name), "missing \(name)")
            }
        }
    }

    @Test func loopbackOnlyAndValidation() throws {
        var c = DevnodeConfiguration.fastTest()
        c.host = "0.0.0.0"
        #expect(throws: DevnodeError.self) { try Devnode(configuration: c) }
        c = .fastTest()
        c.missedSlotRate = 1.5
        #expect(throws: DevnodeError.self) { try c.validate() }
    }

    @Test func executableServesUntilSigterm() async throws {
        guard let exe = BuildProducts.executable("mvm-devnode") else {
            Issue.record("mvm-devnode is not built (swift build --product mvm-devnode)")
            return
        }
        let dir = try TemporaryDirectory(prefix: "devnode-exe")
        defer { dir.remove() }
        let portFile = dir.path("port")
        let child = try ChildProcess(
            exe, ["--fast", "--port", "0", "--port-file", portFile, "--flavour", "0.12", "--seed", "3",
                  "--ground-truth", dir.path("truth.json"), "--keystore", dir.path("ks")],
            logDirectory: dir)
        defer { Task { await child.kill9() } }
        #expect(await eventually(timeout: .seconds(20)) { FileManager.default.fileExists(atPath: portFile) })
        let port = try #require(Int((try String(contentsOfFile: portFile, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)))
        let (status, body) = try await post("http://127.0.0.1:\(port)", body: #"{"jsonrpc":"2.0","id":1,"method":"system_version"}"#)
        #expect(status == 200)
        #expect(String(decoding: body, as: UTF8.self).contains("0.12.1-045f8372"))
        #expect(child.stdout.contains("mvm-devnode listening on http://127.0.0.1:\(port)"))
        child.send(SIGTERM)
        #expect(await child.wait(timeout: .seconds(10)) == 0)
        #expect(FileManager.default.fileExists(atPath: dir.path("truth.json")))
    }
}
