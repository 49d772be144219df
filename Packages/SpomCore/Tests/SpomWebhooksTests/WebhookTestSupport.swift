import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import Logging
import SpomTesting
import SpomTestingHTTP
import SpomWebhooks
import Synchronization

/// The shared loopback receiver's request and answer types, by the names these tests use.
typealias ReceivedRequest = LoopbackWebhookReceiver.Request
typealias ReceiverAnswer = LoopbackWebhookReceiver.Answer

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
