import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import Logging
import SpomTesting
import SpomWebhooks
import Synchronization

/// One request the test receiver got.
struct ReceivedRequest: Sendable {
    let path: String
    let id: String
    let timestamp: String
    let signature: String?
    let authorization: String?
    let contentType: String?
    let body: Data
    let at: ContinuousClock.Instant
}

/// What the receiver answers: a status and extra headers, after an optional delay.
struct ReceiverAnswer: Sendable {
    var status: HTTPResponse.Status = .ok
    var headers: [(String, String)] = []
    var delay: Duration = .zero
}

/// A real HTTP receiver on 127.0.0.1 with scripted answers per path.
final class TestReceiver: Sendable {
    let received = Mutex<[ReceivedRequest]>([])
    /// Decides the answer from the path and how many requests that path got before this one.
    let script: Mutex<@Sendable (String, Int) -> ReceiverAnswer>
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let boundPort = Mutex<Int?>(nil)

    init(script: @escaping @Sendable (String, Int) -> ReceiverAnswer = { _, _ in ReceiverAnswer() }) {
        self.script = Mutex(script)
    }

    /// Starts listening; returns the base URL.
    func start() async throws -> String {
        let router = Router()
        router.post("**") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let path = request.uri.path
            let previous = self.received.withLock { list in list.filter { $0.path == path }.count }
            let entry = ReceivedRequest(
                path: path,
                id: request.headers[HTTPField.Name("webhook-id")!] ?? "",
                timestamp: request.headers[HTTPField.Name("webhook-timestamp")!] ?? "",
                signature: request.headers[HTTPField.Name("webhook-signature")!],
                authorization: request.headers[.authorization],
                contentType: request.headers[.contentType],
                body: Data(body.readableBytesView),
                at: .now)
            self.received.withLock { $0.append(entry) }
            let answer = self.script.withLock { $0 }(path, previous)
            if answer.delay > .zero { try await Task.sleep(for: answer.delay) }
            var headers = HTTPFields()
            for (name, value) in answer.headers { headers.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
            return Response(status: answer.status, headers: headers)
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in self.boundPort.withLock { $0 = channel.localAddress?.port } },
            logger: quietLogger())
        task.withLock { $0 = Task { try await app.runService(gracefulShutdownSignals: []) } }
        let ok = await eventually(timeout: .seconds(10)) { self.boundPort.withLock { $0 } != nil }
        guard ok, let port = boundPort.withLock({ $0 }) else { throw ChildProcessError("receiver did not start") }
        return "http://127.0.0.1:\(port)"
    }

    func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        _ = await running?.result
    }

    func requests(_ path: String) -> [ReceivedRequest] {
        received.withLock { $0.filter { $0.path == path } }
    }

    func setScript(_ script: @escaping @Sendable (String, Int) -> ReceiverAnswer) {
        self.script.withLock { $0 = script }
    }
}

func quietLogger() -> Logger {
    Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
}

/// A temporary app database with the outbox migration and a small app table.
struct TestDatabase {
    let directory: TemporaryDirectory
    let pool: DatabasePool

    init() throws {
        directory = try TemporaryDirectory(prefix: "webhooks")
        pool = try Self.open(directory.path("app.db"))
    }

    /// Opens (and migrates) the database at `path`; a second pool on the same file simulates a restart.
    static func open(_ path: String) throws -> DatabasePool {
        // As the apps open their databases: WAL (a pool always is) with synchronous=NORMAL.
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        let pool = try DatabasePool(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        WebhookOutbox.registerMigrations(in: &migrator)
        migrator.registerMigration("app_v1") { db in
            try db.execute(sql: "CREATE TABLE block (number INTEGER PRIMARY KEY, author TEXT)")
        }
        try migrator.migrate(pool)
        return pool
    }

    /// Enqueues `count` events of `type` (one transaction each), numbered from `from`.
    @discardableResult
    func enqueue(_ count: Int, type: String = "block_produced", from: Int = 1) throws -> [String] {
        try (from..<(from + count)).map { number in
            try pool.write { db in
                try db.execute(sql: "INSERT INTO block (number, author) VALUES (?, 'me')", arguments: [number])
                return try WebhookOutbox.enqueue(
                    db, type: type, payload: Data(#"{"event":"\#(type)","number":\#(number)}"#.utf8), summary: "block \(number)")
            }
        }
    }

    func counters() throws -> WebhookCounters {
        try pool.read { try WebhookOutbox.counters($0) }
    }
}

/// Runs `dispatcher` in the background until `body` returns.
func whileRunning(_ dispatcher: WebhookDispatcher, _ body: () async throws -> Void) async throws {
    let task = Task { try await dispatcher.run() }
    do {
        try await body()
    } catch {
        task.cancel()
        _ = await task.result
        throw error
    }
    task.cancel()
    _ = await task.result
}

/// Fast settings for tests.
func fastSettings(retryAttempts: Int = 5, retryDelayMs: Int = 20) -> WebhookDispatchSettings {
    WebhookDispatchSettings(
        retryAttempts: retryAttempts, retryDelayMs: retryDelayMs, maxDelay: .seconds(5),
        requestTimeout: .seconds(5), pollInterval: .milliseconds(50))
}

/// The `number` field of a received JSON body.
func number(_ request: ReceivedRequest) -> Int? {
    (try? JSONSerialization.jsonObject(with: request.body) as? [String: Any])?["number"] as? Int
}
