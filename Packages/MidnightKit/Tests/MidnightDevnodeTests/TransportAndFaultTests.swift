import AsyncHTTPClient
import Foundation
import MidnightChain
import MidnightDevnode
import SpomTesting
import Testing

@Suite("Transport: batches, faults, WebSocket subscriptions, restarts")
struct TransportAndFaultTests {
    static let three = #"[{"jsonrpc":"2.0","id":1,"method":"system_health"},{"jsonrpc":"2.0","id":"two","method":"chain_getBlockHash","params":[1]},{"jsonrpc":"2.0","id":3,"method":"nope"}]"#

    @Test func batchesAnswerEveryCallInOrder() async throws {
        try await withDevnode(.fastTest()) { node in
            let (status, body) = try await post(node.httpURL, body: Self.three)
            #expect(status == 200)
            let answers = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [[String: Any]])
            #expect(answers.count == 3)
            #expect(answers[0]["id"] as? Int == 1 && answers[0]["result"] != nil)
            #expect(answers[1]["id"] as? String == "two" && answers[1]["result"] is String)
            #expect((answers[2]["error"] as? [String: Any])?["code"] as? Int == -32601)
            // Ids come back exactly, escapes included.
            let (_, escaped) = try await post(node.httpURL, body: #"{"jsonrpc":"2.0","id":"a\"b\u00e9\ud83d\ude00","method":"system_name"}"#)
            let echo = try #require(try JSONSerialization.jsonObject(with: Data(escaped)) as? [String: Any])
            #expect(echo["id"] as? String == "a\"bé😀")
            let (_, bad) = try await post(node.httpURL, body: "{not json")
            let parse = try #require(try JSONSerialization.jsonObject(with: Data(bad)) as? [String: Any])
            #expect((parse["error"] as? [String: Any])?["code"] as? Int == -32700)
        }
    }

    @Test func batchLimitsAnswerLikeSubstrate() async throws {
        var c = DevnodeConfiguration.fastTest()
        c.faults.maxBatchSize = 2
        try await withDevnode(c) { node in
            let (_, body) = try await post(node.httpURL, body: Self.three)
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
            let error = try #require(answer["error"] as? [String: Any])
            #expect(error["code"] as? Int == -32010)
            #expect(error["message"] as? String == "The batch request was too large")
            #expect(error["data"] as? String == "Exceeded max limit of 2")
            #expect(answer["id"] is NSNull)
            // Two calls still fit; single calls are unaffected.
            let two = #"[{"jsonrpc":"2.0","id":1,"method":"system_health"},{"jsonrpc":"2.0","id":2,"method":"system_chain"}]"#
            let (_, ok) = try await post(node.httpURL, body: two)
            #expect((try JSONSerialization.jsonObject(with: Data(ok)) as? [[String: Any]])?.count == 2)

            var disabled = node.faults
            disabled.maxBatchSize = 0
            node.setFaults(disabled)
            let (_, refused) = try await post(node.httpURL, body: two)
            let refusal = try #require(try JSONSerialization.jsonObject(with: Data(refused)) as? [String: Any])
            #expect((refusal["error"] as? [String: Any])?["code"] as? Int == -32005)
            #expect(try await result(node, "system_chain") as? String == "mainnet")
        }
    }

    @Test func httpFaults() async throws {
        try await withDevnode(.fastTest()) { node in
            var f = DevnodeFaults()
            f.http5xxRate = 1
            node.setFaults(f)
            #expect(try await post(node.httpURL, body: #"{"jsonrpc":"2.0","id":1,"method":"system_health"}"#).status == 503)

            f = DevnodeFaults()
            f.malformedJSONRate = 1
            node.setFaults(f)
            let (status, body) = try await post(node.httpURL, body: #"{"jsonrpc":"2.0","id":1,"method":"system_health"}"#)
            #expect(status == 200)
            #expect((try? JSONSerialization.jsonObject(with: Data(body))) == nil, "the body must not parse")

            f = DevnodeFaults()
            f.dropConnectionRate = 1
            node.setFaults(f)
            await #expect(throws: (any Error).self) {
                _ = try await post(node.httpURL, body: #"{"jsonrpc":"2.0","id":1,"method":"system_health"}"#, timeout: .seconds(5))
            }

            f = DevnodeFaults()
            f.latencyMs = 300
            node.setFaults(f)
            let started = ContinuousClock.now
            _ = try await result(node, "system_health")
            #expect(ContinuousClock.now - started >= .milliseconds(300))

            node.setFaults(DevnodeFaults())
            #expect(try await result(node, "system_health") is [String: Any])
        }
    }

    @Test func partialFaultRatesAreDeterministicPerRequestOrder() async throws {
        func statuses() async throws -> [Int] {
            var c = DevnodeConfiguration.fastTest(seed: 77)
            c.faults.http5xxRate = 0.5
            return try await withDevnode(c) { node in
                var out: [Int] = []
                for _ in 0..<20 { out.append(try await post(node.httpURL, body: #"{"jsonrpc":"2.0","id":1,"method":"system_name"}"#).status) }
                return out
            }
        }
        let a = try await statuses()
        #expect(a.contains(503) && a.contains(200))
        #expect(try await statuses() == a)
    }

    @Test func subscriptionsDeliverNewAndFinalizedHeads() async throws {
        try await withDevnode(.fastTest()) { node in
            let subscribe = #"{"jsonrpc":"2.0","id":1,"method":"chain_subscribeNewHeads","params":[]}"#
            let finalized = #"{"jsonrpc":"2.0","id":2,"method":"chain_subscribeFinalizedHeads","params":[]}"#
            let call = #"{"jsonrpc":"2.0","id":3,"method":"chain_getFinalizedHead","params":[]}"#
            let session = try await webSocketSession(node.webSocketURL, send: [subscribe, finalized, call]) { messages in
                messages.compactMap(jsonObject).filter { $0["method"] as? String == "chain_newHead" }.count >= 5
                    && messages.compactMap(jsonObject).filter { $0["method"] as? String == "chain_finalizedHead" }.count >= 3
            }
            let objects = session.messages.compactMap(jsonObject)
            let answers = objects.filter { $0["id"] != nil }
            #expect(answers.count == 3)
            let newHeadsId = try #require(answers.first { $0["id"] as? Int == 1 }?["result"] as? String)
            #expect(newHeadsId.count == 16)
            let heads = objects.filter { $0["method"] as? String == "chain_newHead" }
            #expect(heads.allSatisfy { ($0["params"] as? [String: Any])?["subscription"] as? String == newHeadsId })
            let numbers = heads.compactMap(notificationNumber)
            #expect(zip(numbers, numbers.dropFirst()).allSatisfy { $0 + 1 == $1 }, "new heads arrive one by one: \(numbers)")
            let finals = objects.filter { $0["method"] as? String == "chain_finalizedHead" }.compactMap(notificationNumber)
            #expect(zip(finals, finals.dropFirst()).allSatisfy { $0 < $1 })
            // Notifications carry real headers.
            let header = try JSONDecoder().decode(
                BlockHeader.self,
                from: JSONSerialization.data(withJSONObject: (heads.last!["params"] as! [String: Any])["result"]!))
            let truth = node.groundTruth()
            #expect(truth.block(number: header.number)?.hash == (try header.computeHash()))
        }
    }

    @Test func subscriptionsNeedWebSocketAndUnsubscribeWorks() async throws {
        try await withDevnode(.fastTest()) { node in
            #expect(try await rpcError(node, "chain_subscribeNewHeads")?.code == -32601)
            let subscribe = #"{"jsonrpc":"2.0","id":1,"method":"chain_subscribeNewHead","params":[]}"#
            let session = try await webSocketSession(node.webSocketURL, send: [subscribe]) { messages in
                messages.count >= 2
            }
            #expect(session.messages.count >= 2)
            let unsubscribeUnknown = #"{"jsonrpc":"2.0","id":9,"method":"chain_unsubscribeNewHeads","params":["nope"]}"#
            let other = try await webSocketSession(node.webSocketURL, send: [unsubscribeUnknown]) { $0.count >= 1 }
            #expect(jsonObject(other.messages[0])?["result"] as? Bool == false)
        }
    }

    @Test func webSocketDisconnectsAfterNNotifications() async throws {
        var c = DevnodeConfiguration.fastTest()
        c.faults.wsDisconnectAfterNotifications = 3
        try await withDevnode(c) { node in
            let subscribe = #"{"jsonrpc":"2.0","id":1,"method":"chain_subscribeNewHeads","params":[]}"#
            let session = try await webSocketSession(node.webSocketURL, send: [subscribe], timeout: .seconds(10)) { messages in
                messages.count >= 10
            }
            #expect(session.closedByServer)
            #expect(session.messages.compactMap(jsonObject).filter { $0["method"] != nil }.count == 3)
        }
    }

    @Test func stallResumeAndRestartOnTheSamePort() async throws {
        try await withDevnode(.fastTest()) { node in
            node.stallProduction()
            try await Task.sleep(for: .milliseconds(150))
            let stalledAt = node.bestNumber
            try await Task.sleep(for: .milliseconds(400))
            #expect(node.bestNumber == stalledAt)
            let header = try await decoded(BlockHeader.self, node, "chain_getHeader")
            #expect(header.number == stalledAt)
            node.resumeProduction()
            #expect(await eventually(timeout: .seconds(5)) { node.bestNumber > stalledAt })

            let port = node.port
            await node.stopServer()
            #expect(node.port == 0)
            await #expect(throws: (any Error).self) {
                _ = try await post("http://127.0.0.1:\(port)", body: "{}", timeout: .seconds(2))
            }
            let before = node.bestNumber
            try await Task.sleep(for: .milliseconds(300))
            try await node.startServer()
            #expect(node.port == port)
            let after = try await decoded(BlockHeader.self, node, "chain_getHeader")
            #expect(after.number > before, "the chain kept going while the server was down")
        }
    }

    @Test func stoppingTheServerClosesWebSockets() async throws {
        try await withDevnode(.fastTest()) { node in
            let subscribe = #"{"jsonrpc":"2.0","id":1,"method":"chain_subscribeNewHeads","params":[]}"#
            async let session = webSocketSession(node.webSocketURL, send: [subscribe], timeout: .seconds(10)) { $0.count >= 1000 }
            // 15 slots of 100 ms: the subscription answers and heads arrive even on a loaded machine
            // (500 ms once gave a single message under load).
            try await Task.sleep(for: .milliseconds(1500))
            await node.stopServer()
            let s = try await session
            #expect(s.closedByServer)
            #expect(s.messages.count >= 2)
            try await node.startServer()
        }
    }
}
