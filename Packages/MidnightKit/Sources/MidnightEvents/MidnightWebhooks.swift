import Foundation
import GRDB
import Logging
import MidnightConfig
import SpomWebhooks

/// `[webhooks]` configuration turned into SpomWebhooks values, and the operator's actions on
/// the outbox (`mvm webhooks status|retry|test`).
public enum MidnightWebhooks {
    /// The configured endpoints as the dispatcher takes them.
    public static func endpoints(_ config: MVMConfig.Webhooks) -> [WebhookEndpoint] {
        config.endpoints.map {
            WebhookEndpoint(
                name: $0.name, url: $0.url, events: $0.events, auth: $0.auth, secret: $0.secret,
                format: WebhookFormat(rawValue: $0.format.rawValue) ?? .json, chatID: $0.chatID)
        }
    }

    /// Retry settings: `retry_attempts` retries after the first attempt, backoff from `retry_delay_ms`.
    public static func dispatchSettings(_ config: MVMConfig.Webhooks) -> WebhookDispatchSettings {
        WebhookDispatchSettings(
            retryAttempts: Int(clamping: config.retryAttempts), retryDelayMs: Int(clamping: config.retryDelayMs))
    }

    /// Sync alert thresholds from `[webhooks]`.
    public static func alertSettings(_ config: MVMConfig.Webhooks) -> SyncAlertSettings {
        SyncAlertSettings(
            fallingBehindBlocks: config.fallingBehindBlocks, stalledAfter: .seconds(Int64(clamping: max(1, config.stalledSecs))),
            finalityLagBlocks: config.finalityLagBlocks,
            reminderInterval: config.reminderIntervalSecs == 0 ? nil : .seconds(Int64(clamping: config.reminderIntervalSecs)),
            checkInterval: .milliseconds(Int64(clamping: max(100, config.alertCheckIntervalMs))))
    }

    // MARK: Status

    /// Reads the outbox of the database at `path` (read-only).
    ///
    /// - Throws: ``MidnightWebhooksError`` when the file is missing or unreadable.
    public static func status(databasePath path: String, limit: Int = 50) throws -> WebhookStatusReport {
        try withDatabase(path, readonly: true, operation: "reading the webhook outbox") { db in
            guard try MidnightEventsDatabase.hasOutbox(db) else {
                return WebhookStatusReport(outboxPresent: false, counters: nil, endpoints: [], pending: [], failed: [], activeAlerts: [])
            }
            let alerts: [String]
            if try db.tableExists("mvm_alert_state") {
                alerts = try String.fetchAll(db, sql: "SELECT condition FROM mvm_alert_state WHERE active = 1 ORDER BY condition")
            } else {
                alerts = []
            }
            return WebhookStatusReport(
                outboxPresent: true, counters: try WebhookOutbox.counters(db), endpoints: try WebhookOutbox.endpoints(db),
                pending: try WebhookOutbox.pendingDeliveries(db, limit: limit), failed: try WebhookOutbox.failedDeliveries(db, limit: limit),
                activeAlerts: alerts)
        }
    }

    /// Puts failed deliveries back in the queue with a fresh retry budget, and re-enables the
    /// endpoints concerned if a `410 Gone` had disabled them. The running sync daemon picks
    /// them up at its next poll.
    ///
    /// - Returns: how many deliveries were re-queued and which endpoints were re-enabled.
    public static func retry(databasePath path: String, endpoint: String? = nil, eventID: String? = nil) throws -> WebhookRetryResult {
        try withDatabase(path, readonly: false, operation: "re-queueing failed webhook deliveries") { db in
            guard try MidnightEventsDatabase.hasOutbox(db) else { return WebhookRetryResult(requeued: 0, reenabled: []) }
            let disabled = try WebhookOutbox.endpoints(db).filter { $0.disabledAtMs != nil && (endpoint == nil || $0.name == endpoint) }
            for state in disabled { try WebhookOutbox.enableEndpoint(db, name: state.name) }
            let count = try WebhookOutbox.retryFailed(db, endpoint: endpoint, eventID: eventID)
            return WebhookRetryResult(requeued: count, reenabled: disabled.map(\.name))
        }
    }

    private static func withDatabase<T>(_ path: String, readonly: Bool, operation: String, _ body: (Database) throws -> T) throws -> T {
        guard FileManager.default.fileExists(atPath: path) else { throw MidnightWebhooksError.databaseNotFound(path: path) }
        var configuration = Configuration()
        configuration.readonly = readonly
        configuration.busyMode = .timeout(10)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return readonly ? try queue.read(body) : try queue.write(body)
        } catch {
            throw MidnightWebhooksError.database(operation: operation, path: path, message: "\(error)")
        }
    }

    // MARK: Test

    /// Sends one `test` event to each of `endpoints` now, through the real delivery code (same
    /// headers, signature and chat formats) but a private in-memory outbox, so the daemon's
    /// queue is untouched. One attempt each, no retry.
    ///
    /// - Returns: one result per endpoint, in order.
    public static func sendTest(
        endpoints: [WebhookEndpoint], chain: String, instance: String, requestTimeout: Duration = .seconds(10), logger: Logger
    ) async throws -> [WebhookTestResult] {
        let queue = try DatabaseQueue()
        var migrator = DatabaseMigrator()
        WebhookOutbox.registerMigrations(in: &migrator)
        try migrator.migrate(queue)
        let now = Date()
        var ids: [String: String] = [:]
        for endpoint in endpoints {
            let payload = TestEvent(
                timestamp: EventTime.rfc3339(milliseconds: EventTime.nowMs(now)), chain: chain, instance: instance,
                message: "Test event from MVM (\(instance)) to endpoint \(endpoint.name)")
            ids[endpoint.name] = try await queue.write { db in
                try WebhookOutbox.enqueue(
                    db, type: MidnightEventType.test.rawValue, payload: payload,
                    summary: "[\(instance)] \(chain): MVM test message to \(endpoint.name): webhooks work", onlyEndpoint: endpoint.name)
            }
        }
        let settings = WebhookDispatchSettings(
            retryAttempts: 0, retryDelayMs: 1000, requestTimeout: requestTimeout, pollInterval: .milliseconds(50), retention: nil)
        let dispatcher = WebhookDispatcher(database: queue, endpoints: endpoints, settings: settings, logger: logger)
        let task = Task { try await dispatcher.run() }
        let deadline = ContinuousClock.now + requestTimeout + .seconds(3)
        var rows: [WebhookDeliveryInfo] = []
        while ContinuousClock.now < deadline {
            rows = try await queue.read { db in
                try WebhookOutbox.deliveries(db, state: .delivered) + WebhookOutbox.deliveries(db, state: .failed)
            }
            if rows.count >= endpoints.count { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        task.cancel()
        _ = await task.result
        let problems = Dictionary(uniqueKeysWithValues: endpoints.map { ($0.name, $0.validate()) })
        return endpoints.map { endpoint in
            let row = rows.first { $0.endpoint == endpoint.name }
            let problem = problems[endpoint.name].flatMap { $0.isEmpty ? nil : $0.joined(separator: "; ") }
            return WebhookTestResult(
                endpoint: endpoint.name, host: endpoint.loggableURL, eventID: ids[endpoint.name] ?? "",
                delivered: row?.state == .delivered, httpStatus: row?.lastStatus,
                error: problem ?? (row == nil ? "no answer within \(requestTimeout + .seconds(3))" : row?.lastError))
        }
    }
}

/// What `mvm webhooks status` shows.
public struct WebhookStatusReport: Sendable, Codable, Equatable {
    /// False when the sync daemon never ran with webhooks enabled on this database.
    public var outboxPresent: Bool
    /// Totals and the pending count.
    public var counters: WebhookCounters?
    /// Endpoints the dispatcher has seen, with their disabled state.
    public var endpoints: [WebhookEndpointState]
    /// The oldest pending deliveries.
    public var pending: [WebhookDeliveryInfo]
    /// The oldest failed (parked) deliveries.
    public var failed: [WebhookDeliveryInfo]
    /// Sync alert conditions currently on.
    public var activeAlerts: [String]
}

/// What `mvm webhooks retry` did.
public struct WebhookRetryResult: Sendable, Codable, Equatable {
    /// Deliveries put back in the queue.
    public var requeued: Int
    /// Endpoints re-enabled (they had been disabled by a 410).
    public var reenabled: [String]
}

/// One endpoint's answer to `mvm webhooks test`.
public struct WebhookTestResult: Sendable, Codable, Equatable {
    /// The endpoint name.
    public var endpoint: String
    /// Scheme, host and port only (URLs may hold tokens).
    public var host: String
    /// The test event's id.
    public var eventID: String
    /// Whether a 2xx came back.
    public var delivered: Bool
    /// The HTTP status, when an answer came.
    public var httpStatus: Int?
    /// Why it failed.
    public var error: String?
}

/// Errors of ``MidnightWebhooks``.
public enum MidnightWebhooksError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database file does not exist.
    case databaseNotFound(path: String)
    /// A database operation failed.
    case database(operation: String, path: String, message: String)

    /// A readable message.
    public var description: String {
        switch self {
        case .databaseNotFound(let path): "database \(path) not found"
        case .database(let operation, let path, let message): "\(operation) in \(path) failed: \(message)"
        }
    }
}
