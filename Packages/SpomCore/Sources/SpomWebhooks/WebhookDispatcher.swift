import AsyncHTTPClient
import Foundation
import GRDB
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// Delivers outbox events to every subscribed endpoint, at least once.
///
/// One worker per endpoint, so a slow or failing endpoint never holds up the others; each
/// worker sends its endpoint's deliveries strictly in event order (the next one waits until the
/// current one is delivered or parked as failed). All state is in SQLite: a new dispatcher on
/// the same database (after a restart or a crash) carries on where the last one stopped. A
/// delivery whose answer was lost (crash mid-request) is sent again with the same `webhook-id`.
///
/// Each attempt POSTs with `webhook-id`, `webhook-timestamp`, `webhook-signature` (when the
/// endpoint has a secret), `Authorization` (when it has `auth`) and `Content-Type:
/// application/json`. 2xx is success; 410 disables the endpoint; anything else is retried with
/// exponential backoff and jitter from ``WebhookDispatchSettings/retryDelay``, honouring
/// `Retry-After` (and 429 bodies' `retry_after`), until ``WebhookDispatchSettings/retryAttempts``
/// retries are spent, when the delivery is parked as `failed` and counted. Redirects are not
/// followed.
///
/// Run it in the app's `ServiceGroup`. Events committed through the same database writer wake
/// the workers at once (a GRDB region observation); events written by another process are
/// found at the next poll, or call ``wake()``.
public final class WebhookDispatcher: Service, Sendable {
    private let database: any DatabaseWriter
    private let endpoints: [WebhookEndpoint]
    private let settings: WebhookDispatchSettings
    private let logger: Logger
    private let providedClient: HTTPClient?
    private let signal = WakeSignal()

    /// Creates a dispatcher.
    ///
    /// - Parameters:
    ///   - database: the app's database (with ``WebhookOutbox/registerMigrations(in:)`` applied).
    ///   - endpoints: the configured endpoints; invalid ones are logged and skipped.
    ///   - settings: retry and polling settings.
    ///   - httpClient: a client to use; by default the dispatcher makes its own (no redirects)
    ///     and shuts it down when it stops.
    ///   - logger: where delivery problems are logged (endpoint names and hosts only, never
    ///     URLs with their paths, secrets or auth values).
    public init(
        database: any DatabaseWriter,
        endpoints: [WebhookEndpoint],
        settings: WebhookDispatchSettings = WebhookDispatchSettings(),
        httpClient: HTTPClient? = nil,
        logger: Logger
    ) {
        self.database = database
        var seen = Set<String>()
        self.endpoints = endpoints.filter { seen.insert($0.name).inserted }
        self.settings = settings
        self.providedClient = httpClient
        self.logger = logger
    }

    /// Wakes idle workers so that newly committed events go out now.
    public func wake() {
        signal.fire()
    }

    /// Runs until cancelled or graceful shutdown; an in-flight attempt is abandoned and stays
    /// pending (it is retried by the next run).
    public func run() async throws {
        let client = providedClient ?? HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
        let usable = endpoints.filter { endpoint in
            let problems = endpoint.validate()
            for problem in problems { logger.error("webhook endpoint skipped", metadata: ["problem": "\(problem)"]) }
            return problems.isEmpty
        }
        if let orphans = try? await database.read({ db in try WebhookOutbox.orphanedEndpoints(db, configured: usable.map(\.name)) }) {
            for orphan in orphans where orphan.pending > 0 {
                logger.warning(
                    "webhook endpoint no longer configured still has pending deliveries (WebhookOutbox.removeEndpoint drops them)",
                    metadata: ["webhook.endpoint": "\(orphan.name)", "pending": "\(orphan.pending)"])
            }
        }
        // Events committed through this process's database writer wake the workers at once;
        // other processes' events are found by polling.
        let observation = DatabaseRegionObservation(tracking: Table("webhook_event")).start(
            in: database,
            onError: { [logger] error in logger.warning("webhook outbox observation failed", metadata: ["error": "\(error)"]) },
            onChange: { [signal] _ in signal.fire() })
        defer { observation.cancel() }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for endpoint in usable {
                    group.addTask { await self.runWorker(endpoint, client: client) }
                }
                if let retention = self.settings.retention {
                    group.addTask { await self.runPruner(retention: retention) }
                }
                // A Service must not return before shutdown (ServiceGroup would stop the app), even
                // with no endpoint configured.
                group.addTask {
                    while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
                }
            }
        }
        if providedClient == nil { try? await client.shutdown() }
    }

    // MARK: Worker

    private func runWorker(_ endpoint: WebhookEndpoint, client: HTTPClient) async {
        var log = logger
        log[metadataKey: "webhook.endpoint"] = "\(endpoint.name)"
        log[metadataKey: "webhook.host"] = "\(endpoint.loggableURL)"
        var fanoutSeq: Int64 = -1
        var generator = SystemRandomNumberGenerator()
        while !Task.isCancelled {
            let generation = signal.generation
            do {
                if fanoutSeq < 0 {
                    fanoutSeq = try await registerEndpoint(endpoint)
                }
                let snapshot = try await database.read { db in try Self.snapshot(db, endpoint: endpoint.name) }
                if snapshot.maxSeq > fanoutSeq {
                    fanoutSeq = try await fanOut(endpoint, after: fanoutSeq, disabled: snapshot.disabled)
                    continue
                }
                guard !snapshot.disabled, let first = snapshot.heads.first else {
                    await signal.wait(since: generation, timeout: settings.pollInterval)
                    continue
                }
                let nowMs = WebhookOutbox.milliseconds(Date())
                if first.nextAttemptAtMs > nowMs {
                    let wait = min(Duration.milliseconds(first.nextAttemptAtMs - nowMs), settings.pollInterval)
                    await signal.wait(since: generation, timeout: wait)
                    continue
                }
                // Work through the batch in order while deliveries succeed; anything else (a retry
                // scheduled, a parked or disabled delivery) sends us back to a fresh snapshot.
                for head in snapshot.heads {
                    guard !Task.isCancelled, head.nextAttemptAtMs <= WebhookOutbox.milliseconds(Date()) else { break }
                    let delivered = try await attempt(head, endpoint: endpoint, client: client, logger: log, generator: &generator)
                    if !delivered { break }
                }
            } catch {
                if Task.isCancelled { break }
                log.error("webhook worker error", metadata: ["error": "\(error)"])
                await signal.wait(since: generation, timeout: settings.pollInterval)
            }
        }
    }

    struct Head: Sendable {
        let seq: Int64
        let id: String
        let type: String
        let payload: Data
        let summary: String?
        let attempts: Int
        let nextAttemptAtMs: Int64
    }

    struct Snapshot: Sendable {
        let maxSeq: Int64
        let disabled: Bool
        /// The endpoint's oldest pending deliveries, in event order.
        let heads: [Head]
    }

    /// How many pending deliveries one snapshot reads.
    static let batchSize = 64

    static func snapshot(_ db: Database, endpoint: String) throws -> Snapshot {
        let maxSeq = try Int64.fetchOne(db.cachedStatement(sql: "SELECT IFNULL(MAX(seq), 0) FROM webhook_event")) ?? 0
        let disabled = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT disabled_at IS NOT NULL FROM webhook_endpoint WHERE name = ?"), arguments: [endpoint]) ?? false
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT e.seq, e.id, e.type, e.payload, e.summary, d.attempts, d.next_attempt_at
                    FROM webhook_delivery d JOIN webhook_event e ON e.seq = d.event_seq
                    WHERE d.state = 'pending' AND d.endpoint = ?
                    ORDER BY d.event_seq LIMIT ?
                    """),
            arguments: [endpoint, batchSize])
        let heads = rows.map {
            Head(
                seq: $0["seq"], id: $0["id"], type: $0["type"], payload: $0["payload"], summary: $0["summary"],
                attempts: $0["attempts"], nextAttemptAtMs: $0["next_attempt_at"])
        }
        return Snapshot(maxSeq: maxSeq, disabled: disabled, heads: heads)
    }

    /// Creates or refreshes the endpoint's row; returns its fan-out position.
    private func registerEndpoint(_ endpoint: WebhookEndpoint) async throws -> Int64 {
        let backfillMs = settings.newEndpointBackfill.milliseconds
        return try await database.write { db in
            let nowMs = WebhookOutbox.milliseconds(Date())
            if let row = try Row.fetchOne(db, sql: "SELECT url, fanout_seq FROM webhook_endpoint WHERE name = ?", arguments: [endpoint.name]) {
                let url: String = row["url"]
                if url != endpoint.url {
                    // A new URL for the same name: a fresh start for a receiver that was gone.
                    try db.execute(
                        sql: "UPDATE webhook_endpoint SET url = ?, disabled_at = NULL, disabled_reason = NULL WHERE name = ?",
                        arguments: [endpoint.url, endpoint.name])
                }
                return row["fanout_seq"]
            }
            let start = try Int64.fetchOne(
                db, sql: "SELECT IFNULL(MAX(seq), 0) FROM webhook_event WHERE created_at < ?", arguments: [nowMs - backfillMs]) ?? 0
            try db.execute(
                sql: "INSERT INTO webhook_endpoint (name, url, fanout_seq) VALUES (?, ?, ?)",
                arguments: [endpoint.name, endpoint.url, start])
            return start
        }
    }

    /// Creates delivery rows for the endpoint's events after `seq` (none while disabled).
    private func fanOut(_ endpoint: WebhookEndpoint, after seq: Int64, disabled: Bool) async throws -> Int64 {
        try await database.write { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT seq, type, target_endpoint FROM webhook_event WHERE seq > ? ORDER BY seq LIMIT 1000",
                arguments: [seq])
            guard let last = rows.last?["seq"] as Int64? else { return seq }
            let nowMs = WebhookOutbox.milliseconds(Date())
            if !disabled {
                for row in rows {
                    let target: String? = row["target_endpoint"]
                    guard target.map({ $0 == endpoint.name }) ?? endpoint.subscribes(to: row["type"]) else { continue }
                    try db.execute(
                        sql: """
                            INSERT OR IGNORE INTO webhook_delivery (endpoint, event_seq, state, attempts, next_attempt_at)
                            VALUES (?, ?, 'pending', 0, ?)
                            """,
                        arguments: [endpoint.name, row["seq"] as Int64, nowMs])
                }
            }
            try db.execute(sql: "UPDATE webhook_endpoint SET fanout_seq = ? WHERE name = ?", arguments: [last, endpoint.name])
            return last
        }
    }

    /// Makes one attempt and records its outcome; returns whether the delivery succeeded.
    private func attempt(
        _ head: Head,
        endpoint: WebhookEndpoint,
        client: HTTPClient,
        logger: Logger,
        generator: inout SystemRandomNumberGenerator
    ) async throws -> Bool {
        let now = Date()
        let body = WebhookMessageFormatter.body(
            format: endpoint.format, type: head.type, payload: head.payload, summary: head.summary, chatID: endpoint.chatID)
        let timestamp = Int64(now.timeIntervalSince1970)
        var request = HTTPClientRequest(url: endpoint.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "spom-webhooks/1")
        request.headers.add(name: "webhook-id", value: head.id)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        if let secret = endpoint.secret {
            let signer = try WebhookSigner(secret: secret)
            request.headers.add(name: "webhook-signature", value: signer.signature(id: head.id, timestamp: timestamp, body: body))
        }
        if let auth = endpoint.auth { request.headers.add(name: "Authorization", value: auth) }
        request.body = .bytes(ByteBuffer(bytes: body))

        let outcome: WebhookAttemptOutcome
        var httpStatus: Int?
        do {
            let response = try await client.execute(request, timeout: .milliseconds(settings.requestTimeout.milliseconds))
            httpStatus = Int(response.status.code)
            let responseBody = (try? await response.body.collect(upTo: 64 * 1024)).map { Data($0.readableBytesView) } ?? Data()
            outcome = WebhookRetryPolicy.classify(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: responseBody)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            outcome = .retry(reason: Self.describe(error, endpoint: endpoint), status: nil, retryAfter: nil)
        }
        let attempts = head.attempts + 1
        let nowMs = WebhookOutbox.milliseconds(Date())
        let retryAttempts = settings.retryAttempts
        var nextDelay: Duration?
        if case .retry(_, _, let retryAfter) = outcome, attempts <= retryAttempts {
            nextDelay = WebhookRetryPolicy.delay(
                attempt: attempts, base: settings.retryDelay, cap: settings.maxDelay, retryAfter: retryAfter, using: &generator)
        }
        let delay = nextDelay
        let status = httpStatus
        try await database.write { db in
            try WebhookOutbox.increment(db, "attempts")
            switch outcome {
            case .delivered:
                try db.cachedStatement(
                    sql: """
                        UPDATE webhook_delivery SET state = 'delivered', attempts = ?, last_attempt_at = ?, delivered_at = ?,
                            last_status = ?, last_error = NULL WHERE endpoint = ? AND event_seq = ?
                        """
                ).execute(arguments: [attempts, nowMs, nowMs, status, endpoint.name, head.seq])
                try WebhookOutbox.increment(db, "delivered")
            case .gone:
                try db.execute(
                    sql: """
                        UPDATE webhook_delivery SET state = 'failed', attempts = ?, last_attempt_at = ?, last_status = 410,
                            last_error = '410 Gone: endpoint disabled' WHERE endpoint = ? AND event_seq = ?
                        """,
                    arguments: [attempts, nowMs, endpoint.name, head.seq])
                try db.execute(
                    sql: "UPDATE webhook_endpoint SET disabled_at = ?, disabled_reason = '410 Gone' WHERE name = ?",
                    arguments: [nowMs, endpoint.name])
                try WebhookOutbox.increment(db, "attempt_failures")
                try WebhookOutbox.increment(db, "failed")
            case .retry(let reason, let status, _):
                try WebhookOutbox.increment(db, "attempt_failures")
                if let delay {
                    try db.execute(
                        sql: """
                            UPDATE webhook_delivery SET attempts = ?, last_attempt_at = ?, next_attempt_at = ?, last_status = ?,
                                last_error = ? WHERE endpoint = ? AND event_seq = ?
                            """,
                        arguments: [attempts, nowMs, nowMs + delay.milliseconds, status, reason, endpoint.name, head.seq])
                } else {
                    try db.execute(
                        sql: """
                            UPDATE webhook_delivery SET state = 'failed', attempts = ?, last_attempt_at = ?, last_status = ?,
                                last_error = ? WHERE endpoint = ? AND event_seq = ?
                            """,
                        arguments: [attempts, nowMs, status, reason, endpoint.name, head.seq])
                    try WebhookOutbox.increment(db, "failed")
                }
            }
        }
        switch outcome {
        case .delivered:
            logger.debug("webhook delivered", metadata: ["webhook.id": "\(head.id)", "webhook.attempts": "\(attempts)"])
            return true
        case .gone:
            logger.warning("webhook endpoint answered 410 Gone; disabled", metadata: ["webhook.id": "\(head.id)"])
        case .retry(let reason, _, _):
            if let delay {
                logger.notice(
                    "webhook attempt failed; will retry",
                    metadata: ["webhook.id": "\(head.id)", "reason": "\(reason)", "attempt": "\(attempts)", "retry_in_ms": "\(delay.milliseconds)"])
            } else {
                logger.error(
                    "webhook delivery failed after retries; parked",
                    metadata: ["webhook.id": "\(head.id)", "reason": "\(reason)", "attempts": "\(attempts)"])
            }
        }
        return false
    }

    /// A short error description without the endpoint's full URL (its path or query may hold a
    /// token, as chat webhook URLs do).
    static func describe(_ error: any Error, endpoint: WebhookEndpoint) -> String {
        var text = (error as? HTTPClientError)?.shortDescription ?? String(describing: error)
        text = text.replacingOccurrences(of: endpoint.url, with: endpoint.loggableURL)
        if let components = URLComponents(string: endpoint.url), components.path.count > 1 {
            text = text.replacingOccurrences(of: components.path, with: "/…")
        }
        return "transport: " + String(text.prefix(200))
    }

    // MARK: Pruning

    private func runPruner(retention: Duration) async {
        while !Task.isCancelled {
            do {
                _ = try await database.write { db in try WebhookOutbox.prune(db, deliveredOlderThan: retention) }
            } catch {
                logger.warning("webhook outbox prune failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(3600))
        }
    }
}
