import Foundation
import Logging
import MidnightChain
import MidnightDevnode
import MidnightRPC
import SpomTesting
import Synchronization
import Testing

/// The client against the simulated node (every flavour, faults, batch limits, pruning,
/// WebSocket reconnect), compared with the node's ground truth.
@Suite struct DevnodeIntegrationTests {
    static func withDevnode<T: Sendable>(
        _ configuration: DevnodeConfiguration, _ body: (Devnode) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "devnode")
        logger.logLevel = .critical
        let node = try Devnode(configuration: configuration, logger: logger)
        try await node.start()
        do {
            let result = try await body(node)
            await node.stop()
            return result
        } catch {
            await node.stop()
            throw error
        }
    }

    @Test(arguments: DevnodeFlavour.allCases)
    func everyFlavourDecodesAndMatchesGroundTruth(_ flavour: DevnodeFlavour) async throws {
        try await Self.withDevnode(.fastTest(seed: 7, flavour: flavour)) { node in
            try await withClient(fastClientConfiguration(node.httpURL)) { client in
                #expect(try await client.systemVersion() == flavour.systemVersion)
                let health = try await client.systemHealth()
                #expect(health.peers > 0)
                _ = try await client.syncState()
                _ = try await client.peers()
                _ = try await client.runtimeVersion()

                // Finalized first: the chain keeps advancing between the two calls.
                let finalized = try await client.finalizedHeader()
                let best = try await client.bestHeader()
                #expect(finalized.number <= best.number)
                let bestHash = try #require(try await client.blockHash(number: best.number))
                #expect(try best.computeHash() == bestHash)

                let status = try await client.sidechainStatus()
                #expect((status.sidechain.slot != nil) == flavour.hasSidechainSlot)
                _ = try await client.sidechainParams()

                // Ariadne through the right generation's method, chosen by rpc_methods.
                let ariadne = try await client.ariadneParameters(mainchainEpoch: status.mainchain.epoch)
                #expect(!ariadne.allRegistrations.isEmpty)
                let stats = client.statistics.snapshot()
                #expect((stats["systemParameters_getAriadneParameters"]?.requests ?? 0) == (flavour.hasSystemParameters ? 1 : 0))
                #expect((stats["sidechain_getAriadneParameters"]?.requests ?? 0) == (flavour.hasSystemParameters ? 0 : 1))
                if flavour.hasSystemParameters {
                    _ = try await client.dParameter()
                }

                // Epoch duration from the runtime API this generation has.
                let duration = try #require(try await client.epochDuration())
                #expect(duration.millis == node.configuration.epochDurationMs)
                #expect(duration.source == (flavour.hasSlotApi ? .slotConfig : .epochDurationApi))

                // Blocks by number, batched, equal to the ground truth (hash recomputed from the header).
                let numbers = Array(1...UInt64(20))
                let fetched = try await client.blocks(numbers: numbers)
                #expect(fetched.map(\.number) == numbers)
                let truth = node.groundTruth()
                let truthByNumber = Dictionary(truth.blocks.map { ($0.number, $0) }, uniquingKeysWith: { _, last in last })
                for block in fetched {
                    #expect(block.hash == truthByNumber[block.number]?.hash)
                    #expect(try block.block.block.header.computeHash() == block.hash)
                    #expect(block.block.block.timestampMs == truthByNumber[block.number]?.timestampMs)
                }

                // The committee at a block equals the ground truth's AURA keys for its epoch.
                if flavour != .auraBabeMigration, let sample = truthByNumber[10] {
                    let committee = try await client.authorities(at: sample.hash)
                    let expected = truth.committees.first { $0.epoch == sample.sidechainEpoch }?.auraKeys
                    #expect(committee.authorities == expected?.map { KeyFormat.normalize($0) })
                    let epochCommittee = try await client.epochCommittee(sidechainEpoch: sample.sidechainEpoch)
                    #expect(epochCommittee.committee.count == committee.size)
                }
            }
        }
    }

    @Test func batchLimitAndDisabledBatchesOnTheDevnode() async throws {
        var configuration = DevnodeConfiguration.fastTest(seed: 3)
        configuration.faults.maxBatchSize = 4
        try await Self.withDevnode(configuration) { node in
            try await withClient(fastClientConfiguration(node.httpURL)) { client in
                let fetched = try await client.blocks(numbers: Array(1...18))
                #expect(fetched.map(\.number) == Array(1...18))
                #expect(client.currentBatchLimit == 4)
            }
            var disabled = node.faults
            disabled.maxBatchSize = 0
            node.setFaults(disabled)
            try await withClient(fastClientConfiguration(node.httpURL)) { client in
                let fetched = try await client.blocks(numbers: Array(1...6))
                #expect(fetched.map(\.number) == Array(1...6))
                #expect(client.currentBatchLimit == nil)
            }
        }
    }

    @Test func faultInjectionIsAbsorbedByRetries() async throws {
        var configuration = DevnodeConfiguration.fastTest(seed: 11)
        configuration.faults.http5xxRate = 0.2
        configuration.faults.dropConnectionRate = 0.1
        configuration.faults.malformedJSONRate = 0.1
        try await Self.withDevnode(configuration) { node in
            try await withClient(fastClientConfiguration(node.httpURL, retries: 10, initialDelay: .milliseconds(2), maxDelay: .milliseconds(20))) {
                client in
                for _ in 0..<30 {
                    _ = try await client.systemHealth()
                }
                let fetched = try await client.blocks(numbers: Array(1...30))
                #expect(fetched.count == 30)
                let stats = client.statistics.snapshot()
                #expect(stats["system_health"]?.requests == 30)
                #expect(stats["system_health"]?.failures == 0)
                #expect((stats["system_health"]?.retries ?? 0) > 0)
            }
        }
    }

    @Test func droppedConnectionsAndMalformedBodiesAreClassified() async throws {
        var configuration = DevnodeConfiguration.fastTest(seed: 17)
        configuration.faults.dropConnectionRate = 1
        try await Self.withDevnode(configuration) { node in
            try await withClient(fastClientConfiguration(node.httpURL, retries: 1)) { client in
                let error = try #require(await rpcError { try await client.systemHealth() })
                let failure = try #require(error.transportFailure)
                #expect([.connectionClosed, .connectionReset].contains(failure))
                #expect(error.attempts == 2)
                #expect(error.description.contains("dropped the connection during system_health"))
            }
            var malformed = DevnodeFaults()
            malformed.malformedJSONRate = 1
            node.setFaults(malformed)
            try await withClient(fastClientConfiguration(node.httpURL, retries: 1)) { client in
                let error = try #require(await rpcError { try await client.systemHealth() })
                guard case .malformedResponse = error.kind else {
                    Issue.record("expected malformedResponse, got \(error.kind)")
                    return
                }
                #expect(error.attempts == 2)
            }
        }
    }

    @Test func prunedStateIsReportedAsStateUnavailable() async throws {
        var configuration = DevnodeConfiguration.fastTest(seed: 5)
        configuration.pruningDepth = 20  // 2 s of blocks at 100 ms slots: room for a slow machine
        try await Self.withDevnode(configuration) { node in
            try await withClient(fastClientConfiguration(node.httpURL)) { client in
                let old = try #require(try await client.blockHash(number: 2))
                let error = try #require(await rpcError { try await client.authorities(at: old) })
                #expect(error.isStateUnavailable)
                #expect(node.bestNumber > 25)
                let recent = try #require(try await client.blockHash(number: node.bestNumber - 1))
                let committee = try await client.authorities(at: recent)
                #expect(committee.size > 0)
            }
        }
    }

    @Test func webSocketHeadsSurviveANodeRestart() async throws {
        try await Self.withDevnode(.fastTest(seed: 9)) { node in
            try await withClient(fastClientConfiguration(node.httpURL)) { client in
                let events = EventLog()
                let stream = client.headEvents()
                let consumer = Task {
                    for await event in stream {
                        events.withLock { $0.append(event) }
                    }
                }
                defer { consumer.cancel() }
                func newHeads() -> [UInt64] {
                    events.withLock { $0.compactMap { if case .newHead(let h) = $0 { h.number } else { nil } } }
                }
                #expect(await eventually { newHeads().count >= 3 })
                #expect(events.withLock { $0.first } == .connected)
                let before = newHeads().max() ?? 0

                await node.stopServer()
                #expect(await eventually { events.withLock { $0.contains { if case .disconnected = $0 { true } else { false } } } })
                try await node.startServer()
                #expect(await eventually { events.withLock { $0.contains(.resubscribed(mayHaveMissedHeads: true)) } })
                #expect(await eventually { (newHeads().max() ?? 0) > before + 2 })
                let finalized = events.withLock { $0.compactMap { if case .finalizedHead(let h) = $0 { h.number } else { nil } } }
                #expect(!finalized.isEmpty)
            }
        }
    }

    @Test func webSocketDisconnectFaultLeadsToResubscription() async throws {
        var configuration = DevnodeConfiguration.fastTest(seed: 13)
        configuration.faults.wsDisconnectAfterNotifications = 6
        try await Self.withDevnode(configuration) { node in
            try await withClient(fastClientConfiguration(node.httpURL)) { client in
                let events = EventLog()
                let stream = client.headEvents()
                let consumer = Task {
                    for await event in stream {
                        events.withLock { $0.append(event) }
                    }
                }
                defer { consumer.cancel() }
                #expect(
                    await eventually {
                        events.withLock { $0.filter { $0 == .resubscribed(mayHaveMissedHeads: true) }.count >= 2 }
                    })
            }
        }
    }
}

/// Events collected by a consumer task.
final class EventLog: Sendable {
    private let events = Mutex<[HeadEvent]>([])
    func withLock<T>(_ body: (inout [HeadEvent]) -> T) -> T { events.withLock { body(&$0) } }
}
