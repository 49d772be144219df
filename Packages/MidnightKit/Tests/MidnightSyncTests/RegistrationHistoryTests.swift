import Foundation
import MidnightChain
import MidnightDevnode
import MidnightStore
import MidnightSync
import SpomTesting
import Testing

/// The daemon records our validators' registration status over time and their committee seats.
@Suite(.serialized) struct RegistrationHistoryTests {
    func run(_ h: SyncHarness, ours: [OurValidator], until condition: @escaping @Sendable () -> Bool) async throws {
        let node = try h.client()
        let writer = try MidnightDatabase.openWriter(path: h.databasePath)
        var configuration = h.syncConfiguration(exitAfterCatchUp: false, startBlock: nil)
        configuration.ourValidators = ours
        let engine = SyncEngine(node: node, store: writer, configuration: configuration, logger: h.logger)
        let task = Task { try await engine.run() }
        let done = await eventually(timeout: .seconds(20), interval: .milliseconds(100)) { condition() }
        task.cancel()
        _ = try? await task.value
        await node.shutdown()
        #expect(done)
    }

    @Test(arguments: [DevnodeOperatorRole.registered, .permissioned, .registeredInvalid, .notRegistered])
    func recordsOurStatusAndSeats(role: DevnodeOperatorRole) async throws {
        var c = DevnodeConfiguration.fastTest(seed: 41)
        c.operatorRole = role
        c.historyBlocks = 30
        c.committeeSize = 24
        let h = try await SyncHarness(c)
        defer { Task { await h.stop() } }
        let op = h.devnode.operatorKeys
        let ours = OurValidator(keys: ValidatorKeys(sidechain: op.sidechainKey, aura: op.auraKey, grandpa: op.grandpaKey), label: "node-a")
        let path = h.databasePath
        let epochWithin = { @Sendable (epochs: Int) -> Bool in
            guard let reader = try? MidnightDatabase.openReader(path: path) else { return false }
            return ((try? reader.stats().committees) ?? 0) >= epochs
        }
        try await run(h, ours: [ours]) { epochWithin(3) }

        let reader = try MidnightDatabase.openReader(path: path)
        let expected: String
        switch role {
        case .registered: expected = "registered"
        case .permissioned: expected = "permissioned"
        case .registeredInvalid: expected = "invalid"
        case .notRegistered: expected = "not_registered"
        }
        let history = try reader.registrationHistory(sidechainKey: op.sidechainKey)
        #expect(history.map(\.status) == [expected], "one row per change: \(history)")
        #expect(history.first?.mainchainEpoch != nil)
        if role == .registeredInvalid { #expect(history.first?.reason?.isEmpty == false, "the reasons are kept") }
        let detail = try #require(try reader.validator(key: op.sidechainKey))
        #expect(detail.validator.isOurs)
        #expect(detail.validator.label == "node-a")
        #expect(detail.validator.registrationStatus == expected)

        // Membership: the seats per stored committee equal the node's committees.
        let membership = try reader.committeeMembership(sidechainKey: op.sidechainKey)
        #expect(membership.count >= 3)
        for m in membership {
            let seats = h.devnode.committee(epoch: m.sidechainEpoch).filter { $0.sidechainKey == op.sidechainKey }.count
            #expect(m.seats == seats, "epoch \(m.sidechainEpoch): \(m.seats) seats stored, node says \(seats)")
            #expect(m.committeeSize == 24)
        }
        if role == .registeredInvalid || role == .notRegistered {
            #expect(membership.allSatisfy { $0.seats == 0 })
        }

        // A restart records nothing new while the status is unchanged.
        try await run(h, ours: [ours]) { epochWithin(4) }
        #expect(try reader.registrationHistory(sidechainKey: op.sidechainKey).count == 1)
    }

    @Test func aChangedStatusIsAppended() async throws {
        var c = DevnodeConfiguration.fastTest(seed: 42)
        c.historyBlocks = 20
        let h = try await SyncHarness(c)
        defer { Task { await h.stop() } }
        let op = h.devnode.operatorKeys
        // An earlier observation said "not registered" (e.g. before the registration was made).
        do {
            let writer = try MidnightDatabase.openWriter(path: h.databasePath)
            try writer.recordRegistrationStatus(sidechainKey: op.sidechainKey, status: "not_registered", mainchainEpoch: 1, observedAtMs: 1_000)
            try writer.close()
        }
        let ours = OurValidator(keys: ValidatorKeys(sidechain: op.sidechainKey, aura: op.auraKey))
        let path = h.databasePath
        try await run(h, ours: [ours]) {
            ((try? MidnightDatabase.openReader(path: path).registrationHistory(sidechainKey: op.sidechainKey).count) ?? 0) >= 2
        }
        let history = try MidnightDatabase.openReader(path: path).registrationHistory(sidechainKey: op.sidechainKey)
        #expect(history.map(\.status) == ["registered", "not_registered"], "newest first: \(history)")
    }
}
