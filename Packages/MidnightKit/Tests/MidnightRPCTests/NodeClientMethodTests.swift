import Foundation
import MidnightChain
import MidnightRPC
import Testing

/// Every typed method against the fake node over a real socket.
@Suite struct NodeClientMethodTests {
    @Test func systemMethods() async throws {
        try await FakeNode.with { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                let health = try await client.systemHealth()
                #expect(health.peers == 5 && !health.isSyncing && health.shouldHavePeers)
                let sync = try await client.syncState()
                #expect(sync.currentBlock == 100 && sync.highestBlock == 100)
                #expect(try await client.systemVersion() == "1.0.1-5edf8ddd")
                #expect(try await client.systemChain() == "Midnight Fake")
                let peers = try await client.peers()
                #expect(peers.map(\.peerId) == ["12D3KooWA"] && peers.first?.bestNumber == 99)
                let network = try await client.networkState()
                #expect(network.peerId == "12D3KooWSelf")
                #expect(network.externalAddresses == ["/ip4/1.2.3.4/tcp/30333"])
                #expect(network.connectedPeers.map(\.peerId) == ["12D3KooWA", "12D3KooWB"])
                #expect(network.connectedPeers.map(\.isOutbound) == [false, true])
                let runtime = try await client.runtimeVersion()
                #expect(runtime.specName == "midnight" && runtime.specVersion == 100_006_002)
            }
        }
    }

    @Test func chainMethodsWithHexBlockNumbers() async throws {
        try await FakeNode.with { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                let best = try await client.bestHeader()
                #expect(best.number == FakeNode.tip)
                #expect(best.parentHash == FakeNode.hash(FakeNode.tip - 1))
                #expect(best.digestLogs.count == 1)
                let finalized = try await client.finalizedHash()
                #expect(finalized == FakeNode.hash(98))
                #expect(try await client.finalizedHeader().number == 98)
                #expect(try await client.blockHash(number: 42) == FakeNode.hash(42))
                let block = try #require(try await client.block(hash: FakeNode.hash(42)))
                #expect(block.block.header.number == 42)
                #expect(block.block.extrinsics.count == 1)
                #expect(try await client.header(hash: FakeNode.hash(7))?.number == 7)
            }
        }
    }

    @Test func nullResultsAreNilWhereOptionalAndErrorsWhereRequired() async throws {
        var script = FakeNode.Script()
        script.methods["chain_getFinalizedHead"] = { _ in .result(nil) }
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                #expect(try await client.blockHash(number: 1_000) == nil)
                #expect(try await client.header(hash: FakeNode.zeroHash) == nil)
                #expect(try await client.block(hash: "0x00") == nil)
                let error = try #require(await rpcError { try await client.finalizedHash() })
                guard case .nullResult = error.kind else {
                    Issue.record("expected nullResult, got \(error)")
                    return
                }
                #expect(error.method == "chain_getFinalizedHead")
                #expect(error.description.contains("returned null for chain_getFinalizedHead"))
            }
        }
    }

    @Test func integerBlockNumbersDecodeToo() async throws {
        var script = FakeNode.Script()
        script.methods["chain_getHeader"] = { _ in
            var header = FakeNode.header(number: 0).objectValue ?? [:]
            header["number"] = 3_351_860  // smoldot-style JSON integer
            return .result(.object(header))
        }
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                let header = try await client.bestHeader()
                #expect(header.number == 3_351_860)
            }
        }
    }

    @Test func stateCallsAuthoritiesSlotDurationAndKeys() async throws {
        try await FakeNode.with { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                let committee = try await client.authorities(at: FakeNode.hash(50))
                #expect(committee.size == 2)
                #expect(committee.authorities[0] == "0x" + String(repeating: "01", count: 32))
                #expect(committee.authority(forSlot: 3) == "0x" + String(repeating: "02", count: 32))
                #expect(try await client.slotDurationMillis() == 6000)
                #expect(try await client.hasKey(publicKey: "0xAB01", keyType: "aura"))
                #expect(try await client.hasKey(publicKey: "0xab02", keyType: "aura") == false)
            }
        }
        // The params on the wire: [function, "0x", hash].
        var seen = FakeNode.Script()
        let captured = CapturedParams()
        seen.methods["state_call"] = { params in
            captured.set(params)
            return .result("0x00")
        }
        try await FakeNode.with(seen) { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                _ = try await client.authorities(at: FakeNode.hash(5))
                #expect(captured.get() == ["AuraApi_authorities", "0x", .string(FakeNode.hash(5))])
            }
        }
    }

    @Test func sidechainMethods() async throws {
        try await FakeNode.with { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                let status = try await client.sidechainStatus()
                #expect(status.sidechain.epoch == 245_527)
                #expect(status.sidechain.slot == nil)  // 1.x shape: no sidechain.slot
                #expect(status.mainchain.epoch == 1170)
                let params = try await client.sidechainParams()
                #expect(params.genesisUtxo.hasSuffix("#1"))
                let committee = try await client.epochCommittee(sidechainEpoch: 245_527)
                #expect(committee.sidechainEpoch == 245_527 && committee.committee.count == 2)
                let registrations = try await client.registrations(
                    mainchainEpoch: 1170, mainchainPublicKey: "0x7521303029fc73ea2dd6a410c4c3cf570bf294a7e02942e049d50ba117acec22")
                #expect(registrations.first?.stake == 2_380_000_000)
                #expect(registrations.first?.keys.aura == "0x90b5")
                let d = try await client.dParameter()
                #expect(d.numPermissionedCandidates == 7 && d.numRegisteredCandidates == 3)
                let methods = try #require(try await client.availableMethods())
                #expect(methods.contains("systemParameters_getAriadneParameters"))
            }
        }
    }

    @Test func statisticsCountRequestsAndFailuresPerMethod() async throws {
        try await FakeNode.with { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                _ = try await client.systemHealth()
                _ = try await client.systemHealth()
                _ = await rpcError { try await client.call("no_such_method") }
                let stats = client.statistics.snapshot()
                #expect(stats["system_health"]?.requests == 2)
                #expect(stats["system_health"]?.failures == 0)
                #expect(stats["no_such_method"]?.requests == 1)
                #expect(stats["no_such_method"]?.failures == 1)
                #expect(client.statistics.totalRequests == 3)
            }
        }
    }

    @Test func paramsAreAlwaysAnArrayAndIdsIncrease() async throws {
        let captured = CapturedParams()
        var script = FakeNode.Script()
        script.methods["system_health"] = { params in
            captured.set(params)
            return .result(["peers": 1, "isSyncing": false, "shouldHavePeers": true])
        }
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                _ = try await client.systemHealth()
                #expect(captured.get() == [])
                let raw = try await client.call("chain_getBlockHash", [5])
                #expect(raw.stringValue == FakeNode.hash(5))
            }
        }
    }
}

/// Params captured by a fake node handler.
final class CapturedParams: Sendable {
    private let value = Mutex<[JSONValue]?>(nil)
    func set(_ params: [JSONValue]) { value.withLock { $0 = params } }
    func get() -> [JSONValue]? { value.withLock { $0 } }
}

import Synchronization
