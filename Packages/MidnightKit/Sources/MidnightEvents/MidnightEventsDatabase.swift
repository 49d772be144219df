import Foundation
import GRDB
import MidnightStore
import SpomWebhooks

/// The tables events need in the MVM database: the webhook outbox (SpomWebhooks) and the
/// persisted alert state.
public enum MidnightEventsDatabase {
    /// Creates (once) the outbox and alert-state tables in the writer's database. Idempotent;
    /// the sync daemon calls it at start when webhooks are enabled.
    ///
    /// - Throws: ``MidnightEventsError/database(operation:path:message:)``.
    public static func prepare(_ store: StoreWriter) throws {
        var migrator = DatabaseMigrator()
        WebhookOutbox.registerMigrations(in: &migrator)
        migrator.registerMigration("mvm_events_v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE mvm_alert_state (
                        chain TEXT NOT NULL,
                        condition TEXT NOT NULL,
                        active INTEGER NOT NULL DEFAULT 0,
                        since_ms INTEGER,
                        last_notified_ms INTEGER,
                        notifications INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (chain, condition)
                    ) WITHOUT ROWID;
                    CREATE TABLE mvm_alert_watch (
                        chain TEXT PRIMARY KEY NOT NULL,
                        best_block INTEGER,
                        best_changed_ms INTEGER
                    ) WITHOUT ROWID;
                    """)
        }
        do {
            try migrator.migrate(store.databaseWriter)
        } catch {
            throw MidnightEventsError.database(operation: "creating the webhook outbox tables", path: store.path, message: "\(error)")
        }
    }

    /// Whether `db` has the outbox tables (a database the sync daemon never ran webhooks on has not).
    public static func hasOutbox(_ db: Database) throws -> Bool {
        try db.tableExists("webhook_event") && db.tableExists("webhook_delivery")
    }

    /// Whether an event with `id` is in the outbox (events have stable ids; an event derived a
    /// second time, e.g. a block stored again after a reorg, is not enqueued twice).
    static func hasEvent(_ db: Database, id: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM webhook_event WHERE id = ?)"), arguments: [id]) ?? false
    }
}

/// Errors of the events module, naming what failed.
public enum MidnightEventsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A database operation failed.
    case database(operation: String, path: String, message: String)

    /// A readable message.
    public var description: String {
        switch self {
        case .database(let operation, let path, let message): "\(operation) in \(path) failed: \(message)"
        }
    }
}
