import Foundation
import MidnightChain
import MidnightRPC
import SpomTesting
import Synchronization
import Testing

/// WebSocket head subscriptions over a real socket.
@Suite struct HeadSubscriptionTests {
    /// Collects up to `limit` events or until `timeout`.
    static func collect(
        _ stream: AsyncStream<HeadEvent>, until done: @escaping @Sendable ([HeadEvent]) -> Bool, timeout: Duration = .seconds(10)
    ) async -> [HeadEvent] {
        await withTaskGroup(of: [HeadEvent]?.self) { group in
            group.addTask {
                var events: [HeadEvent] = []
                for await event in stream {
                    events.append(event)
                    if done(events) { break }
                }
                return events
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            var result: [HeadEvent] = []
            for await value in group {
                if let value {
                    result = value
                    group.cancelAll()
                    break
                }
                group.cancelAll()
            }
            return result
        }
    }

    static func newHeadNumbers(_ events: [HeadEvent]) -> [UInt64] {
        events.compactMap { if case .newHead(let h) = $0 { h.number } else { nil } }
    }

    @Test func headsAreDelivered() async throws {
        try await FakeNode.with { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                #expect(client.webSocketURL == "ws://127.0.0.1:\(node.port)/")
                let events = await Self.collect(client.headEvents()) { Self.newHeadNumbers($0).count >= 3 }
                #expect(events.first == .connected)
                let numbers = Self.newHeadNumbers(events)
                #expect(numbers.count >= 3)
                #expect(numbers == Array(numbers.first!...(numbers.first! + UInt64(numbers.count) - 1)))
                #expect(events.contains { if case .finalizedHead = $0 { true } else { false } })
            }
        }
    }

    @Test func finalizedHeadsArriveAsTheirOwnEvents() async throws {
        try await FakeNode.with { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                // The fake finalizes two blocks behind the best one.
                let events = await Self.collect(client.headEvents(.all)) { events in
                    events.filter { if case .finalizedHead = $0 { true } else { false } }.count >= 2
                }
                let finalized = events.compactMap { if case .finalizedHead(let h) = $0 { h.number } else { nil } }
                let best = Self.newHeadNumbers(events)
                #expect(!finalized.isEmpty && !best.isEmpty)
                #expect(finalized.max()! < best.max()!)
            }
        }
    }

    @Test func serverCloseLeadsToReconnectResubscribedAndMoreHeads() async throws {
        var script = FakeNode.Script()
        script.closeWebSocketAfterHeads = 3
        try await FakeNode.with(script) { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                let events = await Self.collect(client.headEvents()) { events in
                    guard let index = events.firstIndex(of: .resubscribed(mayHaveMissedHeads: true)) else { return false }
                    return Self.newHeadNumbers(Array(events[index...])).count >= 2
                }
                #expect(events.first == .connected)
                let disconnect = try #require(events.firstIndex { if case .disconnected = $0 { true } else { false } })
                let resubscribed = try #require(events.firstIndex(of: .resubscribed(mayHaveMissedHeads: true)))
                #expect(disconnect < resubscribed)
                let before = Self.newHeadNumbers(Array(events[..<disconnect]))
                let after = Self.newHeadNumbers(Array(events[resubscribed...]))
                #expect(before.count == 3)
                #expect(after.count >= 2)
                #expect(after.first! > before.last!)
                #expect(node.webSocketConnections.load(ordering: .relaxed) >= 2)
            }
        }
    }

    @Test func unreachableNodeReportsDisconnectedAndKeepsTrying() async throws {
        let port = try LoopbackPort.free()
        try await withClient(fastClientConfiguration("http://127.0.0.1:\(port)")) { client in
            let events = await Self.collect(client.headEvents()) { $0.count >= 2 }
            #expect(events.count >= 2)
            for event in events {
                guard case .disconnected(let reason) = event else {
                    Issue.record("expected disconnected, got \(event)")
                    continue
                }
                #expect(reason.contains("connection refused"))
                #expect(reason.contains("127.0.0.1:\(port)"))
            }
        }
    }

    @Test func givesUpAfterMaxAttempts() async throws {
        let port = try LoopbackPort.free()
        var configuration = fastClientConfiguration("http://127.0.0.1:\(port)")
        configuration.reconnect = ReconnectPolicy(initialDelay: .milliseconds(5), maxDelay: .milliseconds(10), maxAttempts: 2)
        try await withClient(configuration) { client in
            // The stream finishes by itself (collect only stops early on its timeout).
            let events = await Self.collect(client.headEvents(), until: { _ in false }, timeout: .seconds(10))
            #expect(events.count == 3)  // first failure + 2 failed reconnects
            #expect(events.allSatisfy { if case .disconnected = $0 { true } else { false } })
        }
    }

    @Test func cancellingTheConsumerClosesTheSubscription() async throws {
        try await FakeNode.with { node in
            try await withClient(fastClientConfiguration(node.url)) { client in
                let received = Atomic<Int>(0)
                let consumer = Task {
                    for await event in client.headEvents() {
                        if case .newHead = event { received.add(1, ordering: .relaxed) }
                    }
                }
                #expect(await eventually { received.load(ordering: .relaxed) >= 2 })
                consumer.cancel()
                let ended = await eventually(timeout: .seconds(5)) {
                    await withTaskGroup(of: Bool.self) { group in
                        group.addTask {
                            await consumer.value
                            return true
                        }
                        return await group.next() ?? false
                    }
                }
                #expect(ended)
                // No reconnects after cancellation.
                let connections = node.webSocketConnections.load(ordering: .relaxed)
                try await Task.sleep(for: .milliseconds(300))
                #expect(node.webSocketConnections.load(ordering: .relaxed) == connections)
            }
        }
    }
}
