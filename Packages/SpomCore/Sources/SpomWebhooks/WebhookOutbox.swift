import Foundation
import GRDB

/// The transactional outbox in the app's own SQLite database.
///
/// The app registers ``registerMigrations(in:)`` in its `DatabaseMigrator` and calls
/// ``enqueue(_:type:payload:summary:id:onlyEndpoint:now:)`` inside the write transaction that records the
/// state causing the event, so the event commits (or rolls back) with that state. The
/// ``WebhookDispatcher`` fans events out to per-endpoint delivery rows and delivers them.
///
/// Tables: `webhook_event` (one row per event, `seq` gives the order), `webhook_endpoint`
/// (per-endpoint fan-out position and disabled state), `webhook_delivery` (one row per event and
/// endpoint: `pending`, `delivered` or `failed`) and `webhook_counter` (monotonic totals).
public enum WebhookOutbox {
    /// The migration's identifier in the app's migrator.
    public static let migrationIdentifier = "spom_webhooks_v1"

    /// Adds the outbox tables to the app's migrator.
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration(migrationIdentifier) { db in
            try db.execute(
                sql: """
                    CREATE TABLE webhook_event (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        type TEXT NOT NULL,
                        payload BLOB NOT NULL,
                        summary TEXT,
                        target_endpoint TEXT,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE webhook_endpoint (
                        name TEXT PRIMARY KEY,
                        url TEXT NOT NULL,
                        fanout_seq INTEGER NOT NULL,
                        disabled_at INTEGER,
                        disabled_reason TEXT
                    );
                    CREATE TABLE webhook_delivery (
                        endpoint TEXT NOT NULL,
                        event_seq INTEGER NOT NULL REFERENCES webhook_event(seq) ON DELETE CASCADE,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER NOT NULL,
                        last_attempt_at INTEGER,
                        last_status INTEGER,
                        last_error TEXT,
                        delivered_at INTEGER,
                        PRIMARY KEY (endpoint, event_seq)
                    ) WITHOUT ROWID;
                    CREATE INDEX webhook_delivery_by_state ON webhook_delivery(state, endpoint, event_seq);
                    CREATE TABLE webhook_counter (
                        name TEXT PRIMARY KEY,
                        value INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
    }

    /// Writes an event to the outbox. Call it inside the app's write transaction.
    ///
    /// - Parameters:
    ///   - db: the connection of the app's current write transaction.
    ///   - type: the event type endpoints filter on (`block_produced`, ...).
    ///   - payload: the event JSON object. When it has no top-level `id`, `"id": <event id>` is
    ///     added as its first member, so the body carries the same id as the `webhook-id` header.
    ///   - summary: a one-line human text for chat formats (Slack, Discord, Telegram).
    ///   - id: the event id; a new ULID by default.
    ///   - onlyEndpoint: deliver to this endpoint name only, whatever its event filter (for a
    ///     "send a test event" command); `nil` delivers to every subscribed endpoint.
    /// - Returns: the event id.
    /// - Throws: ``WebhookOutboxError/payloadNotAnObject`` when `payload` is not a JSON object,
    ///   or the database error.
    @discardableResult
    public static func enqueue(
        _ db: Database,
        type: String,
        payload: Data,
        summary: String? = nil,
        id: String = WebhookEventID.generate(),
        onlyEndpoint: String? = nil,
        now: Date = Date()
    ) throws -> String {
        let body = try withID(payload, id: id)
        try db.execute(
            sql: "INSERT INTO webhook_event (id, type, payload, summary, target_endpoint, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [id, type, body, summary, onlyEndpoint, milliseconds(now)])
        return id
    }

    /// Encodes `payload` (snake_case keys, sorted) and enqueues it; see ``enqueue(_:type:payload:summary:id:onlyEndpoint:now:)``.
    @discardableResult
    public static func enqueue<Payload: Encodable>(
        _ db: Database,
        type: String,
        payload: Payload,
        summary: String? = nil,
        id: String = WebhookEventID.generate(),
        onlyEndpoint: String? = nil,
        now: Date = Date()
    ) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try enqueue(
            db, type: type, payload: try encoder.encode(payload), summary: summary, id: id, onlyEndpoint: onlyEndpoint, now: now)
    }

    /// `payload` with `"id"` inserted first unless it has a top-level `id` already.
    static func withID(_ payload: Data, id: String) throws -> Data {
        guard let object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any] else {
            throw WebhookOutboxError.payloadNotAnObject
        }
        if object["id"] != nil { return payload }
        let text = String(decoding: payload, as: UTF8.self)
        guard let brace = text.firstIndex(of: "{") else { throw WebhookOutboxError.payloadNotAnObject }
        let idMember = "\"id\":\(jsonString(id))"
        let rest = text[text.index(after: brace)...]
        let separator = rest.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("}") ? "" : ","
        return Data((text[...brace] + idMember + separator + rest).utf8)
    }

    static func jsonString(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    // MARK: Status and operator actions

    /// Deliveries waiting to be sent (oldest first).
    public static func pendingDeliveries(_ db: Database, limit: Int = 100) throws -> [WebhookDeliveryInfo] {
        try deliveries(db, state: .pending, limit: limit)
    }

    /// Deliveries parked after their last retry (oldest first).
    public static func failedDeliveries(_ db: Database, limit: Int = 100) throws -> [WebhookDeliveryInfo] {
        try deliveries(db, state: .failed, limit: limit)
    }

    /// Deliveries in `state`, oldest first.
    public static func deliveries(_ db: Database, state: WebhookDeliveryState, endpoint: String? = nil, limit: Int = 100)
        throws -> [WebhookDeliveryInfo]
    {
        var sql = """
            SELECT e.id, e.type, e.seq, e.created_at, d.endpoint, d.state, d.attempts, d.next_attempt_at,
                   d.last_attempt_at, d.last_status, d.last_error, d.delivered_at
            FROM webhook_delivery d JOIN webhook_event e ON e.seq = d.event_seq
            WHERE d.state = ?
            """
        var arguments: StatementArguments = [state.rawValue]
        if let endpoint {
            sql += " AND d.endpoint = ?"
            arguments += [endpoint]
        }
        sql += " ORDER BY d.event_seq, d.endpoint LIMIT ?"
        arguments += [limit]
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map(WebhookDeliveryInfo.init(row:))
    }

    /// Puts failed deliveries back in the queue with a fresh retry budget.
    ///
    /// - Parameters:
    ///   - endpoint: only this endpoint's deliveries (all when `nil`).
    ///   - eventID: only this event's deliveries (all when `nil`).
    /// - Returns: how many deliveries were re-queued.
    @discardableResult
    public static func retryFailed(_ db: Database, endpoint: String? = nil, eventID: String? = nil, now: Date = Date()) throws -> Int {
        var sql = """
            UPDATE webhook_delivery SET state = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL
            WHERE state = 'failed'
            """
        var arguments: StatementArguments = [milliseconds(now)]
        if let endpoint {
            sql += " AND endpoint = ?"
            arguments += [endpoint]
        }
        if let eventID {
            sql += " AND event_seq = (SELECT seq FROM webhook_event WHERE id = ?)"
            arguments += [eventID]
        }
        try db.execute(sql: sql, arguments: arguments)
        return db.changesCount
    }

    /// Re-enables an endpoint disabled by a `410 Gone` (events from now on reach it again).
    public static func enableEndpoint(_ db: Database, name: String) throws {
        try db.execute(sql: "UPDATE webhook_endpoint SET disabled_at = NULL, disabled_reason = NULL WHERE name = ?", arguments: [name])
    }

    /// Forgets an endpoint that is no longer configured: deletes its row and all its delivery
    /// rows (its pending deliveries would otherwise count as pending forever).
    ///
    /// - Returns: how many pending deliveries were dropped.
    @discardableResult
    public static func removeEndpoint(_ db: Database, name: String) throws -> Int {
        let pending = try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM webhook_delivery WHERE endpoint = ? AND state = 'pending'", arguments: [name]) ?? 0
        try db.execute(sql: "DELETE FROM webhook_delivery WHERE endpoint = ?", arguments: [name])
        try db.execute(sql: "DELETE FROM webhook_endpoint WHERE name = ?", arguments: [name])
        return pending
    }

    /// Endpoints known to the database but missing from `configured`, with their pending counts
    /// (candidates for ``removeEndpoint(_:name:)``).
    public static func orphanedEndpoints(_ db: Database, configured: [String]) throws -> [(name: String, pending: Int)] {
        let known = try String.fetchAll(db, sql: "SELECT name FROM webhook_endpoint ORDER BY name")
        return try known.filter { !configured.contains($0) }.map { name in
            let pending = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM webhook_delivery WHERE endpoint = ? AND state = 'pending'", arguments: [name]) ?? 0
            return (name: name, pending: pending)
        }
    }

    /// The endpoints the dispatcher has seen, with their disabled state.
    public static func endpoints(_ db: Database) throws -> [WebhookEndpointState] {
        try Row.fetchAll(db, sql: "SELECT name, fanout_seq, disabled_at, disabled_reason FROM webhook_endpoint ORDER BY name").map {
            WebhookEndpointState(
                name: $0["name"], fanoutSeq: $0["fanout_seq"],
                disabledAtMs: $0["disabled_at"], disabledReason: $0["disabled_reason"])
        }
    }

    /// Delivered and failed totals (monotonic, for `_total` metrics) and the current pending count.
    public static func counters(_ db: Database) throws -> WebhookCounters {
        let totals = try Row.fetchAll(db, sql: "SELECT name, value FROM webhook_counter")
        var values: [String: Int64] = [:]
        for row in totals { values[row["name"]] = row["value"] }
        let pending = try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM webhook_delivery WHERE state = 'pending'") ?? 0
        let unfanned = try Int64.fetchOne(
            db, sql: "SELECT COUNT(*) FROM webhook_event WHERE seq > (SELECT MIN(fanout_seq) FROM webhook_endpoint WHERE disabled_at IS NULL)") ?? 0
        return WebhookCounters(
            delivered: values["delivered"] ?? 0, failed: values["failed"] ?? 0,
            attempts: values["attempts"] ?? 0, attemptFailures: values["attempt_failures"] ?? 0,
            pending: pending, notYetFannedOut: unfanned)
    }

    /// Deletes delivered rows older than `age` and events no delivery refers to any more that
    /// every endpoint has fanned out. Failed and pending deliveries are kept.
    ///
    /// - Returns: the number of events deleted.
    @discardableResult
    public static func prune(_ db: Database, deliveredOlderThan age: Duration, now: Date = Date()) throws -> Int {
        let cutoff = milliseconds(now) - Int64(age.components.seconds) * 1000
        try db.execute(sql: "DELETE FROM webhook_delivery WHERE state = 'delivered' AND delivered_at < ?", arguments: [cutoff])
        try db.execute(
            sql: """
                DELETE FROM webhook_event
                WHERE created_at < ?
                  AND seq <= IFNULL((SELECT MIN(fanout_seq) FROM webhook_endpoint), 0)
                  AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.event_seq = webhook_event.seq)
                """,
            arguments: [cutoff])
        return db.changesCount
    }

    static func increment(_ db: Database, _ name: String, by amount: Int64 = 1) throws {
        try db.cachedStatement(
            sql: "INSERT INTO webhook_counter (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value"
        ).execute(arguments: [name, amount])
    }
}

/// Errors of ``WebhookOutbox``.
public enum WebhookOutboxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The payload is not a JSON object.
    case payloadNotAnObject

    /// A readable message.
    public var description: String {
        switch self {
        case .payloadNotAnObject: "webhook event payload must be a JSON object"
        }
    }
}

/// The state of one delivery.
public enum WebhookDeliveryState: String, Sendable, Codable {
    /// Waiting for its (next) attempt.
    case pending
    /// A 2xx answer was received.
    case delivered
    /// Parked after the last retry, or refused with 410 Gone.
    case failed
}

/// One delivery as the status API shows it.
public struct WebhookDeliveryInfo: Sendable, Equatable, Codable {
    /// The event id (`webhook-id`).
    public let eventID: String
    /// The event type.
    public let eventType: String
    /// The event's position in the outbox.
    public let eventSeq: Int64
    /// When the event was enqueued (Unix ms).
    public let createdAtMs: Int64
    /// The endpoint name.
    public let endpoint: String
    /// The delivery state.
    public let state: WebhookDeliveryState
    /// Attempts made so far.
    public let attempts: Int
    /// When the next attempt is due (Unix ms).
    public let nextAttemptAtMs: Int64
    /// When the last attempt was made (Unix ms).
    public let lastAttemptAtMs: Int64?
    /// The HTTP status of the last attempt, if one was received.
    public let lastStatus: Int?
    /// Why the last attempt failed.
    public let lastError: String?
    /// When it was delivered (Unix ms).
    public let deliveredAtMs: Int64?

    init(row: Row) {
        eventID = row["id"]
        eventType = row["type"]
        eventSeq = row["seq"]
        createdAtMs = row["created_at"]
        endpoint = row["endpoint"]
        state = WebhookDeliveryState(rawValue: row["state"]) ?? .pending
        attempts = row["attempts"]
        nextAttemptAtMs = row["next_attempt_at"]
        lastAttemptAtMs = row["last_attempt_at"]
        lastStatus = row["last_status"]
        lastError = row["last_error"]
        deliveredAtMs = row["delivered_at"]
    }
}

/// An endpoint's stored state.
public struct WebhookEndpointState: Sendable, Equatable, Codable {
    /// The endpoint name.
    public let name: String
    /// The last event sequence fanned out to it.
    public let fanoutSeq: Int64
    /// When it was disabled (Unix ms), `nil` when active.
    public let disabledAtMs: Int64?
    /// Why it was disabled.
    public let disabledReason: String?
}

/// Delivery totals for metrics.
public struct WebhookCounters: Sendable, Equatable, Codable {
    /// Deliveries that got a 2xx (monotonic).
    public let delivered: Int64
    /// Deliveries parked as failed (monotonic; a retried one that fails again counts again).
    public let failed: Int64
    /// HTTP attempts made (monotonic).
    public let attempts: Int64
    /// Attempts that did not get a 2xx (monotonic).
    public let attemptFailures: Int64
    /// Deliveries waiting now.
    public let pending: Int64
    /// Events not yet fanned out to the slowest active endpoint (normally 0 or a handful).
    public let notYetFannedOut: Int64
}
