import Foundation
import MidnightDevnode
import MidnightStore
import MidnightSync
import ServiceLifecycle
import SpomTesting
import Testing

@Suite(.serialized) struct LiveFollowTests {
    /// Following the tip with reorgs and a pruning node: every block synced while running is
    /// attributed, orphans are replaced, and the database converges on the canonical chain.
    @Test func followsTheTipThroughReorgs() async throws {
        var c = DevnodeConfiguration.fastTest(seed: 21)
        c.historyBlocks = 30
        c.reorgRate = 0.15
        // 16 blocks of state (1.6 s at 100 ms slots; a real node keeps 256 x 6 s): 8 was too tight
        // when the other suites load both cores, and the point is attribution despite pruning.
        c.pruningDepth = 16
        c.missedSlotRate = 0.1
        let h = try await SyncHarness(c)
        defer { Task { await h.stop() } }
        let node = try h.client()
        let writer = try MidnightDatabase.openWriter(path: h.databasePath)
        let engine = SyncEngine(node: node, store: writer, configuration: h.syncConfiguration(exitAfterCatchUp: false, startBlock: nil), logger: h.logger)
        let task = Task { try await engine.run() }
        // Let the chain grow by ~40 blocks (100 ms slots), then freeze it and let the engine converge.
        try await Task.sleep(for: .seconds(4))
        h.devnode.stallProduction()
        let converged = await eventually(timeout: .seconds(15), interval: .milliseconds(200)) {
            let truth = h.devnode.groundTruth()
            guard let stored = try? h.storedBlocks(), stored.last?.number == truth.bestNumber else { return false }
            return (try? h.mismatches(checkAuthors: false))?.isEmpty == true
        }
        task.cancel()
        _ = try? await task.value
        await node.shutdown()
        let remaining = (try? h.mismatches(checkAuthors: false)) ?? ["could not read the database"]
        #expect(converged, "database did not converge: \(remaining.prefix(8)) last stored \((try? h.storedBlocks().last?.number) ?? 0) best \(h.devnode.groundTruth().bestNumber)")
        let truth = h.devnode.groundTruth()
        #expect(truth.orphanedBlocks > 0, "the node produced no reorg; the test would not exercise one")
        // Blocks produced while the daemon ran are all attributed despite 16-block pruning.
        let live = try h.storedBlocks().filter { $0.number > 30 }
        #expect(!live.isEmpty)
        let unattributed = live.filter { $0.author == nil }.map { "#\($0.number) \($0.unattributedReason?.rawValue ?? "-")" }
        #expect(unattributed.isEmpty, "unattributed live blocks: \(unattributed)")
    }

    /// A new block is in the database soon after the node produces it (well under a second).
    @Test func newBlocksArriveQuickly() async throws {
        var c = DevnodeConfiguration.fastTest(seed: 5)
        c.slotDurationMs = 500
        c.historyBlocks = 10
        let h = try await SyncHarness(c)
        defer { Task { await h.stop() } }
        let node = try h.client()
        let writer = try MidnightDatabase.openWriter(path: h.databasePath)
        var config = h.syncConfiguration(exitAfterCatchUp: false, startBlock: nil)
        config.pollInterval = .seconds(30)  // only the subscription can deliver quickly
        let engine = SyncEngine(node: node, store: writer, configuration: config, logger: h.logger)
        let task = Task { try await engine.run() }
        let reached = await eventually(timeout: .seconds(10)) {
            (try? h.storedBlocks().last?.number) ?? 0 >= 14
        }
        task.cancel()
        _ = try? await task.value
        await node.shutdown()
        #expect(reached)
    }
}
