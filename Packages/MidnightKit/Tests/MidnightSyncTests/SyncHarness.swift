import Foundation
import Logging
import MidnightChain
import MidnightDevnode
import MidnightRPC
import MidnightStore
import MidnightSync
import SpomTesting
import Testing

/// A simulated node, a database in a temporary folder, and a sync engine between them.
struct SyncHarness {
    let devnode: Devnode
    let directory: TemporaryDirectory
    let databasePath: String
    let logger: Logger

    init(_ configuration: DevnodeConfiguration) async throws {
        devnode = try Devnode(configuration: configuration)
        try await devnode.start()
        directory = try TemporaryDirectory(prefix: "sync")
        databasePath = directory.path("mvm.db")
        var logger = Logger(label: "test.sync")
        logger.logLevel = ProcessInfo.processInfo.environment["MVM_TEST_LOG"] == "1" ? .debug : .critical
        self.logger = logger
    }

    func syncConfiguration(exitAfterCatchUp: Bool, startBlock: UInt64? = 1) -> SyncConfiguration {
        let c = devnode.configuration
        return SyncConfiguration(
            batchSize: 25, maxBatchesInFlight: 3, pollInterval: .milliseconds(200), startBlock: startBlock,
            maintenanceInterval: .milliseconds(500), network: .preview,
            mainchainEpochMsOverride: c.mainchainEpochLengthMs, exitAfterCatchUp: exitAfterCatchUp)
    }

    func client(maxRetries: Int = 5) throws -> NodeClient {
        try NodeClient(
            configuration: NodeClientConfiguration(
                url: devnode.httpURL, timeoutMs: 5000, maxRetries: maxRetries, retryInitialDelayMs: 20, retryMaxDelayMs: 200),
            logger: logger)
    }

    /// Runs one catch-up to the node's current tip.
    func catchUp(startBlock: UInt64? = 1) async throws {
        let node = try client()
        let writer = try MidnightDatabase.openWriter(path: databasePath)
        let engine = SyncEngine(node: node, store: writer, configuration: syncConfiguration(exitAfterCatchUp: true, startBlock: startBlock), logger: logger)
        try await engine.run()
        await node.shutdown()
    }

    /// Every stored block, lowest first.
    func storedBlocks() throws -> [StoredBlock] {
        let reader = try MidnightDatabase.openReader(path: databasePath)
        var all: [StoredBlock] = []
        var before: UInt64? = nil
        while true {
            let page = try reader.blocks(BlockQuery(before: before, limit: 1000))
            all += page.blocks
            guard let next = page.nextBefore, !page.blocks.isEmpty else { break }
            before = next
        }
        return all.sorted { $0.number < $1.number }
    }

    /// Compares every stored block with the node's ground truth; returns the mismatches.
    func mismatches(checkAuthors: Bool = true) throws -> [String] {
        let truth = devnode.groundTruth()
        let byNumber = Dictionary(uniqueKeysWithValues: truth.blocks.map { ($0.number, $0) })
        var problems: [String] = []
        for b in try storedBlocks() {
            guard let t = byNumber[b.number] else {
                problems.append("#\(b.number) stored but not canonical on the node")
                continue
            }
            if b.hash != t.hash { problems.append("#\(b.number) hash \(b.hash) != \(t.hash)") }
            if b.parentHash != t.parentHash { problems.append("#\(b.number) parent differs") }
            if b.slot != t.slot { problems.append("#\(b.number) slot \(b.slot) != \(t.slot)") }
            if b.sidechainEpoch != t.sidechainEpoch { problems.append("#\(b.number) sidechain epoch \(b.sidechainEpoch) != \(t.sidechainEpoch)") }
            if b.mainchainEpoch != t.mainchainEpoch { problems.append("#\(b.number) mainchain epoch \(b.mainchainEpoch) != \(t.mainchainEpoch)") }
            if b.timestampMs != t.timestampMs { problems.append("#\(b.number) timestamp \(b.timestampMs) != \(t.timestampMs)") }
            if b.extrinsicsCount != t.extrinsicsCount { problems.append("#\(b.number) extrinsics differ") }
            if checkAuthors, b.author != t.author { problems.append("#\(b.number) author \(b.author ?? "nil") != \(t.author ?? "nil") (\(b.unattributedReason?.rawValue ?? "-"))") }
            if b.finalized && !t.finalized { problems.append("#\(b.number) finalized in the database but not on the node") }
        }
        return problems
    }

    func stop() async {
        await devnode.stop()
        directory.remove()
    }
}
