import Foundation
import GRDB
import SpomTesting
import SpomWebhooks
import Testing

struct RollBack: Error {}

@Suite("Webhook outbox, signing and retry policy")
struct WebhookOutboxTests {
    @Test func eventsCommitAndRollBackWithTheAppState() throws {
        let db = try TestDatabase()
        defer { db.directory.remove() }
        let committed = try db.pool.write { db in
            try db.execute(sql: "INSERT INTO block (number, author) VALUES (1, 'me')")
            return try WebhookOutbox.enqueue(db, type: "block_produced", payload: Data(#"{"number":1}"#.utf8))
        }
        #expect(throws: RollBack.self) {
            try db.pool.write { db in
                try db.execute(sql: "INSERT INTO block (number, author) VALUES (2, 'me')")
                try WebhookOutbox.enqueue(db, type: "block_produced", payload: Data(#"{"number":2}"#.utf8))
                throw RollBack()
            }
        }
        let (blocks, events) = try db.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM block") ?? -1,
             try String.fetchAll(db, sql: "SELECT id FROM webhook_event"))
        }
        #expect(blocks == 1)
        #expect(events == [committed])
    }

    @Test func payloadGetsTheIDUnlessItHasOne() throws {
        let db = try TestDatabase()
        defer { db.directory.remove() }
        struct Payload: Encodable { let event = "epoch_summary"; let blocksProduced = 3 }
        try db.pool.write { db in
            try WebhookOutbox.enqueue(db, type: "a", payload: Data("{}".utf8), id: "E1")
            try WebhookOutbox.enqueue(db, type: "b", payload: Data(#"{"id":"mine","x":1}"#.utf8), id: "E2")
            try WebhookOutbox.enqueue(db, type: "c", payload: Payload(), id: "E3")
            #expect(throws: WebhookOutboxError.payloadNotAnObject) {
                try WebhookOutbox.enqueue(db, type: "d", payload: Data("[1]".utf8))
            }
        }
        let payloads = try db.pool.read { try Data.fetchAll($0, sql: "SELECT payload FROM webhook_event ORDER BY seq") }
            .map { String(decoding: $0, as: UTF8.self) }
        #expect(payloads == [#"{"id":"E1"}"#, #"{"id":"mine","x":1}"#, #"{"id":"E3","blocks_produced":3,"event":"epoch_summary"}"#])
    }

    @Test func eventIDsAreTimeOrderedULIDs() {
        let a = WebhookEventID.generate(now: Date(timeIntervalSince1970: 1_700_000_000))
        let b = WebhookEventID.generate(now: Date(timeIntervalSince1970: 1_700_000_001))
        #expect(a.count == 26)
        #expect(a < b)
        #expect(a.allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) })
        #expect(WebhookEventID.generate() != WebhookEventID.generate())
        var zero = ZeroGenerator()
        #expect(WebhookEventID.generate(milliseconds: 0, using: &zero) == String(repeating: "0", count: 26))
        #expect(WebhookEventID.generate(milliseconds: 1_469_918_176_385, using: &zero) == "01ARYZ6S410000000000000000")
    }

    @Test func standardWebhooksSignatureVector() throws {
        // The example from the Standard Webhooks reference libraries.
        let signer = try WebhookSigner(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let body = Data(#"{"test": 2432232314}"#.utf8)
        let signature = signer.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body)
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        let sent = Date(timeIntervalSince1970: 1_614_265_330)
        try signer.verify(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330", body: body,
            signatureHeader: "v1,bm9wZQ== \(signature)", now: sent)
        #expect(throws: WebhookSignatureError.staleTimestamp) {
            try signer.verify(
                id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330", body: body, signatureHeader: signature,
                now: sent.addingTimeInterval(3600))
        }
        #expect(throws: WebhookSignatureError.noMatchingSignature) {
            try signer.verify(id: "msg_other", timestamp: "1614265330", body: body, signatureHeader: signature, now: sent)
        }
        #expect(throws: WebhookSignatureError.invalidSecret) { try WebhookSigner(secret: "whsec_!!!") }
        // A raw secret works too.
        let raw = try WebhookSigner(secret: "plain-text-secret")
        #expect(raw.signature(id: "a", timestamp: 1, body: Data()).hasPrefix("v1,"))
    }

    @Test func retryPolicyClassifiesAndBacksOff() {
        #expect(WebhookRetryPolicy.classify(status: 204, headers: [], body: Data()) == .delivered)
        #expect(WebhookRetryPolicy.classify(status: 410, headers: [], body: Data()) == .gone)
        #expect(WebhookRetryPolicy.classify(status: 301, headers: [], body: Data()) == .retry(reason: "HTTP 301", status: 301, retryAfter: nil))
        #expect(
            WebhookRetryPolicy.classify(status: 503, headers: [("Retry-After", "7")], body: Data())
                == .retry(reason: "HTTP 503", status: 503, retryAfter: .seconds(7)))
        #expect(
            WebhookRetryPolicy.classify(status: 429, headers: [], body: Data(#"{"retry_after": 1.5}"#.utf8))
                == .retry(reason: "HTTP 429", status: 429, retryAfter: .milliseconds(1500)))
        #expect(
            WebhookRetryPolicy.classify(status: 429, headers: [], body: Data(#"{"ok":false,"parameters":{"retry_after":3}}"#.utf8))
                == .retry(reason: "HTTP 429", status: 429, retryAfter: .seconds(3)))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(WebhookRetryPolicy.parseRetryAfter("Tue, 14 Nov 2023 22:13:40 GMT", now: now) == .seconds(20))
        #expect(WebhookRetryPolicy.parseRetryAfter("soon", now: now) == nil)

        var generator = SystemRandomNumberGenerator()
        for attempt in 1...8 {
            let delay = WebhookRetryPolicy.delay(attempt: attempt, base: .milliseconds(100), cap: .seconds(10), retryAfter: nil, using: &generator)
            let full = min(100 * (1 << (attempt - 1)), 10_000)
            #expect(delay >= .milliseconds(full / 2) && delay <= .milliseconds(full))
        }
        let honoured = WebhookRetryPolicy.delay(attempt: 1, base: .milliseconds(100), cap: .seconds(10), retryAfter: .seconds(3), using: &generator)
        #expect(honoured == .seconds(3))
        let capped = WebhookRetryPolicy.delay(attempt: 1, base: .milliseconds(100), cap: .seconds(10), retryAfter: .seconds(99), using: &generator)
        #expect(capped == .seconds(10))
        let huge = WebhookRetryPolicy.delay(attempt: 500, base: .seconds(1), cap: .seconds(60), retryAfter: nil, using: &generator)
        #expect(huge <= .seconds(60))
    }

    @Test func chatBodiesAndEndpointValidation() {
        let payload = Data(#"{"event":"sync_alert"}"#.utf8)
        func text(_ format: WebhookFormat, summary: String? = "Node stalled ⚠️") -> String {
            String(decoding: WebhookMessageFormatter.body(format: format, type: "sync_alert", payload: payload, summary: summary, chatID: "42"), as: UTF8.self)
        }
        #expect(text(.json) == #"{"event":"sync_alert"}"#)
        #expect(text(.slack) == #"{"text":"Node stalled ⚠️"}"#)
        #expect(text(.discord) == #"{"content":"Node stalled ⚠️"}"#)
        #expect(text(.telegram) == #"{"chat_id":"42","text":"Node stalled ⚠️"}"#)
        #expect(text(.slack, summary: nil).contains("sync_alert: "))
        #expect(text(.discord, summary: String(repeating: "x", count: 3000)).count == 2000 + #"{"content":""}"#.count)

        #expect(WebhookEndpoint(url: "https://hooks.slack.com/services/T/B/secret").validate().isEmpty)
        #expect(WebhookEndpoint(url: "https://hooks.slack.com/services/T/B/secret").loggableURL == "https://hooks.slack.com")
        #expect(WebhookEndpoint(url: "https://x.example/a").name == WebhookEndpoint(url: "https://x.example/a").name)
        #expect(WebhookEndpoint(url: "https://x.example/a").name != WebhookEndpoint(url: "https://x.example/b").name)
        #expect(!WebhookEndpoint(url: "ftp://x").validate().isEmpty)
        #expect(!WebhookEndpoint(url: "https://api.telegram.org/botT/sendMessage", format: .telegram).validate().isEmpty)
        #expect(!WebhookEndpoint(url: "https://x.example", secret: "whsec_***").validate().isEmpty)
        #expect(WebhookEndpoint(url: "https://x.example", events: ["a"]).subscribes(to: "a"))
        #expect(!WebhookEndpoint(url: "https://x.example", events: ["a"]).subscribes(to: "b"))
        #expect(WebhookEndpoint(url: "https://x.example").subscribes(to: "anything"))
    }
}

struct ZeroGenerator: RandomNumberGenerator {
    mutating func next() -> UInt64 { 0 }
}
