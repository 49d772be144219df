import MidnightChain
import MidnightDevnode
import MidnightStore
@testable import MidnightSync
import Testing

@Suite struct CommitteeMemoryTests {
    private func address(_ key: String) -> UInt? {
        key.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) }
    }

    /// A decoded committee gives every seat its own copy of its key; the engine keeps one string
    /// per key, so 1200 seats naming 12 keys hold 12 buffers, not 1200.
    @Test func seatsOfTheSameKeyShareOneString() throws {
        let keys = (0..<12).map { "0x" + String(repeating: Hex.encode([UInt8($0)], prefix: false), count: 32) }
        // Build each seat's string separately, as decoding does.
        let seats = (0..<1200).map { seat in String(decoding: Array(keys[seat % keys.count].utf8), as: UTF8.self) }
        #expect(Set(seats.compactMap(address)).count == 1200)

        let shared = EpochCommittees.sharingKeys(Committee(authorities: seats))
        #expect(shared.authorities == seats)
        #expect(Set(shared.authorities.compactMap(address)).count == keys.count)
    }
}

@Suite struct CommitteeCacheTrimTests {
    /// A catch-up leaves several epochs' committees cached; at the tip only the newest two are
    /// kept, and a dropped epoch is fetched again (the same committee) when a lookup needs it.
    @Test func keepsOnlyTheNewestEpochsAndRefetchesADroppedOne() async throws {
        var c = DevnodeConfiguration.fastTest(seed: 5, flavour: .v0_12)
        c.historyBlocks = 120
        let h = try await SyncHarness(c)
        defer { Task { await h.stop() } }
        h.devnode.stallProduction()
        let node = try h.client()
        defer { Task { await node.shutdown() } }
        let writer = try MidnightDatabase.openWriter(path: h.databasePath)
        let committees = EpochCommittees(node: node, store: writer, logger: h.logger)
        let truth = h.devnode.groundTruth()
        // The first block of each sidechain epoch.
        var firstBlocks: [UInt64: DevnodeGroundTruthBlock] = [:]
        for b in truth.blocks where b.number >= 1 && firstBlocks[b.sidechainEpoch] == nil { firstBlocks[b.sidechainEpoch] = b }
        let epochs = firstBlocks.keys.sorted()
        try #require(epochs.count >= 4, "the fixture spans several epochs")
        func lookUp(_ epoch: UInt64) async -> EpochCommitteeState {
            let b = firstBlocks[epoch]!
            return await committees.state(sidechainEpoch: epoch, mainchainEpoch: b.mainchainEpoch, blockHash: b.hash, blockNumber: b.number)
        }
        var firstCommittee: Committee?
        for epoch in epochs {
            let state = await lookUp(epoch)
            guard case .known(let committee, _) = state else {
                Issue.record("epoch \(epoch): \(state)")
                return
            }
            if epoch == epochs[0] { firstCommittee = committee }
        }
        #expect(await committees.cachedEpochs == Array(epochs.suffix(8)))

        await committees.keepOnlyNewest(2)
        #expect(await committees.cachedEpochs == Array(epochs.suffix(2)))

        guard case .known(let again, _) = await lookUp(epochs[0]) else {
            Issue.record("the dropped epoch was not fetched again")
            return
        }
        #expect(again == firstCommittee)
        #expect(await committees.cachedEpochs.contains(epochs[0]))
    }
}
