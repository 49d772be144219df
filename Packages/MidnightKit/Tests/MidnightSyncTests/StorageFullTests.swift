import Foundation
import Logging
import MidnightDevnode
import MidnightStore
import MidnightSync
import SpomTesting
import Synchronization
import Testing

/// Every log line a logger made (level and message), for tests that check what the operator sees.
final class LogLines: Sendable {
    private let lines = Mutex<[(level: Logger.Level, message: String)]>([])

    /// A logger writing into these lines (info and above).
    var logger: Logger {
        Logger(label: "test.sync.recorded") { _ in Handler(sink: self) }
    }

    func append(_ level: Logger.Level, _ message: String) {
        lines.withLock { $0.append((level, message)) }
    }

    /// Whether a line at `level` contains every fragment.
    func contains(_ fragments: [String], level: Logger.Level) -> Bool {
        lines.withLock { all in all.contains { line in line.level == level && fragments.allSatisfy { line.message.contains($0) } } }
    }

    var text: String { lines.withLock { $0.map { "[\($0.level)] \($0.message)" }.joined(separator: "\n") } }

    struct Handler: LogHandler {
        let sink: LogLines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) { sink.append(event.level, "\(event.message)") }
    }
}

/// A database that stops taking writes (a full disk, simulated with SQLite's page cap): the engine
/// keeps running, says so in one clear line, loses nothing, and resumes once there is room.
@Suite(.serialized) struct StorageFullTests {
    @Test func aFullDatabaseIsReportedAndTheSyncResumesWhenThereIsRoom() async throws {
        var c = DevnodeConfiguration.fastTest(seed: 33)
        c.historyBlocks = 40
        c.slotDurationMs = 100
        let h = try await SyncHarness(c)
        defer { Task { await h.stop() } }

        // A first catch-up, then a cap a few pages above what the file holds.
        try await h.catchUp()
        let before = try h.storedBlocks()
        #expect(before.count >= 40)
        let writer = try MidnightDatabase.openWriter(path: h.databasePath)
        try writer.limitSize(maxPages: try writer.pageCount() + 2)

        let logs = LogLines()
        let node = try h.client()
        let engine = SyncEngine(node: node, store: writer, configuration: h.syncConfiguration(exitAfterCatchUp: false, startBlock: nil), logger: logs.logger)
        let task = Task { try await engine.run() }
        defer { task.cancel() }

        // The chain grows (100 ms slots) and the writes stop fitting.
        let reported = await eventually(timeout: .seconds(15), interval: .milliseconds(100)) {
            logs.contains(["database full", "is full", "rolled back", "are stored", "retrying in"], level: .error)
        }
        #expect(reported, "one clear line about the full database; log:\n\(logs.text)")
        // Nothing stored before is lost, the file is sound, and nothing is half-written.
        let reader = try MidnightDatabase.openReader(path: h.databasePath)
        #expect(try reader.integrityCheck().isEmpty)
        #expect(try reader.gaps().isEmpty)
        let whileFull = try h.storedBlocks()
        #expect(Array(whileFull.prefix(before.count)).map(\.hash) == before.map(\.hash))
        let stalled = try #require(whileFull.last).number
        try await Task.sleep(for: .milliseconds(600))
        let storedWhileFull = try #require(h.storedBlocks().last).number
        #expect(storedWhileFull < h.devnode.bestNumber, "the node moved on while the database was full")

        // Room again: the engine catches up on its own (no restart) and logs that it recovered.
        try writer.limitSize(maxPages: nil)
        h.devnode.stallProduction()
        let best = h.devnode.bestNumber
        let caughtUp = await eventually(timeout: .seconds(30), interval: .milliseconds(100)) {
            ((try? h.storedBlocks().last?.number) ?? 0) >= best
        }
        #expect(caughtUp, "stored up to #\((try? h.storedBlocks().last?.number) ?? 0) of #\(best) (stalled at #\(stalled)); log:\n\(logs.text)")
        let recoveredLine = await eventually(timeout: .seconds(5), interval: .milliseconds(50)) { logs.contains(["recovered"], level: .notice) }
        #expect(recoveredLine, "log:\n\(logs.text)")
        task.cancel()
        _ = try? await task.value
        await node.shutdown()
        #expect(try h.mismatches().isEmpty)
        #expect(try reader.gaps().isEmpty)
        #expect(try reader.integrityCheck().isEmpty)
        #expect(try reader.syncStatus().lastError == nil, "the error is cleared once it recovers")
    }
}
