import Foundation
import GRDB

/// Webhook delivery totals for `/metrics`, read from the outbox tables the sync daemon keeps in
/// the MVM database when webhooks are enabled (the tables are SpomWebhooks' `WebhookOutbox`;
/// this reads the same `webhook_counter` and `webhook_delivery` rows its `counters` reads).
public struct WebhookDeliveryCounts: Sendable, Hashable {
    /// Deliveries that got a 2xx (monotonic).
    public var delivered: Int64
    /// Deliveries parked as failed (monotonic).
    public var failed: Int64
    /// Deliveries waiting now.
    public var pending: Int64
}

extension StoreReader {
    /// The webhook delivery totals, or `nil` when the database has no outbox (webhooks never enabled).
    public func webhookDeliveryCounts() throws -> WebhookDeliveryCounts? {
        try MidnightDatabase.wrap("reading the webhook counters", path) {
            try database.read { db in
                guard try db.tableExists("webhook_counter"), try db.tableExists("webhook_delivery") else { return nil }
                var values: [String: Int64] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT name, value FROM webhook_counter") { values[row["name"]] = row["value"] }
                let pending = try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM webhook_delivery WHERE state = 'pending'") ?? 0
                return WebhookDeliveryCounts(delivered: values["delivered"] ?? 0, failed: values["failed"] ?? 0, pending: pending)
            }
        }
    }
}
