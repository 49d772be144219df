import Foundation
import GRDB
import Logging
import MidnightDevnode
import MidnightEvents
import MidnightRPC
import MidnightStore
import MidnightSync
import SpomTesting
import SpomTestingHTTP
import SpomWebhooks

/// A simulated node, a database with the event recorder, a dispatcher and a loopback receiver.
struct EventHarness {
    static let secret = "whsec_" + Data("mvm-events-test-secret-32-bytes!".utf8).base64EncodedString()

    let devnode: Devnode
    let directory: TemporaryDirectory
    let writer: StoreWriter
    let receiver: LoopbackWebhookReceiver
    let dispatcher: WebhookDispatcher
    let logger: Logger
    let context: MidnightEventContext

    init(_ configuration: DevnodeConfiguration, failFirst: Int = 0) async throws {
        devnode = try Devnode(configuration: configuration)
        try await devnode.start()
        directory = try TemporaryDirectory(prefix: "events")
        var logger = Logger(label: "test.events")
        logger.logLevel = ProcessInfo.processInfo.environment["MVM_TEST_LOG"] == "1" ? .debug : .critical
        self.logger = logger
        writer = try MidnightDatabase.openWriter(path: directory.path("mvm.db"))
        let ours = devnode.operatorKeys
        try writer.markOurs(sidechainKey: ours.sidechainKey, auraKey: ours.auraKey, grandpaKey: ours.grandpaKey, label: "OURS")
        try MidnightEventsDatabase.prepare(writer)
        context = MidnightEventContext(chain: "midnight", instance: "test")
        writer.addObserver(MidnightEventRecorder(context: context))
        receiver = LoopbackWebhookReceiver(failFirst: failFirst)
        let base = try await receiver.start()
        dispatcher = WebhookDispatcher(
            database: writer.databaseWriter,
            endpoints: [WebhookEndpoint(name: "receiver", url: base + "/hook", secret: Self.secret)],
            settings: WebhookDispatchSettings(retryAttempts: 10, retryDelayMs: 20, maxDelay: .milliseconds(200), pollInterval: .milliseconds(100)),
            logger: logger)
    }

    func client(maxRetries: Int = 3) throws -> NodeClient {
        try NodeClient(
            configuration: NodeClientConfiguration(
                url: devnode.httpURL, timeoutMs: 2000, maxRetries: maxRetries, retryInitialDelayMs: 20, retryMaxDelayMs: 100),
            logger: logger)
    }

    func engine(_ node: NodeClient) -> SyncEngine {
        let c = devnode.configuration
        return SyncEngine(
            node: node, store: writer,
            configuration: SyncConfiguration(
                batchSize: 25, maxBatchesInFlight: 2, pollInterval: .milliseconds(100), startBlock: 1,
                maintenanceInterval: .milliseconds(500), network: .preview, mainchainEpochMsOverride: c.mainchainEpochLengthMs),
            logger: logger)
    }

    /// Pending deliveries in the outbox.
    func pending() throws -> Int64 {
        try writer.write("counters") { db in try WebhookOutbox.counters(db).pending + WebhookOutbox.counters(db).notYetFannedOut }
    }

    /// Every event in the outbox: id -> (type, payload object).
    func outbox() throws -> [String: (type: String, payload: [String: Any])] {
        let rows = try writer.write("outbox") { db in
            try Row.fetchAll(db, sql: "SELECT id, type, payload FROM webhook_event").map { ($0["id"] as String, $0["type"] as String, $0["payload"] as Data) }
        }
        var result: [String: (type: String, payload: [String: Any])] = [:]
        for (id, type, payload) in rows {
            result[id] = (type, (try? JSONSerialization.jsonObject(with: payload) as? [String: Any]) ?? [:])
        }
        return result
    }

    func stop() async {
        await receiver.stop()
        await devnode.stop()
        try? writer.close()
        directory.remove()
    }
}
