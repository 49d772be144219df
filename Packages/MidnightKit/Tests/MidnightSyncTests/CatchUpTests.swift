import Foundation
import MidnightDevnode
import MidnightStore
import MidnightSync
import SpomTesting
import Testing

@Suite(.serialized) struct CatchUpTests {
    /// After a catch-up the database equals the node's ground truth, block for block, in every
    /// node generation's RPC shapes (v1 attributed nothing on 0.18 and 1.x).
    @Test(arguments: DevnodeFlavour.allCases)
    func catchUpMatchesGroundTruth(flavour: DevnodeFlavour) async throws {
        var c = DevnodeConfiguration.fastTest(seed: 7, flavour: flavour)
        c.historyBlocks = 150
        c.missedSlotRate = 0.1
        if flavour == .auraBabeMigration {
            c.babeDualFromEpoch = 3
            c.babeOnlyFromEpoch = 8
        }
        let h = try await SyncHarness(c)
        defer { Task { await h.stop() } }
        h.devnode.stallProduction()
        try await h.catchUp()
        let stored = try h.storedBlocks()
        let truth = h.devnode.groundTruth()
        #expect(stored.count == truth.blocks.filter { $0.number >= 1 }.count)
        #expect(stored.first?.number == 1)
        #expect(try h.mismatches() == [])
        #expect(stored.allSatisfy { $0.author != nil })
        let reader = try MidnightDatabase.openReader(path: h.databasePath)
        #expect(try reader.gaps().isEmpty)
        #expect(try reader.syncStatus().lastSyncedBlock == truth.bestNumber)
    }

    /// A node that keeps state for only 20 blocks: older blocks are stored with the reason, never
    /// with a guessed author; blocks whose state is live are attributed.
    @Test func prunedNodeMarksOldBlocksUnattributed() async throws {
        var c = DevnodeConfiguration.fastTest(seed: 9)
        c.historyBlocks = 120
        c.pruningDepth = 20
        let h = try await SyncHarness(c)
        defer { Task { await h.stop() } }
        h.devnode.stallProduction()
        try await h.catchUp()
        let stored = try h.storedBlocks()
        #expect(stored.count == h.devnode.groundTruth().blocks.filter { $0.number >= 1 }.count)
        #expect(try h.mismatches(checkAuthors: false) == [])
        let truth = h.devnode.groundTruth()
        for b in stored {
            if let author = b.author {
                #expect(author == truth.block(number: b.number)?.author)
            } else {
                #expect(b.unattributedReason == .statePruned)
            }
        }
        // The newest epochs' state is live.
        #expect(stored.suffix(5).allSatisfy { $0.author != nil })
        #expect(stored.contains { $0.author == nil })
    }

    /// Injected faults (5xx, malformed JSON, dropped connections) and a batch limit do not lose
    /// or corrupt anything.
    @Test func faultsAndBatchLimits() async throws {
        var c = DevnodeConfiguration.fastTest(seed: 11)
        c.historyBlocks = 150
        c.faults.http5xxRate = 0.05
        c.faults.malformedJSONRate = 0.03
        c.faults.dropConnectionRate = 0.03
        c.faults.maxBatchSize = 8
        let h = try await SyncHarness(c)
        defer { Task { await h.stop() } }
        h.devnode.stallProduction()
        // Each catch-up either completes or fails on a fault; a later one resumes where it stopped.
        var attempts = 0
        while attempts < 10 {
            attempts += 1
            if (try? await h.catchUp(startBlock: nil)) != nil,
                (try? h.storedBlocks().last?.number) == h.devnode.groundTruth().bestNumber
            { break }
        }
        #expect(try h.storedBlocks().count == h.devnode.groundTruth().blocks.filter { $0.number >= 1 }.count)
        #expect(try h.mismatches() == [])
    }

    /// A fresh database without a start block begins `windowBlocks` behind the tip.
    @Test func freshDatabaseStartsAWindowBehindTheTip() async throws {
        var c = DevnodeConfiguration.fastTest(seed: 3)
        c.historyBlocks = 100
        let h = try await SyncHarness(c)
        defer { Task { await h.stop() } }
        h.devnode.stallProduction()
        let node = try h.client()
        let writer = try MidnightDatabase.openWriter(path: h.databasePath)
        var config = h.syncConfiguration(exitAfterCatchUp: true, startBlock: nil)
        config.windowBlocks = 30
        try await SyncEngine(node: node, store: writer, configuration: config, logger: h.logger).run()
        await node.shutdown()
        let stored = try h.storedBlocks()
        #expect(stored.count == 30)
        #expect(stored.last?.number == h.devnode.groundTruth().bestNumber)
    }
}
