import Foundation
import MidnightDevnode
import SpomTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `mvm sync` / `mvm-sync` against the simulated node, then every query on the synced database.
@Suite("mvm sync against mvm-devnode")
struct SyncDevnodeTests {
    @Test func syncThenQueryEverything() async throws {
        let directory = try TemporaryDirectory(prefix: "sync-devnode")
        defer { directory.remove() }
        let node = try await StatusDevnodeTests.startNode(directory)
        defer { Task { await node.stop() } }
        var env = CLI.isolatedEnvironment(directory, rpcPort: node.port)
        let db = directory.path("synced.db")
        env["MVM_DB_PATH"] = db
        let pidFile = directory.path("mvm-sync.pid")
        let logs = try TemporaryDirectory(prefix: "sync-logs")
        defer { logs.remove() }
        let sync = try ChildProcess(
            try CLI.path("mvm-sync"), ["--daemon", "--pid-file", pidFile, "--finalized-only", "false"], environment: env,
            currentDirectory: directory.url.path, logDirectory: logs)
        let synced = await eventually(timeout: .seconds(30), interval: .milliseconds(200)) {
            guard let stats = try? await CLI.run("mvm", ["query", "stats", "--json"], environment: env), stats.status == 0,
                let object = try? JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any]
            else { return false }
            return (object["total_blocks"] as? Int ?? 0) >= 10
        }
        #expect(synced, "sync stored blocks; stderr:\n\(sync.stderr)")
        #expect(FileManager.default.fileExists(atPath: pidFile), "PID file held while running")
        #expect(sync.stdout.isEmpty, "sync logs go to stderr only: \(sync.stdout)")
        sync.send(SIGTERM)
        let status = await sync.wait(timeout: .seconds(20))
        if status == nil { await sync.kill9() }
        #expect(status == 0, "graceful stop on SIGTERM; stderr:\n\(sync.stderr)")
        #expect(!FileManager.default.fileExists(atPath: pidFile), "PID file removed")

        for arguments in [
            ["query", "stats"], ["query", "blocks"], ["query", "blocks", "-f", "1", "-t", "5"], ["query", "gaps"],
            ["query", "validators"], ["query", "performance"], ["query", "epochs"],
        ] {
            for format in [[], ["--json"], ["--format", "csv"]] {
                let result = try await CLI.run("mvm", arguments + format, environment: env)
                #expect(result.status == 0, "mvm \((arguments + format).joined(separator: " ")):\n\(result)")
                #expect(!result.stdout.isEmpty)
                if format == ["--json"] {
                    #expect((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) != nil, "valid JSON: \(result.stdout)")
                }
            }
        }
        let listed = try await CLI.run("mvm", ["query", "blocks", "-f", "1", "-t", "5", "--json"], environment: env)
        let blocks = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(!blocks.isEmpty)
        let validators = try await CLI.run("mvm", ["query", "validators", "--json"], environment: env)
        let page = try #require(try JSONSerialization.jsonObject(with: Data(validators.stdout.utf8)) as? [String: Any])
        if let first = (page["validators"] as? [[String: Any]])?.first, let key = first["sidechain_key"] as? String {
            let one = try await CLI.run("mvm", ["query", "validator", key, "--json"], environment: env)
            #expect(one.status == 0, "\(one)")
        }
    }

    @Test func syncWithoutANodeFailsClearly() async throws {
        let directory = try TemporaryDirectory(prefix: "sync-down")
        defer { directory.remove() }
        let port = try LoopbackPort.free()
        let result = try await CLI.run("mvm", ["sync", "-d", directory.path("x.db")], environment: CLI.isolatedEnvironment(directory, rpcPort: port), in: directory.url.path)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("node unreachable at http://127.0.0.1:\(port)"), "\(result)")
    }
}
