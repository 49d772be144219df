import Foundation
import Logging
import MidnightChain
import MidnightDevnode
import MidnightRPC
import MidnightStore
import MidnightSync
import MidnightTesting
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
        try GroundTruthCheck.storedBlocks(databasePath: databasePath)
    }

    /// Compares every stored block with the node's ground truth; returns the mismatches.
    func mismatches(checkAuthors: Bool = true) throws -> [String] {
        GroundTruthCheck.mismatches(stored: try storedBlocks(), truth: devnode.groundTruth(), checkAuthors: checkAuthors)
    }

    func stop() async {
        await devnode.stop()
        directory.remove()
    }
}
