import Foundation
import MidnightRPC
import Testing

/// Batches: id matching, per-item errors, and the fallbacks when the node limits or disables them.
@Suite struct BatchTests {
    static let numbers: [UInt64] = Array(1...25)

    static func hashCalls() -> [RPCCall] {
        numbers.map { RPCCall("chain_getBlockHash", [.number($0)]) }
    }

    static func expectAllHashes(_ results: [Result<JSONValue, NodeRPCError>]) throws {
        #expect(results.count == numbers.count)
        for (number, result) in zip(numbers, results) {
            #expect(try result.get().stringValue == FakeNode.hash(number))
        }
    }

    @Test func resultsAreMatchedByIdWhateverTheOrder() async throws {
        // The fake answers batches in reverse order.
        try await FakeNode.with { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                let results = try await client.batch(Self.hashCalls())
                try Self.expectAllHashes(results)
                #expect(node.posts.withLock { $0 } == [25])
                #expect(client.statistics.snapshot()["chain_getBlockHash"]?.requests == 25)
            }
        }
    }

    @Test func perItemErrorsStayPerItem() async throws {
        var script = FakeNode.Script()
        script.methods["state_call"] = { params in
            params.first == "bad" ? .error(code: -32602, message: "Invalid params") : .result("0x00")
        }
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                let results = try await client.batch([
                    RPCCall("state_call", ["good", "0x"]),
                    RPCCall("state_call", ["bad", "0x"]),
                    RPCCall("chain_getBlockHash", [1_000]),
                    RPCCall("nope_nothing"),
                ])
                #expect(try results[0].get() == "0x00")
                #expect(throws: NodeRPCError.self) { try results[1].get() }
                if case .failure(let error) = results[1] { #expect(error.rpcCode == -32602 && error.method == "state_call") }
                #expect(try results[2].get() == .null)
                if case .failure(let error) = results[3] { #expect(error.isMethodNotFound && error.method == "nope_nothing") }
                #expect(node.postCount == 1)
            }
        }
    }

    @Test func batchLimitFallsBackToTheStatedSizeAndRemembersIt() async throws {
        var script = FakeNode.Script()
        script.batch = .limit(10)
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                try Self.expectAllHashes(try await client.batch(Self.hashCalls()))
                #expect(client.currentBatchLimit == 10)
                // 1 rejected POST, then 10 + 10 + 5.
                #expect(node.posts.withLock { $0 } == [25, 10, 10, 5])
                try Self.expectAllHashes(try await client.batch(Self.hashCalls()))
                #expect(node.posts.withLock { Array($0.suffix(3)) } == [10, 10, 5])
                #expect(node.postCount == 7)
            }
        }
    }

    @Test func disabledBatchesFallBackToSingleCalls() async throws {
        var script = FakeNode.Script()
        script.batch = .disabled
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                try Self.expectAllHashes(try await client.batch(Self.hashCalls()))
                #expect(client.currentBatchLimit == nil)
                #expect(node.postCount == 1 + 25)
                // Remembered: the next batch goes straight to single calls.
                try Self.expectAllHashes(try await client.batch(Self.hashCalls()))
                #expect(node.postCount == 1 + 25 + 25)
            }
        }
    }

    @Test func http413HalvesTheBatch() async throws {
        var script = FakeNode.Script()
        script.batch = .http413Above(8)
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url, retries: 3)) { client in
                try Self.expectAllHashes(try await client.batch(Self.hashCalls()))
                let limit = try #require(client.currentBatchLimit)
                #expect(limit <= 8 && limit >= 4)
                #expect(node.posts.withLock { $0.first } == 25)
            }
        }
    }

    @Test func perItemBatchTooLargeErrorsAreResent() async throws {
        var script = FakeNode.Script()
        script.batch = .perItemErrorsAbove(5)
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                try Self.expectAllHashes(try await client.batch(Self.hashCalls()))
                let limit = try #require(client.currentBatchLimit)
                #expect(limit <= 5)
            }
        }
    }

    @Test func configuredMaxBatchSizeSplitsUpFront() async throws {
        try await FakeNode.with { node in
            try await withClient(fastClientConfiguration(node.url, maxBatchSize: 7)) { client in
                try Self.expectAllHashes(try await client.batch(Self.hashCalls()))
                #expect(node.posts.withLock { $0 } == [7, 7, 7, 4])
            }
        }
    }

    @Test func transientBatchFailureIsRetriedAsAWhole() async throws {
        var script = FakeNode.Script()
        script.override = { post, _ in post == 0 ? FakeNode.HTTPOverride(status: 502, body: "bad gateway") : nil }
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                try Self.expectAllHashes(try await client.batch(Self.hashCalls()))
                #expect(node.posts.withLock { $0 } == [25, 25])
                // Retries are counted per item method (bounded metric labels), never per batch.
                let stats = client.statistics.snapshot()
                #expect(stats["chain_getBlockHash"]?.retries == 25)
                #expect(stats.keys.allSatisfy { !$0.hasPrefix("batch") })
            }
        }
    }

    @Test func blocksByNumberUseTwoBatchedRoundTripsAndSkipMissingOnes() async throws {
        try await FakeNode.with { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                let wanted: [UInt64] = [FakeNode.tip - 2, FakeNode.tip - 1, FakeNode.tip, FakeNode.tip + 1, FakeNode.tip + 2, 5]
                let blocks = try await client.blocks(numbers: wanted)
                #expect(blocks.map(\.number) == [5, FakeNode.tip - 2, FakeNode.tip - 1, FakeNode.tip])
                for fetched in blocks {
                    #expect(fetched.hash == FakeNode.hash(fetched.number))
                    #expect(fetched.block.block.header.number == fetched.number)
                }
                #expect(node.posts.withLock { $0 } == [6, 4])
            }
        }
    }

    @Test func blocksByNumberStillWorkWhenBatchesAreDisabled() async throws {
        var script = FakeNode.Script()
        script.batch = .disabled
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                let blocks = try await client.blocks(numbers: Array(1...12))
                #expect(blocks.map(\.number) == Array(1...12))
            }
        }
    }
}
