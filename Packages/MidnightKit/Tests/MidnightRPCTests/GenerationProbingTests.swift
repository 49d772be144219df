import Foundation
import MidnightRPC
import Testing

/// `rpc_methods` probing picks the right generation's calls.
@Suite struct GenerationProbingTests {
    @Test func nodeWithSystemParametersUsesIt() async throws {
        try await FakeNode.with { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                let ariadne = try await client.ariadneParameters(mainchainEpoch: 1170)
                #expect(ariadne.dParameter?.numPermissionedCandidates == 7)
                #expect(node.count(of: "systemParameters_getAriadneParameters") == 1)
                #expect(node.count(of: "sidechain_getAriadneParameters") == 0)
                _ = try await client.ariadneParameters(mainchainEpoch: 1171)
                #expect(node.count(of: "rpc_methods") == 1)  // probed once, cached
            }
        }
    }

    @Test func olderNodeUsesTheDeprecatedSidechainCall() async throws {
        var script = FakeNode.Script()
        script.methods["systemParameters_getAriadneParameters"] = nil
        script.methods["rpc_methods"] = { _ in
            .result(["version": 1, "methods": .array(FakeNode.allMethodNames.filter { !$0.hasPrefix("systemParameters_") }.map { .string($0) })])
        }
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                let ariadne = try await client.ariadneParameters(mainchainEpoch: 1170)
                #expect(ariadne.dParameter?.numPermissionedCandidates == 0)
                #expect(ariadne.permissionedCandidates == nil)
                #expect(ariadne.allRegistrations.count == 1)
                #expect(node.count(of: "systemParameters_getAriadneParameters") == 0)
                #expect(node.count(of: "sidechain_getAriadneParameters") == 1)
            }
        }
    }

    @Test func withoutRpcMethodsTheClientFallsBackOnMethodNotFound() async throws {
        var script = FakeNode.Script()
        script.methods["rpc_methods"] = nil
        script.methods["systemParameters_getAriadneParameters"] = nil
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                #expect(try await client.availableMethods() == nil)
                let ariadne = try await client.ariadneParameters(mainchainEpoch: 1170)
                #expect(ariadne.allRegistrations.count == 1)
                #expect(node.count(of: "systemParameters_getAriadneParameters") == 1)
                #expect(node.count(of: "sidechain_getAriadneParameters") == 1)
                #expect(node.count(of: "rpc_methods") == 1)
            }
        }
    }

    @Test func nodeWithNeitherAriadneMethodSaysSo() async throws {
        var script = FakeNode.Script()
        script.methods["systemParameters_getAriadneParameters"] = nil
        script.methods["sidechain_getAriadneParameters"] = nil
        script.methods["rpc_methods"] = { _ in .result(["version": 1, "methods": ["system_health"]]) }
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                let error = try #require(await rpcError { try await client.ariadneParameters(mainchainEpoch: 1) })
                guard case .methodUnavailable(let tried) = error.kind else {
                    Issue.record("expected methodUnavailable, got \(error.kind)")
                    return
                }
                #expect(tried == ["systemParameters_getAriadneParameters", "sidechain_getAriadneParameters"])
            }
        }
    }

    @Test func epochDurationPrefersGetEpochDurationApi() async throws {
        var script = FakeNode.Script()
        script.methods["state_call"] = { params in
            switch params.first?.stringValue {
            case "GetEpochDurationApi_get_epoch_duration_millis": .result("0x40771b0000000000")  // 1_800_000
            default: .error(code: 4003, message: "Client error: Execution failed: Exported method not found")
            }
        }
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                let duration = try await client.epochDuration()
                #expect(duration == EpochDuration(millis: 1_800_000, source: .epochDurationApi))
            }
        }
    }

    @Test func epochDurationFallsBackToSlotConfigThenNil() async throws {
        var script = FakeNode.Script()
        script.methods["state_call"] = { params in
            switch params.first?.stringValue {
            case "SlotApi_slot_config": .result(.string("0xb0040000" + "7017000000000000"))  // 1200 slots, 6000 ms
            default: .error(code: 4003, message: "Client error: Execution failed: Exported method not found")
            }
        }
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                let duration = try #require(try await client.epochDuration())
                #expect(duration.millis == 7_200_000)
                #expect(duration.source == .slotConfig)
                #expect(duration.slotsPerEpoch == 1200 && duration.slotDurationMillis == 6000)
            }
        }
        // The standard fake offers neither runtime API.
        try await FakeNode.with { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                let duration = try await client.epochDuration()
                #expect(duration == nil)
                #expect(node.count(of: "state_call") == 2)
            }
        }
    }

    @Test func epochDurationPropagatesTransportFailures() async throws {
        var script = FakeNode.Script()
        script.override = { _, _ in FakeNode.HTTPOverride(status: 500, body: "") }
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url, retries: 0)) { client in
                let error = try #require(await rpcError { try await client.epochDuration() })
                #expect(error.httpStatus == 500)
            }
        }
    }
}
