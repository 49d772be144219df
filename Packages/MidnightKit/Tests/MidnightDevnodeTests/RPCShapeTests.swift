import Foundation
import MidnightChain
import MidnightDevnode
import SpomTesting
import Testing

@Suite("RPC shapes per node generation")
struct RPCShapeTests {
    @Test(arguments: DevnodeFlavour.allCases)
    func shapes(flavour: DevnodeFlavour) async throws {
        try await withDevnode(.fastTest(seed: 2, flavour: flavour)) { node in
            #expect(try await result(node, "system_version") as? String == flavour.systemVersion)
            let health = try await decoded(SystemHealth.self, node, "system_health")
            #expect(health.peers == 8 && !health.isSyncing)
            let sync = try await decoded(SyncState.self, node, "system_syncState")
            #expect(sync.currentBlock >= 60)
            let peers = try await decoded([PeerInfo].self, node, "system_peers")
            #expect(peers.count == 8)
            let truthNow = node.groundTruth()
            #expect(peers.allSatisfy { truthNow.block(number: $0.bestNumber)?.hash == $0.bestHash })
            let net = try #require(try await result(node, "system_unstable_networkState") as? [String: Any])
            #expect((net["connectedPeers"] as? [String: Any])?.count == 8)

            // sidechain_getStatus: wall-clock epoch; `slot` only on 0.12 / 0.18.
            let status = try #require(try await result(node, "sidechain_getStatus") as? [String: Any])
            let sidechain = try #require(status["sidechain"] as? [String: Any])
            #expect((sidechain["slot"] != nil) == (flavour == .v0_12 || flavour == .v0_18))
            let epoch = try #require(sidechain["epoch"] as? Int)
            #expect(UInt64(epoch) == node.nowMs / 1000)  // 100 ms × 10 slots
            let decodedStatus = try await decoded(SidechainStatus.self, node, "sidechain_getStatus")
            #expect(decodedStatus.sidechain.epoch == UInt64(epoch) || decodedStatus.sidechain.epoch == UInt64(epoch) + 1)

            let params = try #require(try await result(node, "sidechain_getParams") as? [String: Any])
            let utxo = try #require(params["genesis_utxo"] as? String)
            #expect(utxo.range(of: "^[0-9a-f]{64}#[0-9]+$", options: .regularExpression) != nil)

            // Ariadne parameters: legacy fields on 0.12, keys map later, BABE keys in the migration.
            let mcEpoch = try #require((status["mainchain"] as? [String: Any])?["epoch"] as? Int)
            let ariadne = try #require(try await result(node, "sidechain_getAriadneParameters", [mcEpoch]) as? [String: Any])
            let registrations = try #require(ariadne["candidateRegistrations"] as? [String: [[String: Any]]])
            let entry = try #require(registrations.values.first?.first)
            let permissioned = try #require((ariadne["permissionedCandidates"] as? [[String: Any]])?.first)
            if flavour == .v0_12 {
                #expect(entry["auraPubKey"] is String && entry["grandpaPubKey"] is String && entry["keys"] == nil)
                #expect(permissioned["auraPublicKey"] is String && permissioned["grandpaPublicKey"] is String)
            } else {
                let keys = try #require(entry["keys"] as? [String: String])
                #expect(keys["aura"] != nil && keys["gran"] != nil)
                #expect((keys["babe"] != nil) == (flavour == .auraBabeMigration))
                #expect(permissioned["keys"] is [String: String])
            }
            let typed = try await decoded(AriadneParameters.self, node, "sidechain_getAriadneParameters", [mcEpoch])
            let directory = CandidateDirectory(ariadne: typed)
            #expect(directory.candidates.count == node.candidates.count)
            let newMethod = try await rpcError(node, "systemParameters_getAriadneParameters", [mcEpoch])
            if flavour.hasSystemParameters {
                #expect(newMethod == nil)
                let d = try #require(ariadne["dParameter"] as? [String: Int])
                #expect(d["numRegisteredCandidates"] == 0, "the deprecated call reports (0, 0) on 1.x")
                let real = try #require(try await result(node, "systemParameters_getAriadneParameters", [mcEpoch]) as? [String: Any])
                #expect((real["dParameter"] as? [String: Int])?["numRegisteredCandidates"] == 6)
            } else {
                #expect(newMethod?.code == -32601)
                #expect((ariadne["dParameter"] as? [String: Int])?["numRegisteredCandidates"] == 6)
            }

            // Runtime calls: slot config on 0.12/0.18, epoch duration on 1.x.
            let slotDuration = try #require(try await result(node, "state_call", ["AuraApi_slot_duration", "0x"]) as? String)
            var r = ScaleReader(try Hex.decode(slotDuration))
            #expect(try r.readU64() == 100)
            if flavour.hasSlotApi {
                let config = try #require(try await result(node, "state_call", ["SlotApi_slot_config", "0x"]) as? String)
                var cr = ScaleReader(try Hex.decode(config))
                #expect(try cr.readU32() == 10)
                #expect(try cr.readU64() == 100)
                #expect(try await rpcError(node, "state_call", ["GetEpochDurationApi_get_epoch_duration_millis", "0x"])?.code == 4003)
            } else {
                let duration = try #require(
                    try await result(node, "state_call", ["GetEpochDurationApi_get_epoch_duration_millis", "0x"]) as? String)
                var dr = ScaleReader(try Hex.decode(duration))
                #expect(try dr.readU64() == 1000)
            }

            // Committee: same order as the AURA authorities.
            let bestEpoch = node.groundTruth().blocks.last!.sidechainEpoch
            let committee = try #require(try await result(node, "sidechain_getEpochCommittee", [bestEpoch]) as? [String: Any])
            let seats = try #require(committee["committee"] as? [[String: String]])
            #expect(seats.map { $0["sidechainPubKey"]! } == node.committee(epoch: bestEpoch).map(\.sidechainKey))
            #expect(try await rpcError(node, "sidechain_getEpochCommittee", [bestEpoch + 10])?.code == -1)

            // Registrations of one main-chain key; the operator's keys are in the node's keystore.
            let ours = node.operatorKeys
            #expect(try await result(node, "author_hasKey", [ours.auraKey, "aura"]) as? Bool == true)
            #expect(try await result(node, "author_hasKey", [ours.sidechainKey.uppercased(), "crch"]) as? Bool == true)
            #expect(try await result(node, "author_hasKey", [ours.grandpaKey, "aura"]) as? Bool == false)
            let operatorCandidate = try #require(node.candidates.first { $0.isOperator })
            let regs = try #require(
                try await result(node, "sidechain_getRegistrations", [mcEpoch, operatorCandidate.mainchainKey]) as? [[String: Any]])
            #expect(regs.first?["sidechainPubKey"] as? String == ours.sidechainKey)
            #expect(regs.first?["stakeDelegation"] as? Int == 6_000_000_000_000)

            let methods = try #require((try await result(node, "rpc_methods") as? [String: Any])?["methods"] as? [String])
            #expect(methods.contains("chain_subscribeNewHeads"))
            #expect(methods.contains("systemParameters_getAriadneParameters") == flavour.hasSystemParameters)
            let runtime = try await decoded(RuntimeVersion.self, node, "state_getRuntimeVersion")
            #expect(runtime.specName == "midnight")
        }
    }

    @Test func invalidRegistrationsCarryReasonsAndUnsafeMethodsCanBeRefused() async throws {
        var c = DevnodeConfiguration.fastTest(seed: 9)
        c.unsafeRPC = false
        c.operatorRole = .registeredInvalid
        try await withDevnode(c) { node in
            let typed = try await decoded(AriadneParameters.self, node, "systemParameters_getAriadneParameters", [0])
            let invalid = typed.candidateRegistrations.values.flatMap { $0 }.filter { !$0.isValid }
            #expect(invalid.count == 2)
            #expect(invalid.allSatisfy { ($0.invalidReasons ?? "").isEmpty == false })
            let refused = try #require(try await rpcError(node, "system_peers"))
            #expect(refused.code == -32601 && refused.message == "RPC call is unsafe to be called externally")
            #expect(node.operatorKeys.role == .registeredInvalid)
        }
    }

    @Test func blockLookupsAnswerNullWhereSubstrateDoes() async throws {
        var c = DevnodeConfiguration.fastTest(seed: 4)
        c.firstAvailableBlock = 20
        try await withDevnode(c) { node in
            let best = node.bestNumber
            #expect(try await result(node, "chain_getBlockHash", [best + 1000]) is NSNull)
            #expect(try await result(node, "chain_getBlockHash", [5]) is NSNull)
            #expect(try await result(node, "chain_getBlockHash", [25]) is String)
            #expect(try await result(node, "chain_getBlockHash", ["0x19"]) as? String == node.groundTruth().blocks[25].hash)
            let many = try #require(try await result(node, "chain_getBlockHash", [[21, 22]]) as? [String])
            #expect(many.count == 2)
            #expect(try await result(node, "chain_getHeader", ["0x" + String(repeating: "ab", count: 32)]) is NSNull)
            #expect(try await result(node, "chain_getBlock", ["0x" + String(repeating: "ab", count: 32)]) is NSNull)
            // The best block only grows, so the head finalized after this read is at most
            // `finalityLag` behind it, however many slots the calls below take on a loaded machine.
            let bestBefore = node.bestNumber
            let finalized = try #require(try await result(node, "chain_getFinalizedHead") as? String)
            let header = try await decoded(BlockHeader.self, node, "chain_getHeader", [finalized])
            #expect(header.number + UInt64(c.finalityLag) >= bestBefore)
            #expect(header.number <= node.bestNumber)
            // Errors with Substrate's codes.
            #expect(try await rpcError(node, "no_such_method")?.code == -32601)
            #expect(try await rpcError(node, "no_such_method")?.message == "Method not found")
            #expect(try await rpcError(node, "chain_getBlockHash", ["not-a-number"])?.code == -32602)
            #expect(try await rpcError(node, "chain_getBlock", ["0x1234"])?.code == -32602)
            #expect(try await rpcError(node, "sidechain_getAriadneParameters")?.code == -32602)
        }
    }
}
