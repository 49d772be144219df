import Foundation
import GRDB
import Logging
import MidnightDevnode
import MidnightEvents
import MidnightStore
import SpomTesting
import SpomTestingHTTP
import SpomWebhooks
import Synchronization
import Testing

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let ms = Mutex<UInt64>(1_800_000_000_000)
    var date: Date { Date(timeIntervalSince1970: Double(ms.withLock { $0 }) / 1000) }
    func advance(seconds: UInt64) { ms.withLock { $0 += seconds * 1000 } }
}

/// A node source that answers what the test says.
final class ScriptedSource: SyncHealthSource {
    let next = Mutex(SyncHealthObservation(reachable: true, bestBlock: 10, finalizedBlock: 8))
    func observe() async -> SyncHealthObservation { next.withLock { $0 } }
}

@Suite(.serialized) struct SyncAlertTests {
    static func quiet() -> Logger { Logger(label: "test") { _ in SwiftLogNoOpLogHandler() } }

    static func service(_ writer: StoreWriter, clock: TestClock, reminder: Duration? = .seconds(600)) -> SyncAlertService {
        SyncAlertService(
            store: writer, source: ScriptedSource(),
            settings: SyncAlertSettings(fallingBehindBlocks: 50, stalledAfter: .seconds(120), finalityLagBlocks: 100, reminderInterval: reminder),
            context: MidnightEventContext(chain: "midnight", instance: "n1", now: { clock.date }), logger: quiet())
    }

    static func payload(_ writer: StoreWriter, id: String) throws -> [String: Any] {
        let data = try writer.write("read") { db in try Data.fetchOne(db, sql: "SELECT payload FROM webhook_event WHERE id = ?", arguments: [id]) }
        let bytes = try #require(data)
        return try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
    }

    /// Alert once, remind at the interval, recover once; the state survives a restart.
    @Test func unreachableAlertsOnceRemindsAndRecoversAcrossARestart() throws {
        let directory = try TemporaryDirectory(prefix: "alerts")
        defer { directory.remove() }
        let path = directory.path("mvm.db")
        let clock = TestClock()
        var writer = try MidnightDatabase.openWriter(path: path)
        try MidnightEventsDatabase.prepare(writer)
        var service = Self.service(writer, clock: clock)
        let down = SyncHealthObservation(reachable: false, error: "connection refused")
        let up = SyncHealthObservation(reachable: true, bestBlock: 10, finalizedBlock: 9)

        #expect(try service.evaluate(up) == [])
        let fired = try service.evaluate(down)
        #expect(fired.count == 1)
        let firing = try Self.payload(writer, id: fired[0])
        #expect(firing["event"] as? String == "sync_alert")
        #expect(firing["alert"] as? String == "node_unreachable")
        #expect(firing["state"] as? String == "firing")
        #expect(firing["error"] as? String == "connection refused")
        clock.advance(seconds: 60)
        #expect(try service.evaluate(down) == [], "no repeat before the reminder interval")
        clock.advance(seconds: 600)
        let reminded = try service.evaluate(down)
        #expect(reminded.count == 1)
        #expect(try Self.payload(writer, id: reminded[0])["state"] as? String == "reminder")
        #expect(try service.activeConditions() == [.nodeUnreachable])

        // Restart: a new writer and service on the same file remember the alert.
        try writer.close()
        writer = try MidnightDatabase.openWriter(path: path)
        try MidnightEventsDatabase.prepare(writer)
        service = Self.service(writer, clock: clock)
        clock.advance(seconds: 5)
        #expect(try service.evaluate(down) == [], "no second alert after a restart")
        clock.advance(seconds: 5)
        // The node is back and its chain moved on while it was away (so it is not stalled).
        let back = SyncHealthObservation(reachable: true, bestBlock: 11, finalizedBlock: 10)
        let recovered = try service.evaluate(back)
        #expect(recovered.count == 1)
        let message = try Self.payload(writer, id: recovered[0])
        #expect(message["alert"] as? String == "recovered")
        #expect(message["condition"] as? String == "node_unreachable")
        #expect(message["state"] as? String == "resolved")
        #expect((message["duration_secs"] as? Int ?? 0) >= 670)
        #expect(try service.evaluate(back) == [])
        #expect(try service.activeConditions().isEmpty)
        // A new outage is a new alert with its own id.
        clock.advance(seconds: 5)
        let again = try service.evaluate(down)
        #expect(again.count == 1 && again[0] != fired[0])
    }

    /// `stalled`, `falling_behind` and `finality_lagging` start and clear on their thresholds.
    @Test func thresholdConditions() throws {
        let directory = try TemporaryDirectory(prefix: "alerts-thresholds")
        defer { directory.remove() }
        let clock = TestClock()
        let writer = try MidnightDatabase.openWriter(path: directory.path("mvm.db"))
        try MidnightEventsDatabase.prepare(writer)
        let service = Self.service(writer, clock: clock, reminder: nil)
        let stored = NewBlock(
            number: 100, hash: "0x" + String(repeating: "11", count: 32), parentHash: "0x" + String(repeating: "00", count: 32), slot: 100,
            sidechainEpoch: 0, mainchainEpoch: 0, timestampMs: 600_000, extrinsicsCount: 1, author: .unattributed(.unknown, auraKey: nil))
        try writer.insertBlocks([stored])

        #expect(try service.evaluate(SyncHealthObservation(reachable: true, bestBlock: 120, finalizedBlock: 118)) == [])
        clock.advance(seconds: 119)
        #expect(try service.evaluate(SyncHealthObservation(reachable: true, bestBlock: 120, finalizedBlock: 118)) == [])
        clock.advance(seconds: 2)
        let stalled = try service.evaluate(SyncHealthObservation(reachable: true, bestBlock: 120, finalizedBlock: 118))
        #expect(stalled.count == 1 && stalled[0].contains("stalled"))
        #expect(try service.activeConditions() == [.stalled])
        // The best block moves far ahead of the database and of finality.
        clock.advance(seconds: 1)
        let moved = try service.evaluate(SyncHealthObservation(reachable: true, bestBlock: 300, finalizedBlock: 150))
        #expect(Set(moved.map { $0.split(separator: "-")[2] }) == ["stalled", "falling_behind", "finality_lagging"])
        #expect(try service.activeConditions() == [.fallingBehind, .finalityLagging])
        let behind = try #require(moved.first { $0.contains("falling_behind") })
        #expect(try Self.payload(writer, id: behind)["blocks_behind"] as? Int == 200)
        clock.advance(seconds: 1)
        let caughtUp = try service.evaluate(SyncHealthObservation(reachable: true, bestBlock: 130, finalizedBlock: 128))
        #expect(caughtUp.count == 2 && caughtUp.allSatisfy { $0.hasSuffix("-r") })
        #expect(try service.activeConditions().isEmpty)
    }

    /// Against the simulated node: production stalls and resumes, the node goes away and comes
    /// back; the receiver gets firing and recovered for each.
    @Test func devnodeStallAndOutageReachTheReceiver() async throws {
        var configuration = DevnodeConfiguration.fastTest(seed: 5)
        configuration.historyBlocks = 20
        let h = try await EventHarness(configuration)
        defer { Task { await h.stop() } }
        let service = SyncAlertService(
            store: h.writer, source: NodeHealthSource(node: try h.client(maxRetries: 0)),
            settings: SyncAlertSettings(fallingBehindBlocks: 0, stalledAfter: .seconds(1), finalityLagBlocks: 0, reminderInterval: nil, checkInterval: .milliseconds(100)),
            context: h.context, logger: h.logger)
        let running = Task { try await service.run() }
        let dispatch = Task { try await h.dispatcher.run() }
        defer {
            running.cancel()
            dispatch.cancel()
        }
        func alerts(_ alert: String, _ state: String) -> [LoopbackWebhookReceiver.Request] {
            h.receiver.accepted("sync_alert").filter { $0.json["condition"] as? String == alert && $0.json["state"] as? String == state }
        }
        try await Task.sleep(for: .milliseconds(500))
        #expect(h.receiver.accepted("sync_alert").isEmpty, "a healthy node raises nothing")
        h.devnode.stallProduction()
        #expect(await eventually(timeout: .seconds(10)) { alerts("stalled", "firing").count == 1 })
        h.devnode.resumeProduction()
        #expect(await eventually(timeout: .seconds(10)) { alerts("stalled", "resolved").count == 1 })
        #expect(alerts("stalled", "resolved").first?.json["alert"] as? String == "recovered")
        await h.devnode.stopServer()
        #expect(await eventually(timeout: .seconds(10)) { alerts("node_unreachable", "firing").count == 1 })
        try await h.devnode.startServer()
        #expect(await eventually(timeout: .seconds(10)) { alerts("node_unreachable", "resolved").count == 1 })
        try await Task.sleep(for: .milliseconds(300))
        #expect(alerts("stalled", "firing").count == 1 && alerts("node_unreachable", "firing").count == 1, "each alerted once")
    }
}
