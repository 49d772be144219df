import Foundation
import MidnightDevnode
import MidnightStore
import MidnightTesting
import SpomTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `mvm-sync` killed with SIGKILL at random moments (during catch-up and at the tip) and
/// restarted, and the node going away and coming back: the database must end up equal to the
/// node's ground truth, sound, with no gap, no duplicate and nothing lost that was stored before
/// a kill.
@Suite("mvm-sync crash safety", .serialized)
struct SyncCrashTests {
    /// A node with a few thousand history blocks (a catch-up of a second or two in a debug build)
    /// and short slots, timed like the preview network for the mainchain epoch.
    static func startNode(seed: UInt64, history: Int) async throws -> Devnode {
        var c = DevnodeConfiguration.fastTest(seed: seed, flavour: .v0_18)
        c.historyBlocks = history
        c.slotDurationMs = 200
        c.slotsPerEpoch = 50
        c.missedSlotRate = 0.05
        c.finalityStallRate = 0.2
        // The daemon runs with the preview preset's Cardano epochs (1 day).
        c.mainchainEpochLengthMs = 86_400_000
        c.mainchainSlotMs = 1000
        let node = try Devnode(configuration: c)
        try await node.start()
        return node
    }

    /// Every stored block, lowest first, through the public reader.
    static func stored(_ path: String) throws -> [StoredBlock] {
        try GroundTruthCheck.storedBlocks(databasePath: path)
    }

    /// Problems with the file's structure: integrity, gaps, duplicates, counts.
    static func soundness(_ path: String) throws -> [String] {
        let reader = try MidnightDatabase.openReader(path: path)
        defer { try? reader.close() }
        var problems = try reader.integrityCheck().map { "integrity_check: \($0)" }
        let gaps = try reader.gaps()
        if !gaps.isEmpty { problems.append("gaps: \(gaps.map { "#\($0.start)-#\($0.end)" })") }
        let blocks = try stored(path)
        if let first = blocks.first, let last = blocks.last, UInt64(blocks.count) != last.number - first.number + 1 {
            problems.append("\(blocks.count) rows for #\(first.number)-#\(last.number): duplicates or holes")
        }
        // The maintained per-validator counts match the blocks (no write half-applied).
        let counted = try reader.validators(ValidatorQuery(limit: 1000)).validators.reduce(0) { $0 + $1.blocksTotal }
        let attributed = blocks.filter { $0.author != nil }.count
        if counted != attributed { problems.append("validators' blocks_total sum \(counted) != \(attributed) attributed blocks") }
        return problems
    }

    /// Mismatches between the stored blocks and the node's ground truth (blocks from 1 to the best).
    static func mismatches(_ path: String, _ node: Devnode) throws -> [String] {
        GroundTruthCheck.mismatches(stored: try stored(path), truth: node.groundTruth(), requireEveryBlock: true)
    }

    static func environment(_ directory: TemporaryDirectory, _ node: Devnode, db: String) -> [String: String] {
        var env = CLI.isolatedEnvironment(directory, rpcPort: node.port)
        env["MVM_DB_PATH"] = db
        return env
    }

    @Test func killedAtRandomMomentsItLosesNothingAndEndsEqualToTheNode() async throws {
        let directory = try TemporaryDirectory(prefix: "sync-crash")
        defer { directory.remove() }
        let logs = try TemporaryDirectory(prefix: "sync-crash-logs")
        defer { logs.remove() }
        let node = try await Self.startNode(seed: 77, history: 5000)
        defer { Task { await node.stop() } }
        let db = directory.path("mvm.db")
        let env = Self.environment(directory, node, db: db)
        let executable = try CLI.path("mvm-sync")
        var generator = SystemRandomNumberGenerator()
        var killsDuringCatchUp = 0
        var killsAtTheTip = 0

        // Five kills: three at random moments of the catch-up, two at random moments at the tip.
        for trial in 0..<5 {
            let atTip = trial >= 3
            let sync = try ChildProcess(executable, [], environment: env, currentDirectory: directory.url.path, logDirectory: logs)
            if atTip {
                let caughtUp = await eventually(timeout: .seconds(60), interval: .milliseconds(50)) {
                    ((try? Self.stored(db).last?.number) ?? 0) + 3 >= node.bestNumber
                }
                #expect(caughtUp, "trial \(trial): never reached the tip; stderr:\n\(sync.stderr)")
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...1200, using: &generator)))
            } else {
                // Wait for some rows (the first run also creates the file), then a random moment.
                _ = await eventually(timeout: .seconds(30), interval: .milliseconds(20)) { ((try? Self.stored(db).count) ?? 0) > 0 }
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...400, using: &generator)))
            }
            let seen = (try? Self.stored(db)) ?? []
            #expect(sync.isRunning, "trial \(trial): mvm-sync exited on its own; stderr:\n\(sync.stderr)")
            await sync.kill9()
            if !atTip, let last = seen.last?.number, last + 10 < node.bestNumber { killsDuringCatchUp += 1 }
            if atTip { killsAtTheTip += 1 }

            // After the kill: sound, and every block seen before it is still there, unchanged.
            let unsound = try Self.soundness(db)
            #expect(unsound.isEmpty, "trial \(trial): \(unsound)")
            let after = try Self.stored(db)
            let afterByNumber = Dictionary(uniqueKeysWithValues: after.map { ($0.number, $0.hash) })
            let lost = seen.filter { afterByNumber[$0.number] != $0.hash }
            #expect(lost.isEmpty, "trial \(trial): \(lost.count) blocks seen before the kill are gone or changed, first #\(lost.first?.number ?? 0)")
        }
        #expect(killsDuringCatchUp >= 2, "the catch-up kills should land before the tip (\(killsDuringCatchUp) did)")
        #expect(killsAtTheTip == 2)

        // A last run converges on the node's chain; then a graceful stop.
        let sync = try ChildProcess(executable, [], environment: env, currentDirectory: directory.url.path, logDirectory: logs)
        _ = await eventually(timeout: .seconds(60), interval: .milliseconds(50)) { ((try? Self.stored(db).last?.number) ?? 0) + 3 >= node.bestNumber }
        node.stallProduction()
        let best = node.bestNumber
        let converged = await eventually(timeout: .seconds(30), interval: .milliseconds(100)) {
            ((try? Self.stored(db).last?.number) ?? 0) >= best
        }
        #expect(converged, "stderr:\n\(sync.stderr)")
        // The rows may all be there from the last killed run: wait until this run is following the
        // tip, so the SIGTERM meets its shutdown handling rather than a process still starting.
        let following = await eventually(timeout: .seconds(30), interval: .milliseconds(50)) {
            sync.stderr.contains("following the chain tip")
        }
        #expect(following, "stderr:\n\(sync.stderr)")
        sync.send(SIGTERM)
        let status = await sync.wait(timeout: .seconds(20))
        if status == nil { await sync.kill9() }
        #expect(status == 0, "graceful stop; stderr:\n\(sync.stderr)")
        let problems = try Self.mismatches(db, node)
        #expect(problems.isEmpty, "\(problems.count) mismatches with the node: \(problems.prefix(10))")
        #expect(try Self.soundness(db).isEmpty)
    }

    @Test func theNodeGoingAwayAndComingBackIsLoggedAndRecovered() async throws {
        let directory = try TemporaryDirectory(prefix: "sync-node-away")
        defer { directory.remove() }
        let logs = try TemporaryDirectory(prefix: "sync-node-away-logs")
        defer { logs.remove() }
        let node = try await Self.startNode(seed: 78, history: 300)
        defer { Task { await node.stop() } }
        let db = directory.path("mvm.db")
        let env = Self.environment(directory, node, db: db)
        let sync = try ChildProcess(try CLI.path("mvm-sync"), ["--daemon"], environment: env, currentDirectory: directory.url.path, logDirectory: logs)
        defer { if sync.isRunning { sync.send(SIGKILL) } }
        let caughtUp = await eventually(timeout: .seconds(60), interval: .milliseconds(50)) {
            ((try? Self.stored(db).last?.number) ?? 0) + 3 >= node.bestNumber
        }
        #expect(caughtUp, "stderr:\n\(sync.stderr)")

        // The node goes away for a few seconds; the chain moves on meanwhile.
        await node.stopServer()
        let logged = await eventually(timeout: .seconds(20), interval: .milliseconds(100)) {
            sync.stderr.contains("node unreachable:") && sync.stderr.contains("retrying in")
        }
        #expect(logged, "one clear line saying the node is unreachable; stderr:\n\(sync.stderr)")
        #expect(sync.isRunning, "the daemon keeps running without its node")
        let reader = try MidnightDatabase.openReader(path: db)
        let outageError = await eventually(timeout: .seconds(10), interval: .milliseconds(100)) {
            guard let status = try? reader.syncStatus() else { return false }
            return status.lastError != nil
        }
        #expect(outageError, "sync_status tells the truth during the outage")
        try await Task.sleep(for: .seconds(2))
        try await node.startServer()

        // Back: it fills what it missed and follows the tip again.
        node.stallProduction()
        let best = node.bestNumber
        let recovered = await eventually(timeout: .seconds(45), interval: .milliseconds(100)) {
            ((try? Self.stored(db).last?.number) ?? 0) >= best
        }
        #expect(recovered, "stderr:\n\(sync.stderr)")
        #expect(sync.stderr.contains("recovered"), "a line says it recovered; stderr:\n\(sync.stderr)")
        let cleared = await eventually(timeout: .seconds(10), interval: .milliseconds(100)) {
            guard let status = try? reader.syncStatus() else { return false }
            return status.lastError == nil
        }
        #expect(cleared, "the error is cleared once it recovers")
        try reader.close()
        sync.send(SIGTERM)
        let status = await sync.wait(timeout: .seconds(20))
        #expect(status == 0, "graceful stop; stderr:\n\(sync.stderr)")
        let problems = try Self.mismatches(db, node)
        #expect(problems.isEmpty, "\(problems.count) mismatches with the node: \(problems.prefix(10))")
        #expect(try Self.soundness(db).isEmpty)
    }
}
