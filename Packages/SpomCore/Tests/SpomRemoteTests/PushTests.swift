import Foundation
import Logging
import SpomRemote
import SpomTesting
import Testing

/// The push against a real PostgreSQL (SpomTesting.TestPostgres: the test script's server).
@Suite("Remote push to PostgreSQL", .serialized, .enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipMessage)))
struct PushTests {
    let logger = Logger(label: "spom-remote-tests")

    func configuration(_ target: PostgresTarget, namespace: String, path: String, instance: String = "node-a",
                       fullScanEvery: Int = 1, batchRows: Int = 300) -> RemotePushConfiguration {
        RemotePushConfiguration(
            target: target, schema: LocalFixture.schema(namespace), localPath: path, instanceName: instance, chain: "testchain",
            interval: .milliseconds(100), fullScanEvery: fullScanEvery, batchRows: batchRows, operationTimeout: .seconds(20),
            connectTimeout: .seconds(3), retryInitial: .milliseconds(100), retryMaximum: .milliseconds(400), appVersion: "tests")
    }

    /// Asserts that every table's remote rows for `instance` equal the local rows, row for row.
    func expectEqual(_ remote: RemoteDatabase, namespace: String, path: String, instance: String = "node-a",
                     sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let source = try LocalSource(path: path)
        for table in LocalFixture.schema(namespace).tables {
            let local = try source.allRows(of: table, chain: "testchain").map(table.normalize)
            let pushed = try await remote.rows(of: table, namespace: namespace, instance: instance, chain: "testchain")
            #expect(pushed.count == local.count, "\(table.name): \(pushed.count) remote rows, \(local.count) local", sourceLocation: sourceLocation)
            // Name the first differing row instead of dumping both tables.
            if let index = zip(pushed, local).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                Issue.record("\(table.name) row \(index) differs: remote \(pushed[index]), local \(local[index])", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("a full push equals the local database row for row, and a second push writes nothing")
    func fullPushEqualsLocal() async throws {
        let server = try TestPostgres.shared()
        let dir = try TemporaryDirectory(prefix: "remote-full")
        defer { dir.remove() }
        let fixture = try LocalFixture(path: dir.path("app.db"))
        try fixture.insert(1...1_234)
        try fixture.insertOtherChain(id: 5_000)
        let namespace = freshNamespace("full")
        let pusher = try RemotePusher(configuration: configuration(try server.target, namespace: namespace, path: fixture.path), logger: logger)
        let first = try await pusher.push()
        #expect(first.rowsWritten == 1_234 + 2 * 1_234 + 1)
        let remote = try await RemoteDatabase.connect(try server.target, logger: logger)
        try await expectEqual(remote, namespace: namespace, path: fixture.path)
        #expect(try await remote.schemaVersion(namespace: namespace) == 1)

        let second = try await pusher.push()
        #expect(second.rowsWritten == 0)
        #expect(second.rowsBehindAtStart == 0)
        let status = await pusher.status()
        #expect(status.state == .inSync)
        #expect(status.tables.first { $0.name == "items" }?.watermark == 1_234)
        #expect(status.tables.first { $0.name == "items" }?.remoteRows == 1_234)

        // push(full: true) rewrites everything and still leaves the same rows.
        let full = try await pusher.push(full: true)
        #expect(full.rowsWritten == first.rowsWritten)
        try await expectEqual(remote, namespace: namespace, path: fixture.path)
        let states = try await remote.pushStates(namespace: namespace)
        #expect(states.first { $0.table == "items" }?.watermark == 1_234)
        await pusher.close()
        try await remote.execute("DROP SCHEMA \"\(namespace)\" CASCADE")
        await remote.close()
    }

    @Test("two instances push into one database without conflict")
    func twoInstances() async throws {
        let server = try TestPostgres.shared()
        let dir = try TemporaryDirectory(prefix: "remote-two")
        defer { dir.remove() }
        let a = try LocalFixture(path: dir.path("a.db"))
        let b = try LocalFixture(path: dir.path("b.db"))
        try a.insert(1...500, label: "from-a")
        try b.insert(1...700, label: "from-b")  // same natural keys, different content
        let namespace = freshNamespace("two")
        let target = try server.target
        let pushA = try RemotePusher(configuration: configuration(target, namespace: namespace, path: a.path, instance: "node-a"), logger: logger)
        let pushB = try RemotePusher(configuration: configuration(target, namespace: namespace, path: b.path, instance: "node-b"), logger: logger)
        // Start both at once: schema creation is serialised by an advisory lock.
        async let ra = pushA.push()
        async let rb = pushB.push()
        _ = try await (ra, rb)
        let remote = try await RemoteDatabase.connect(target, logger: logger)
        try await expectEqual(remote, namespace: namespace, path: a.path, instance: "node-a")
        try await expectEqual(remote, namespace: namespace, path: b.path, instance: "node-b")
        let counts = try await remote.rowCounts(of: "items", namespace: namespace)
        #expect(counts == ["node-a/testchain": 500, "node-b/testchain": 700])
        // A change on one instance doesn't touch the other's rows.
        try a.execute("DELETE FROM items WHERE id > 400")
        try await pushA.push()
        #expect(try await remote.rowCounts(of: "items", namespace: namespace) == ["node-a/testchain": 400, "node-b/testchain": 700])
        try await expectEqual(remote, namespace: namespace, path: b.path, instance: "node-b")
        await pushA.close()
        await pushB.close()
        try await remote.execute("DROP SCHEMA \"\(namespace)\" CASCADE")
        await remote.close()
    }

    @Test("a reorg (rows replaced, removed, updated) pushed twice leaves exactly the local rows")
    func reorgPushedTwice() async throws {
        let server = try TestPostgres.shared()
        let dir = try TemporaryDirectory(prefix: "remote-reorg")
        defer { dir.remove() }
        let fixture = try LocalFixture(path: dir.path("app.db"))
        try fixture.insert(1...1_000)
        let namespace = freshNamespace("reorg")
        let pusher = try RemotePusher(configuration: configuration(try server.target, namespace: namespace, path: fixture.path), logger: logger)
        try await pusher.push()

        // The tip is replaced by a shorter fork, an old row is re-attributed, finality flips.
        try fixture.execute("DELETE FROM items WHERE id >= 990; DELETE FROM tags WHERE item_id >= 990")
        try fixture.insert(990...995, label: "fork")
        try fixture.execute("UPDATE items SET note = 'reattributed', flag = 1 WHERE id = 17")
        try fixture.execute("UPDATE tags SET weight = 0 WHERE item_id BETWEEN 500 AND 520")
        let first = try await pusher.push()
        #expect(first.rowsWritten > 0)
        let second = try await pusher.push()
        #expect(second.rowsWritten == 0)
        let remote = try await RemoteDatabase.connect(try server.target, logger: logger)
        try await expectEqual(remote, namespace: namespace, path: fixture.path)
        let items = try await remote.rows(of: LocalFixture.items, namespace: namespace, instance: "node-a", chain: "testchain")
        #expect(items.last?[0] == .integer(995))
        #expect(items.first { $0[0] == .integer(990) }?[1] == .text("fork-990"))

        // A whole table emptied locally is emptied remotely.
        try fixture.execute("DELETE FROM settings")
        try await pusher.push()
        #expect(try await remote.rowCounts(of: "settings", namespace: namespace).isEmpty)
        await pusher.close()
        try await remote.execute("DROP SCHEMA \"\(namespace)\" CASCADE")
        await remote.close()
    }

    /// `items` read back as (id, spom_push_id): which push last wrote each remote row.
    func pushIDs(_ remote: RemoteDatabase, namespace: String) async throws -> [Int64: Int64] {
        let view = RemoteTable(name: "items", columns: [RemoteColumn("id", .bigint), RemoteColumn("spom_push_id", .bigint)], naturalKey: ["id"])
        var result: [Int64: Int64] = [:]
        for row in try await remote.rows(of: view, namespace: namespace, instance: "node-a", chain: "testchain") {
            if case .integer(let id) = row[0], case .integer(let push) = row[1] { result[id] = push }
        }
        return result
    }

    @Test("a rewrite leaves unchanged remote rows alone and still removes rows gone locally, also when the count stays the same")
    func rewriteTouchesOnlyChangedRows() async throws {
        let server = try TestPostgres.shared()
        let dir = try TemporaryDirectory(prefix: "remote-changed")
        defer { dir.remove() }
        let fixture = try LocalFixture(path: dir.path("app.db"))
        try fixture.insert(1...450)
        let namespace = freshNamespace("changed")
        let pusher = try RemotePusher(configuration: configuration(try server.target, namespace: namespace, path: fixture.path), logger: logger)
        try await pusher.push()
        let remote = try await RemoteDatabase.connect(try server.target, logger: logger)
        let before = try await pushIDs(remote, namespace: namespace)
        #expect(before.count == 450)

        // One row changed, then a full rewrite: only that row is written again.
        try fixture.execute("UPDATE items SET name = 'changed' WHERE id = 17")
        try await pusher.push(full: true)
        try await expectEqual(remote, namespace: namespace, path: fixture.path)
        let after = try await pushIDs(remote, namespace: namespace)
        #expect(after[17] != before[17])
        let rewritten = after.filter { $0.key != 17 && before[$0.key] != $0.value }.keys.sorted()
        #expect(rewritten.isEmpty, "unchanged rows were written again: \(rewritten.prefix(10))")

        // A row removed and another added in the same chunk (same row count): the stale row goes.
        try fixture.execute("DELETE FROM items WHERE id = 42; DELETE FROM tags WHERE item_id = 42")
        try fixture.execute("INSERT INTO items (id, name, flag) VALUES (0, 'new', 0)")  // chunk 0 (ids 0…99) still holds 99 rows
        try await pusher.push()
        try await expectEqual(remote, namespace: namespace, path: fixture.path)
        let ids = try await pushIDs(remote, namespace: namespace)
        #expect(ids[42] == nil && ids[0] != nil && ids.count == 450)
        await pusher.close()
        try await remote.execute("DROP SCHEMA \"\(namespace)\" CASCADE")
        await remote.close()
    }

    @Test("rows already in PostgreSQL without chunk records (records deleted by hand) are upserted, not duplicated")
    func rowsWithoutChunkRecords() async throws {
        let server = try TestPostgres.shared()
        let dir = try TemporaryDirectory(prefix: "remote-records")
        defer { dir.remove() }
        let fixture = try LocalFixture(path: dir.path("app.db"))
        try fixture.insert(1...700)
        let namespace = freshNamespace("records")
        let config = configuration(try server.target, namespace: namespace, path: fixture.path)
        let first = try RemotePusher(configuration: config, logger: logger)
        try await first.push()
        await first.close()
        let remote = try await RemoteDatabase.connect(try server.target, logger: logger)
        try await remote.execute("DELETE FROM \"\(namespace)\".spom_push_chunks")
        try fixture.execute("UPDATE items SET name = 'changed' WHERE id = 650; DELETE FROM items WHERE id = 660")

        // A new pusher finds no chunk records: every chunk looks new, its plain insert meets the
        // rows that are there, and the batch is upserted instead.
        let second = try RemotePusher(configuration: config, logger: logger)
        let report = try await second.push()
        #expect(report.rowsWritten == 699 + 2 * 700 + 1)
        try await expectEqual(remote, namespace: namespace, path: fixture.path)
        #expect(try await second.push().rowsWritten == 0)
        await second.close()
        try await remote.execute("DROP SCHEMA \"\(namespace)\" CASCADE")
        await remote.close()
    }

    @Test("between full scans only the trailing chunks are compared; a full scan catches old changes")
    func trailingWindowAndFullScan() async throws {
        let server = try TestPostgres.shared()
        let dir = try TemporaryDirectory(prefix: "remote-window")
        defer { dir.remove() }
        let fixture = try LocalFixture(path: dir.path("app.db"))
        try fixture.insert(1...1_000)
        let namespace = freshNamespace("window")
        let pusher = try RemotePusher(configuration: configuration(try server.target, namespace: namespace, path: fixture.path, fullScanEvery: 2), logger: logger)
        let first = try await pusher.push()  // the first cycle always scans everything
        #expect(first.fullScan)
        try fixture.execute("UPDATE items SET name = 'late change' WHERE id = 5")    // chunk 0: outside the window
        try fixture.execute("UPDATE items SET name = 'tip change' WHERE id = 999")   // newest chunk: inside it
        let second = try await pusher.push()
        #expect(!second.fullScan)
        #expect(second.rowsWritten == 100)  // the tip chunk of items only
        let third = try await pusher.push()
        #expect(third.fullScan)
        #expect(third.rowsWritten == 99)  // chunk 0 of items: ids 1…99
        let remote = try await RemoteDatabase.connect(try server.target, logger: logger)
        try await expectEqual(remote, namespace: namespace, path: fixture.path)
        await pusher.close()
        try await remote.execute("DROP SCHEMA \"\(namespace)\" CASCADE")
        await remote.close()
    }

    @Test("wrong credentials give a clear error without the password; the service keeps retrying and the app keeps writing")
    func wrongCredentials() async throws {
        let server = try TestPostgres.shared()
        let dir = try TemporaryDirectory(prefix: "remote-auth")
        defer { dir.remove() }
        let fixture = try LocalFixture(path: dir.path("app.db"))
        try fixture.insert(1...10)
        var target = try server.target
        target.password = "definitely-wrong-secret"
        let pusher = try RemotePusher(configuration: configuration(target, namespace: freshNamespace("auth"), path: fixture.path), logger: logger)
        let error = await #expect(throws: RemoteError.self) { try await pusher.push() }
        guard case .authentication(_, let user, _) = error else {
            Issue.record("expected an authentication error, got \(String(describing: error))")
            return
        }
        #expect(user == target.user)
        let message = error?.description ?? ""
        #expect(message.contains("rejected user \(target.user)"))
        #expect(!message.contains("definitely-wrong-secret"))
        #expect(message.contains(":***@"))

        // The service loop survives repeated failures while the application keeps writing.
        let service = RemotePushService(pusher: pusher, logger: logger)
        let task = Task { try await service.run() }
        var id: Int64 = 11
        let retried = await eventually(timeout: .seconds(15)) {
            try? fixture.insert(id...id)
            id += 1
            return await pusher.status().consecutiveFailures >= 3
        }
        #expect(retried)
        let status = await pusher.status()
        #expect(status.state == .retrying)
        #expect(status.lastError?.contains("definitely-wrong-secret") == false)
        #expect(id > 11)
        task.cancel()
        _ = try? await task.value
        #expect(await pusher.status().state == .stopped)
    }

    @Test("a remote schema written by a newer build is refused with a clear error")
    func newerRemoteSchema() async throws {
        let server = try TestPostgres.shared()
        let dir = try TemporaryDirectory(prefix: "remote-newer")
        defer { dir.remove() }
        let fixture = try LocalFixture(path: dir.path("app.db"))
        try fixture.insert(1...3)
        let namespace = freshNamespace("newer")
        let remote = try await RemoteDatabase.connect(try server.target, logger: logger)
        try await remote.execute("CREATE SCHEMA \"\(namespace)\"")
        try await remote.execute("CREATE TABLE \"\(namespace)\".spom_schema_version (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL, applied_by TEXT NOT NULL)")
        try await remote.execute("INSERT INTO \"\(namespace)\".spom_schema_version VALUES (7, 0, 'future')")
        let pusher = try RemotePusher(configuration: configuration(try server.target, namespace: namespace, path: fixture.path), logger: logger)
        let error = await #expect(throws: RemoteError.self) { try await pusher.push() }
        #expect(error == .remoteSchemaTooNew(target: try server.target.maskedURL, namespace: namespace, found: 7, supported: 1))
        try await remote.execute("DROP SCHEMA \"\(namespace)\" CASCADE")
        await remote.close()
    }

    // The server is stopped (fast shutdown) while a backfill batch is in flight: the statement
    // fails with 57P01 admin_shutdown, or the next one finds the connection closed, at once (well
    // before the 20 s operation deadline: a statement sent to the closed connection used to wait
    // for it), the service retries with backoff (connection refused meanwhile) and catches up
    // alone once the server is back. The test's own harness used to hang too: Foundation's
    // Process.waitUntilExit blocked a cooperative thread (see SpomTesting.TestPostgres.control).
    @Test("PostgreSQL stopped in the middle of a push and started again: nothing is lost, the service catches up alone")
    func serverRestart() async throws {
        let server = try TestPostgres.privateServer()
        defer { server.stop() }
        let dir = try TemporaryDirectory(prefix: "remote-restart")
        defer { dir.remove() }
        let fixture = try LocalFixture(path: dir.path("app.db"))
        try fixture.insert(1...6_000)
        let namespace = freshNamespace("restart")
        let target = try server.target
        let config = configuration(target, namespace: namespace, path: fixture.path, fullScanEvery: 10, batchRows: 300)
        let pusher = try RemotePusher(configuration: config, logger: logger)
        let service = RemotePushService(pusher: pusher, logger: logger)
        let task = Task { try await service.run() }
        defer { task.cancel() }

        // Stop the server once the first batches have landed (the backfill is still going).
        let started = await eventually(timeout: .seconds(20), interval: .milliseconds(5)) {
            await pusher.status().rowsPushedTotal > 0
        }
        #expect(started)
        try await server.control("stop")
        // Within 10 s, i.e. not by the 20 s operation deadline.
        let failed = await eventually(timeout: .seconds(10)) { await pusher.status().consecutiveFailures > 0 }
        #expect(failed, "the stop was not noticed before the operation deadline")
        let whileDown = await pusher.status()
        #expect(whileDown.lastError != nil)
        #expect(whileDown.lastError?.contains(target.password ?? "-") == false)
        try fixture.insert(6_001...6_500)  // the application keeps writing while the server is down
        try await server.control("start")

        let caughtUp = await eventually(timeout: .seconds(60), interval: .milliseconds(50)) {
            let status = await pusher.status()
            return status.consecutiveFailures == 0 && status.tables.first { $0.name == "items" }?.remoteRows == 6_500
        }
        #expect(caughtUp)
        let remote = try await RemoteDatabase.connect(target, logger: logger)
        try await expectEqual(remote, namespace: namespace, path: fixture.path)
        await remote.close()
        task.cancel()
        _ = try? await task.value
    }
}
