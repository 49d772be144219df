import Foundation
import GRDB
import SpomTesting
import SpomTestingHTTP
import SpomWebhooks
import Synchronization
import Testing

@Suite("Webhook delivery over loopback")
struct WebhookDeliveryTests {
    @Test func signedDeliveryVerifiesAndCarriesTheEventID() async throws {
        let db = try TestDatabase()
        defer { db.directory.remove() }
        let receiver = LoopbackWebhookReceiver()
        let base = try await receiver.start()
        defer { Task { await receiver.stop() } }
        let secret = WebhookSigner.generateSecret()
        let endpoint = WebhookEndpoint(name: "signed", url: "\(base)/hook", auth: "Bearer token-1", secret: secret)
        let dispatcher = WebhookDispatcher(database: db.pool, endpoints: [endpoint], settings: fastSettings(), logger: quietLogger())
        let ids = try db.enqueue(2)
        try await whileRunning(dispatcher) {
            dispatcher.wake()
            #expect(await eventually(timeout: .seconds(10)) { (try? db.counters().delivered) == 2 })
        }
        let got = receiver.requests("/hook")
        #expect(got.map(\.id) == ids)
        let signer = try WebhookSigner(secret: secret)
        for request in got {
            #expect(request.authorization == "Bearer token-1")
            #expect(request.contentType == "application/json")
            let signature = try #require(request.signature)
            #expect(signature.hasPrefix("v1,"))
            try signer.verify(id: request.id, timestamp: request.timestamp, body: request.body, signatureHeader: signature)
            // The body carries the same id as the header, first.
            let text = String(decoding: request.body, as: UTF8.self)
            #expect(text.hasPrefix(#"{"id":"\#(request.id)","event":"block_produced""#))
            // A tampered body does not verify.
            #expect(throws: WebhookSignatureError.noMatchingSignature) {
                try signer.verify(id: request.id, timestamp: request.timestamp, body: request.body + Data(" ".utf8), signatureHeader: signature)
            }
        }
        #expect(try db.counters().delivered == 2)
        #expect(try db.counters().pending == 0)
    }

    @Test func receiverFailingFirstAttemptsStillGetsTheEventOnceDelivered() async throws {
        let db = try TestDatabase()
        defer { db.directory.remove() }
        let receiver = LoopbackWebhookReceiver { ReceiverAnswer(status: $0.previousOnPath < 3 ? .internalServerError : .ok) }
        let base = try await receiver.start()
        defer { Task { await receiver.stop() } }
        let dispatcher = WebhookDispatcher(
            database: db.pool, endpoints: [WebhookEndpoint(url: "\(base)/flaky")], settings: fastSettings(), logger: quietLogger())
        let ids = try db.enqueue(1)
        try await whileRunning(dispatcher) {
            #expect(await eventually(timeout: .seconds(10)) { (try? db.counters().delivered) == 1 })
            // No further attempts once delivered.
            try await Task.sleep(for: .milliseconds(200))
        }
        let got = receiver.requests("/flaky")
        #expect(got.count == 4)
        #expect(Set(got.map(\.id)) == Set(ids))
        let counters = try db.counters()
        #expect(counters.attempts == 4)
        #expect(counters.attemptFailures == 3)
        #expect(counters.failed == 0)
        // Backoff grows: the gap before the third retry is longer than before the first.
        let gaps = zip(got.dropFirst(), got).map { $0.at - $1.at }
        #expect(gaps[0] >= .milliseconds(10))
        #expect(gaps[2] >= .milliseconds(40))
    }

    @Test func deliveryIsParkedAfterRetriesCountedAndCanBeRetried() async throws {
        let db = try TestDatabase()
        defer { db.directory.remove() }
        let receiver = LoopbackWebhookReceiver { _ in ReceiverAnswer(status: .badGateway) }
        let base = try await receiver.start()
        defer { Task { await receiver.stop() } }
        let endpoint = WebhookEndpoint(name: "down", url: "\(base)/down")
        let dispatcher = WebhookDispatcher(
            database: db.pool, endpoints: [endpoint], settings: fastSettings(retryAttempts: 2), logger: quietLogger())
        let ids = try db.enqueue(1)
        try await whileRunning(dispatcher) {
            #expect(await eventually(timeout: .seconds(10)) { (try? db.counters().failed) == 1 })
            #expect(receiver.requests("/down").count == 3)
            let failed = try await db.pool.read { try WebhookOutbox.failedDeliveries($0) }
            #expect(failed.map(\.eventID) == ids)
            #expect(failed.first?.attempts == 3)
            #expect(failed.first?.lastStatus == 502)
            #expect(failed.first?.lastError == "HTTP 502")
            #expect(try db.counters().pending == 0)

            receiver.setScript { _ in ReceiverAnswer() }
            let requeued = try await db.pool.write { try WebhookOutbox.retryFailed($0, endpoint: "down") }
            #expect(requeued == 1)
            dispatcher.wake()
            #expect(await eventually(timeout: .seconds(10)) { (try? db.counters().delivered) == 1 })
        }
        #expect(Set(receiver.requests("/down").map(\.id)) == Set(ids))
        #expect(try await db.pool.read { try WebhookOutbox.failedDeliveries($0) }.isEmpty)
    }

    @Test func goneDisablesTheEndpointOnly() async throws {
        let db = try TestDatabase()
        defer { db.directory.remove() }
        let receiver = LoopbackWebhookReceiver { ReceiverAnswer(status: $0.path == "/gone" ? .gone : .ok) }
        let base = try await receiver.start()
        defer { Task { await receiver.stop() } }
        let gone = WebhookEndpoint(name: "gone", url: "\(base)/gone")
        let fine = WebhookEndpoint(name: "fine", url: "\(base)/fine")
        let dispatcher = WebhookDispatcher(database: db.pool, endpoints: [gone, fine], settings: fastSettings(), logger: quietLogger())
        try db.enqueue(1)
        try await whileRunning(dispatcher) {
            #expect(await eventually(timeout: .seconds(10)) {
                (try? db.pool.read { try WebhookOutbox.endpoints($0) }.first { $0.name == "gone" }?.disabledAtMs) != nil
            })
            try db.enqueue(2, from: 2)
            dispatcher.wake()
            #expect(await eventually(timeout: .seconds(10)) { receiver.requests("/fine").count == 3 })
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(receiver.requests("/gone").count == 1)
        let state = try await db.pool.read { try WebhookOutbox.endpoints($0) }
        #expect(state.first { $0.name == "gone" }?.disabledReason == "410 Gone")
        #expect(try db.counters().failed == 1)
    }

    @Test func retryAfterIsHonoured() async throws {
        let db = try TestDatabase()
        defer { db.directory.remove() }
        let receiver = LoopbackWebhookReceiver { attempt in
            attempt.previousOnPath == 0 ? ReceiverAnswer(status: .tooManyRequests, headers: [("Retry-After", "1")]) : ReceiverAnswer()
        }
        let base = try await receiver.start()
        defer { Task { await receiver.stop() } }
        let dispatcher = WebhookDispatcher(
            database: db.pool, endpoints: [WebhookEndpoint(url: "\(base)/throttled")], settings: fastSettings(retryDelayMs: 10),
            logger: quietLogger())
        try db.enqueue(1)
        try await whileRunning(dispatcher) {
            #expect(await eventually(timeout: .seconds(10)) { (try? db.counters().delivered) == 1 })
        }
        let got = receiver.requests("/throttled")
        #expect(got.count == 2)
        // Backoff alone would retry after ~10 ms; Retry-After says 1 s.
        #expect(got[1].at - got[0].at >= .milliseconds(950))
    }

    @Test func orderIsKeptPerEndpointAndASlowEndpointDoesNotHoldUpOthers() async throws {
        let db = try TestDatabase()
        defer { db.directory.remove() }
        let receiver = LoopbackWebhookReceiver { attempt in
            let previous = attempt.previousOnPath
            return switch attempt.path {
            case "/ordered": ReceiverAnswer(status: previous < 2 ? .serviceUnavailable : .ok)  // the first event fails twice
            case "/slow": ReceiverAnswer(delay: .seconds(1))
            default: ReceiverAnswer()
            }
        }
        let base = try await receiver.start()
        defer { Task { await receiver.stop() } }
        let endpoints = [
            WebhookEndpoint(name: "ordered", url: "\(base)/ordered"),
            WebhookEndpoint(name: "slow", url: "\(base)/slow"),
            WebhookEndpoint(name: "fast", url: "\(base)/fast"),
        ]
        let dispatcher = WebhookDispatcher(database: db.pool, endpoints: endpoints, settings: fastSettings(), logger: quietLogger())
        let ids = try db.enqueue(5)
        try await whileRunning(dispatcher) {
            #expect(await eventually(timeout: .seconds(3)) { receiver.requests("/fast").count == 5 })
            #expect(receiver.requests("/slow").count < 5)
            #expect(await eventually(timeout: .seconds(5)) { receiver.requests("/ordered").count == 7 })
        }
        #expect(receiver.requests("/fast").map(\.id) == ids)
        let ordered = receiver.requests("/ordered").map(\.id)
        // Event 1 three times (two failures), then 2...5 in order; nothing overtook event 1.
        #expect(ordered == [ids[0], ids[0], ids[0]] + ids[1...])
    }

    @Test func aNewDispatcherOnTheSameDatabaseDeliversWhatWasPending() async throws {
        let db = try TestDatabase()
        defer { db.directory.remove() }
        let receiver = LoopbackWebhookReceiver { _ in ReceiverAnswer(status: .serviceUnavailable) }
        let base = try await receiver.start()
        defer { Task { await receiver.stop() } }
        let endpoint = WebhookEndpoint(name: "restart", url: "\(base)/restart")
        let ids = try db.enqueue(3)
        let first = WebhookDispatcher(database: db.pool, endpoints: [endpoint], settings: fastSettings(retryAttempts: 50), logger: quietLogger())
        try await whileRunning(first) {
            #expect(await eventually(timeout: .seconds(10)) { receiver.requests("/restart").count >= 2 })
        }
        let beforeRestart = Set(receiver.requests("/restart").map(\.id))
        #expect(beforeRestart == [ids[0]])

        // "Restart": the receiver recovers, and a new dispatcher opens the same file afresh.
        receiver.setScript { _ in ReceiverAnswer() }
        let reopened = try TestDatabase.open(db.directory.path("app.db"))
        let second = WebhookDispatcher(database: reopened, endpoints: [endpoint], settings: fastSettings(retryAttempts: 50), logger: quietLogger())
        try await whileRunning(second) {
            #expect(await eventually(timeout: .seconds(10)) { (try? reopened.read { try WebhookOutbox.counters($0) }.delivered) == 3 })
        }
        // Reconfigured without the endpoint: its rows can be found and dropped.
        try await reopened.write { db in
            try WebhookOutbox.enqueue(db, type: "x", payload: Data("{}".utf8), onlyEndpoint: "restart")
            try db.execute(
                sql: "INSERT INTO webhook_delivery (endpoint, event_seq, state, next_attempt_at) SELECT 'restart', MAX(seq), 'pending', 0 FROM webhook_event")
        }
        let orphans = try await reopened.read { try WebhookOutbox.orphanedEndpoints($0, configured: ["other"]) }
        #expect(orphans.map(\.name) == ["restart"])
        #expect(orphans.first?.pending == 1)
        #expect(try await reopened.write { try WebhookOutbox.removeEndpoint($0, name: "restart") } == 1)
        #expect(try await reopened.read { try WebhookOutbox.counters($0).pending } == 0)
        let all = receiver.requests("/restart").map(\.id)
        // Every event arrived; the retried one is a duplicate with the same id, never a new id.
        #expect(Set(all) == Set(ids))
        #expect(all.filter { $0 != ids[0] } == [ids[1], ids[2]])
    }

    @Test func eventsCommittedInProcessGoOutWithoutWaitingForThePoll() async throws {
        let db = try TestDatabase()
        defer { db.directory.remove() }
        let receiver = LoopbackWebhookReceiver()
        let base = try await receiver.start()
        defer { Task { await receiver.stop() } }
        var settings = fastSettings()
        settings.pollInterval = .seconds(60)
        let dispatcher = WebhookDispatcher(
            database: db.pool, endpoints: [WebhookEndpoint(url: "\(base)/prompt")], settings: settings, logger: quietLogger())
        try await whileRunning(dispatcher) {
            try await Task.sleep(for: .milliseconds(300))  // the worker is idle, waiting for the (long) poll
            try db.enqueue(1)
            #expect(await eventually(timeout: .seconds(5)) { (try? db.counters().delivered) == 1 })
        }
    }

    @Test func runsUntilCancelledEvenWithNothingToDo() async throws {
        let db = try TestDatabase()
        defer { db.directory.remove() }
        var settings = fastSettings()
        settings.retention = nil
        let dispatcher = WebhookDispatcher(database: db.pool, endpoints: [], settings: settings, logger: quietLogger())
        let finished = Mutex(false)
        let task = Task {
            try await dispatcher.run()
            finished.withLock { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(!finished.withLock { $0 })
        task.cancel()
        _ = await task.result
        #expect(finished.withLock { $0 })
    }

    @Test func targetedEventReachesOnlyItsEndpoint() async throws {
        let db = try TestDatabase()
        defer { db.directory.remove() }
        let receiver = LoopbackWebhookReceiver()
        let base = try await receiver.start()
        defer { Task { await receiver.stop() } }
        let endpoints = [
            WebhookEndpoint(name: "a", url: "\(base)/a", events: ["block_produced"]),
            WebhookEndpoint(name: "b", url: "\(base)/b"),
        ]
        let dispatcher = WebhookDispatcher(database: db.pool, endpoints: endpoints, settings: fastSettings(), logger: quietLogger())
        let id = try await db.pool.write { db in
            try WebhookOutbox.enqueue(db, type: "test", payload: Data(#"{"event":"test"}"#.utf8), onlyEndpoint: "a")
        }
        try await whileRunning(dispatcher) {
            #expect(await eventually(timeout: .seconds(5)) { (try? db.counters().delivered) == 1 })
            try await Task.sleep(for: .milliseconds(150))
        }
        #expect(receiver.requests("/a").map(\.id) == [id])
        #expect(receiver.requests("/b").isEmpty)
    }

    @Test func filtersAndChatFormats() async throws {
        let db = try TestDatabase()
        defer { db.directory.remove() }
        let receiver = LoopbackWebhookReceiver()
        let base = try await receiver.start()
        defer { Task { await receiver.stop() } }
        let endpoints = [
            WebhookEndpoint(name: "alerts-only", url: "\(base)/alerts", events: ["sync_alert"]),
            WebhookEndpoint(name: "slack", url: "\(base)/slack", format: .slack),
            WebhookEndpoint(name: "telegram", url: "\(base)/telegram", format: .telegram, chatID: "-100123"),
        ]
        let dispatcher = WebhookDispatcher(database: db.pool, endpoints: endpoints, settings: fastSettings(), logger: quietLogger())
        try db.enqueue(1, type: "block_produced", from: 1)
        try db.enqueue(1, type: "sync_alert", from: 2)
        try await whileRunning(dispatcher) {
            #expect(await eventually(timeout: .seconds(10)) { (try? db.counters().delivered) == 5 })
        }
        #expect(receiver.requests("/alerts").compactMap(number) == [2])
        let slack = receiver.requests("/slack").map { String(decoding: $0.body, as: UTF8.self) }
        #expect(slack == [#"{"text":"block 1"}"#, #"{"text":"block 2"}"#])
        let telegram = receiver.requests("/telegram").map { String(decoding: $0.body, as: UTF8.self) }
        #expect(telegram.first == #"{"chat_id":"-100123","text":"block 1"}"#)
    }
}
