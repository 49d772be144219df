import Foundation
import MidnightRPC
import Testing

/// Pure pieces: JSONValue and the retry / reconnect delays.
@Suite struct ValueTests {
    @Test func jsonValueKeepsSixtyFourBitIntegers() throws {
        let text = #"{"big":18446744073709551615,"stake":45000000000000001,"neg":-5,"f":1.5,"s":"x","n":null,"b":true,"a":[1,"2"]}"#
        let value = try JSONValue.parse(Data(text.utf8))
        #expect(value["big"] == .uint(UInt64.max))
        #expect(value["big"]?.uint64Value == UInt64.max)
        #expect(value["stake"]?.uint64Value == 45_000_000_000_000_001)
        #expect(value["neg"]?.int64Value == -5)
        #expect(value["neg"]?.uint64Value == nil)
        #expect(value["f"] == .double(1.5))
        #expect(value["s"]?.stringValue == "x")
        #expect(value["n"]?.isNull == true)
        #expect(value["b"] == .bool(true))
        #expect(value["a"] == [1, "2"])
        // Round trip through text.
        let again = try JSONValue.parse(Data(value.jsonText.utf8))
        #expect(again == value)
        #expect(JSONValue.number(UInt64.max) == .uint(UInt64.max))
        #expect(JSONValue.number(7) == .int(7))
    }

    @Test func jsonValueDecodesIntoModels() throws {
        struct Health: Decodable, Equatable {
            let peers: UInt64
            let isSyncing: Bool
        }
        let value: JSONValue = ["peers": 3, "isSyncing": false, "extra": "ignored"]
        #expect(try value.decode(as: Health.self) == Health(peers: 3, isSyncing: false))
        #expect(throws: DecodingError.self) { try JSONValue.object(["peers": "x"]).decode(as: Health.self) }
        #expect(try JSONValue.encode(["a": 1]) == ["a": 1])
    }

    @Test func retryDelaysGrowExponentiallyWithJitterUpToTheCap() {
        let policy = RetryPolicy(maxRetries: 10, initialDelay: .milliseconds(1000), maxDelay: .milliseconds(30_000))
        for _ in 0..<50 {
            let first = policy.delay(forRetry: 1)
            #expect(first >= .milliseconds(500) && first <= .milliseconds(1000))
            let third = policy.delay(forRetry: 3)
            #expect(third >= .milliseconds(2000) && third <= .milliseconds(4000))
            let late = policy.delay(forRetry: 30)
            #expect(late >= .milliseconds(15_000) && late <= .milliseconds(30_000))
        }
        // Jitter: not every delay is the same.
        let samples = Set((0..<20).map { _ in policy.delay(forRetry: 2) })
        #expect(samples.count > 1)
        #expect(RetryPolicy.none.maxRetries == 0)
    }

    @Test func v1MillisecondConfigKeysMapOntoTheConfiguration() {
        let configuration = NodeClientConfiguration(
            url: "http://127.0.0.1:9944", timeoutMs: 30_000, maxRetries: 3, retryInitialDelayMs: 1000, retryMaxDelayMs: 30_000)
        #expect(configuration.timeout == .seconds(30))
        #expect(configuration.retry == RetryPolicy(maxRetries: 3, initialDelay: .seconds(1), maxDelay: .seconds(30)))
        #expect(NodeClientConfiguration().url == "http://localhost:9944")
    }

    @Test func webSocketURLFollowsTheHTTPURL() async throws {
        let plain = try NodeClient(configuration: NodeClientConfiguration(url: "http://127.0.0.1:9944"), logger: testLogger)
        let tls = try NodeClient(configuration: NodeClientConfiguration(url: "https://node.example:443/rpc"), logger: testLogger)
        #expect(plain.webSocketURL == "ws://127.0.0.1:9944/")
        #expect(tls.webSocketURL == "wss://node.example:443/rpc")
        await plain.shutdown()
        await tls.shutdown()
    }

    /// Node URLs are read without Foundation's URL types (which load ICU for the host).
    @Test(arguments: [
        ("HTTP://[::1]:9944", "ws://[::1]:9944/"),
        ("https://node.example/rpc?x=1", "wss://node.example/rpc?x=1"),
        ("http://user:secret@node.example:9944/", "ws://user:secret@node.example:9944/"),
        ("http://node.example:9944?q=1", "ws://node.example:9944/?q=1"),
        ("http://localhost", "ws://localhost/"),
    ])
    func webSocketURLKeepsTheAuthorityAndPath(http: String, ws: String) async throws {
        let client = try NodeClient(configuration: NodeClientConfiguration(url: http), logger: testLogger)
        #expect(client.webSocketURL == ws)
        await client.shutdown()
    }

    @Test(arguments: [
        "localhost:9944", "ftp://node:21", "http://", "http://:9944", "http://node:0", "http://node:65536",
        "http://node:abc", "http://node:", "http://node:+9944", "http://[::1", "http://[::1]x", "http://no de:9944", "ws://node:9944",
    ])
    func malformedNodeURLsAreRejected(url: String) {
        do {
            let client = try NodeClient(configuration: NodeClientConfiguration(url: url), logger: testLogger)
            Issue.record("\(url) was accepted")
            Task { await client.shutdown() }
        } catch {
            #expect("\(error)".contains(url), "the error names the URL: \(error)")
        }
    }
}
