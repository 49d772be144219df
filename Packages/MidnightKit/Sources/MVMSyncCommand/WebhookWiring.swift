import Foundation
import Logging
import MidnightConfig
import MidnightEvents
import MidnightRPC
import MidnightStore
import ServiceLifecycle
import SpomWebhooks
import MVMCommandSupport

/// Puts webhooks into the sync daemon when `[webhooks] enabled = true`: the outbox tables, the
/// event recorder (inside the store's write transactions), the dispatcher and the sync alerts.
enum WebhookWiring {
    /// The services to run beside the sync engine (none when webhooks are off). Call it before
    /// the engine writes anything, so the recorder sees every write.
    static func services(config: MVMConfig, store: StoreWriter, node: NodeClient, logger: Logger) throws -> [any Service] {
        let webhooks = config.webhooks
        guard webhooks.enabled else { return [] }
        do {
            try MidnightEventsDatabase.prepare(store)
        } catch {
            throw CommandFailure("cannot prepare the webhook outbox: \(error)", hint: "check that the database folder is writable")
        }
        let context = MidnightEventContext(
            chain: config.integration.chainID, instance: config.integration.instanceName,
            maxEventAge: .seconds(Int64(clamping: webhooks.maxEventAgeSecs)))
        store.addObserver(MidnightEventRecorder(context: context))
        var log = logger
        log[metadataKey: "component"] = "webhooks"
        let dispatcher = WebhookDispatcher(
            database: store.databaseWriter, endpoints: MidnightWebhooks.endpoints(webhooks),
            settings: MidnightWebhooks.dispatchSettings(webhooks), logger: log)
        let alerts = SyncAlertService(
            store: store, source: NodeHealthSource(node: node), settings: MidnightWebhooks.alertSettings(webhooks), context: context,
            logger: log)
        log.info("webhooks enabled", metadata: ["endpoints": "\(webhooks.endpoints.count)"])
        return [dispatcher, alerts]
    }
}
