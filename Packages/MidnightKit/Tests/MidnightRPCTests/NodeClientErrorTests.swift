import Foundation
import MidnightRPC
import SpomTesting
import Testing

/// Each failure kind, over real sockets, with the exact number of requests the node saw.
@Suite struct NodeClientErrorTests {
    @Test func refusedPortIsATypedTransportErrorAndIsRetried() async throws {
        let port = try LoopbackPort.free()
        let url = "http://127.0.0.1:\(port)"
        try await withClient(fastClientConfiguration(url, retries: 2, initialDelay: .milliseconds(5))) { client in
            let started = ContinuousClock.now
            let error = try #require(await rpcError { try await client.systemHealth() })
            #expect(error.transportFailure == .connectionRefused)
            #expect(error.isTransient)
            #expect(error.attempts == 3)
            #expect(error.url == url)
            #expect(error.method == "system_health")
            #expect(error.cause != nil)
            #expect(error.description.hasPrefix("node unreachable at \(url): connection refused"))
            #expect(error.description.contains("is the node running, is --rpc-url right?"))
            // Refusal fails fast: no waiting for the request deadline.
            #expect(ContinuousClock.now - started < .seconds(3))
            #expect(client.statistics.snapshot()["system_health"]?.retries == 2)
            #expect(client.statistics.snapshot()["system_health"]?.failures == 1)
        }
    }

    @Test func slowNodeTimesOut() async throws {
        var script = FakeNode.Script()
        script.latency = .seconds(3)
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url, timeout: .milliseconds(300), retries: 0)) { client in
                let started = ContinuousClock.now
                let error = try #require(await rpcError { try await client.systemHealth() })
                #expect(error.transportFailure == .timedOut)
                #expect(ContinuousClock.now - started < .seconds(2))
                #expect(error.description.contains("did not answer system_health in time"))
                #expect(error.description.contains("rpc.timeout_ms"))
            }
        }
    }

    @Test func http500IsRetriedThenSucceeds() async throws {
        var script = FakeNode.Script()
        script.override = { post, _ in post < 2 ? FakeNode.HTTPOverride(status: 500, body: "boom") : nil }
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url, retries: 3)) { client in
                let health = try await client.systemHealth()
                #expect(health.peers == 5)
                #expect(node.count(of: "system_health") == 3)
                #expect(client.statistics.snapshot()["system_health"]?.retries == 2)
                #expect(client.statistics.snapshot()["system_health"]?.failures == 0)
            }
        }
    }

    @Test func persistent503FailsWithStatusAndBodyExcerptAfterAllRetries() async throws {
        var script = FakeNode.Script()
        script.override = { _, _ in FakeNode.HTTPOverride(status: 503, body: "upstream node restarting") }
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url, retries: 2)) { client in
                let error = try #require(await rpcError { try await client.systemHealth() })
                #expect(error.httpStatus == 503)
                #expect(error.attempts == 3)
                #expect(node.count(of: "system_health") == 3)
                #expect(error.description.contains("HTTP 503"))
                #expect(error.description.contains("upstream node restarting"))
            }
        }
    }

    @Test func http429HonoursRetryAfter() async throws {
        var script = FakeNode.Script()
        script.override = { post, _ in post == 0 ? FakeNode.HTTPOverride(status: 429, body: "slow down", retryAfter: "1") : nil }
        try await FakeNode.with(script) { node in
            // The jittered backoff alone would be <= 20 ms; Retry-After asks for 1 s.
            try await withClient(fastClientConfiguration(node.url, retries: 3, initialDelay: .milliseconds(10), maxDelay: .seconds(5))) { client in
                let started = ContinuousClock.now
                _ = try await client.systemHealth()
                let elapsed = ContinuousClock.now - started
                #expect(elapsed >= .milliseconds(950))
                #expect(node.count(of: "system_health") == 2)
            }
        }
    }

    @Test func retryAfterLongerThanMaxDelayFailsInsteadOfSleeping() async throws {
        var script = FakeNode.Script()
        script.override = { _, _ in FakeNode.HTTPOverride(status: 429, body: "", retryAfter: "120") }
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url, retries: 3, maxDelay: .seconds(1))) { client in
                let error = try #require(await rpcError { try await client.systemHealth() })
                #expect(error.httpStatus == 429)
                guard case .httpStatus(_, _, let retryAfter) = error.kind else { return }
                #expect(retryAfter == .seconds(120))
                #expect(node.count(of: "system_health") == 1)
            }
        }
    }

    @Test func methodNotFoundIsNeverRetried() async throws {
        try await FakeNode.with { node in
            try await withClient(fastClientConfiguration(node.url, retries: 5)) { client in
                let error = try #require(await rpcError { try await client.call("sidechain_getBlockProductionLog") })
                #expect(error.rpcCode == -32601)
                #expect(error.isMethodNotFound)
                #expect(!error.isTransient)
                #expect(error.attempts == 1)
                #expect(node.count(of: "sidechain_getBlockProductionLog") == 1)
                #expect(error.description.contains("does not offer sidechain_getBlockProductionLog"))
            }
        }
    }

    @Test func invalidParamsAndParseErrorsAndClientErrorsAreNotRetried() async throws {
        var script = FakeNode.Script()
        script.methods["chain_getBlockHash"] = { _ in .error(code: -32602, message: "Invalid params", data: "expected u32") }
        script.methods["system_chain"] = { _ in .error(code: -32700, message: "Parse error") }
        script.override = { _, methods in methods == ["system_name"] ? FakeNode.HTTPOverride(status: 403, body: "forbidden") : nil }
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url, retries: 5)) { client in
                let invalid = try #require(await rpcError { try await client.blockHash(number: 1) })
                #expect(invalid.rpcCode == -32602)
                if case .rpc(_, let message, let data) = invalid.kind {
                    #expect(message == "Invalid params")
                    #expect(data == "expected u32")
                } else {
                    Issue.record("expected .rpc, got \(invalid.kind)")
                }
                let parse = try #require(await rpcError { try await client.systemChain() })
                #expect(parse.rpcCode == -32700)
                let forbidden = try #require(await rpcError { try await client.call("system_name") })
                #expect(forbidden.httpStatus == 403)
                #expect(node.count(of: "chain_getBlockHash") == 1)
                #expect(node.count(of: "system_chain") == 1)
                #expect(node.count(of: "system_name") == 1)
            }
        }
    }

    @Test func malformedJSONIsRetriedThenReported() async throws {
        var script = FakeNode.Script()
        script.override = { _, _ in FakeNode.HTTPOverride(status: 200, body: "{\"jsonrpc\":\"2.0\",\"id\":1,\"res") }
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url, retries: 1)) { client in
                let error = try #require(await rpcError { try await client.systemHealth() })
                guard case .malformedResponse(let detail, let body) = error.kind else {
                    Issue.record("expected malformedResponse, got \(error.kind)")
                    return
                }
                #expect(detail == "not JSON")
                #expect(body.hasPrefix("{\"jsonrpc\""))
                #expect(node.count(of: "system_health") == 2)
                #expect(error.description.contains("not valid JSON-RPC"))
            }
        }
        var once = FakeNode.Script()
        once.override = { post, _ in post == 0 ? FakeNode.HTTPOverride(status: 200, body: "<html>oops</html>") : nil }
        try await FakeNode.with(once) { node in
            try await withClient(fastClientConfiguration(node.url, retries: 1)) { client in
                let health = try await client.systemHealth()
                #expect(health.peers == 5)
            }
        }
    }

    @Test func decodingErrorNamesMethodAndFieldPath() async throws {
        var script = FakeNode.Script()
        script.methods["chain_getBlock"] = { _ in
            .result(["block": ["header": ["parentHash": "0x00", "stateRoot": "0x00", "extrinsicsRoot": "0x00", "number": true], "extrinsics": []]])
        }
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url, retries: 3)) { client in
                let error = try #require(await rpcError { try await client.block(hash: FakeNode.hash(1)) })
                guard case .decoding(let path, _) = error.kind else {
                    Issue.record("expected decoding, got \(error.kind)")
                    return
                }
                #expect(path == "block.header.number")
                #expect(error.method == "chain_getBlock")
                #expect(error.cause is DecodingError)
                #expect(error.description.contains("`block.header.number`"))
                #expect(node.count(of: "chain_getBlock") == 1)
            }
        }
    }

    @Test func prunedStateIsStateUnavailable() async throws {
        try await FakeNode.with { node in
            try await withClient(fastClientConfiguration(node.url, retries: 3)) { client in
                let error = try #require(await rpcError { try await client.authorities(at: FakeNode.hash(3)) })
                #expect(error.isStateUnavailable)
                #expect(error.rpcCode == 4003)
                #expect(!error.isTransient)
                #expect(node.count(of: "state_call") == 1)
                #expect(error.description.contains("State already discarded"))
                #expect(error.description.contains("archive"))
            }
        }
    }

    @Test func invalidURLIsRejectedUpFront() {
        #expect(throws: NodeRPCError.self) {
            _ = try NodeClient(configuration: NodeClientConfiguration(url: "localhost:9944"), logger: testLogger)
        }
    }

    @Test func callsAfterShutdownFailClearly() async throws {
        let client = try NodeClient(configuration: fastClientConfiguration("http://127.0.0.1:1"), logger: testLogger)
        await client.shutdown()
        let error = try #require(await rpcError { try await client.systemHealth() })
        guard case .clientShutDown = error.kind else {
            Issue.record("expected clientShutDown, got \(error.kind)")
            return
        }
    }

    @Test func cancellationStopsRetrySleeps() async throws {
        let port = try LoopbackPort.free()
        let client = try NodeClient(
            configuration: fastClientConfiguration("http://127.0.0.1:\(port)", retries: 10, initialDelay: .seconds(5), maxDelay: .seconds(5)),
            logger: testLogger)
        let task = Task { try await client.systemHealth() }
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        task.cancel()
        let result = await task.result
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(throws: CancellationError.self) { try result.get() }
        await client.shutdown()
    }
}
