import Foundation
import MidnightDevnode
import MidnightStore
import SpomTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `mvm-sync` against `mvm-devnode` with `[database.remote]` enabled pushes into the test run's
/// PostgreSQL (SpomTesting.TestPostgres); `mvm remote status` reports it; wrong credentials give
/// a clear error while the sync keeps running.
@Suite("Remote push end to end", .serialized, .enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipMessage)))
struct RemoteEndToEndTests {
    /// A config file for `url` (no password in it) with the password in `SMOKE…` env.
    static func config(_ directory: TemporaryDirectory, rpcPort: Int, url: String, instance: String) throws -> String {
        let path = directory.path("mvm.toml")
        try """
        [rpc]
        url = "http://127.0.0.1:\(rpcPort)"
        [database]
        path = "\(directory.path("mvm.db"))"
        [database.remote]
        enabled = true
        type = "postgresql"
        url = "\(url)"
        password_env = "E2E_REMOTE_PASSWORD"
        sync_interval_secs = 1
        [integration]
        instance_name = "\(instance)"
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The server's URL without its password, and the password.
    static func split(_ url: String) throws -> (url: String, password: String) {
        var components = try #require(URLComponents(string: url))
        let password = components.password ?? ""
        components.password = nil
        components.queryItems = [URLQueryItem(name: "sslmode", value: "disable")]
        return (try #require(components.string), password)
    }

    static func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    @Test("mvm-sync pushes into PostgreSQL, mvm remote status reports it, and a final push leaves the remote equal to the local database")
    func syncPushesAndStatusReports() async throws {
        let server = try TestPostgres.shared()
        let directory = try TemporaryDirectory(prefix: "e2e-remote")
        defer { directory.remove() }
        let node = try await StatusDevnodeTests.startNode(directory)
        defer { Task { await node.stop() } }
        let port = node.port
        let (url, password) = try Self.split(server.url)
        let instance = TestPostgres.freshName("e2e")
        let config = try Self.config(directory, rpcPort: port, url: url, instance: instance)
        let environment = ["E2E_REMOTE_PASSWORD": password, "NO_COLOR": "1", "HOME": directory.path("home")]
        let sync = try ChildProcess(try CLI.path("mvm-sync"), ["--config", config], environment: environment, logDirectory: directory)
        let pushed = await eventually(timeout: .seconds(30), interval: .milliseconds(200)) {
            guard let result = try? await CLI.run("mvm", ["remote", "status", "--json", "--config", config], environment: environment),
                  result.status == 0 else { return false }
            let server = Self.json(result.stdout)["server"] as? [String: Any]
            return ((server?["watermark_block"] as? Int) ?? 0) >= 20
        }
        #expect(pushed, "the remote never reached block 20: \(sync.stderr.suffix(2000))")
        sync.send(SIGTERM)
        #expect(await sync.wait(timeout: .seconds(15)) == 0, "mvm-sync did not stop cleanly: \(sync.stderr.suffix(2000))")
        #expect(!sync.stderr.contains(password), "the password reached the log")

        // One more push after the sync stopped: the remote then holds every local block.
        let push = try await CLI.run("mvm", ["remote", "push", "--config", config], environment: environment)
        #expect(push.status == 0, "\(push)")
        let status = try await CLI.run("mvm", ["remote", "status", "--json", "--config", config], environment: environment)
        #expect(status.status == 0, "\(status)")
        let view = try #require(Self.json(status.stdout)["server"] as? [String: Any], "\(status)")
        let rows = try #require(view["rows"] as? [String: Any])
        let local = try MidnightDatabase.openReader(path: directory.path("mvm.db")).stats().totalBlocks
        #expect((rows["blocks"] as? Int).map(UInt64.init) == UInt64(local), "remote \(rows), local \(local) blocks")
        let text = try await CLI.run("mvm", ["remote", "status", "--config", config], environment: environment)
        #expect(text.stdout.contains("server: \(instance) holds blocks up to"), "\(text)")
        #expect(!text.stdout.contains(password) && !status.stdout.contains(password))
    }

    @Test("wrong credentials: a clear error in the log and in mvm remote status, and the sync keeps running")
    func wrongCredentialsKeepSyncing() async throws {
        let server = try TestPostgres.shared()
        let directory = try TemporaryDirectory(prefix: "e2e-remote-auth")
        defer { directory.remove() }
        let node = try await StatusDevnodeTests.startNode(directory)
        defer { Task { await node.stop() } }
        let port = node.port
        let (url, _) = try Self.split(server.url)
        let config = try Self.config(directory, rpcPort: port, url: url, instance: TestPostgres.freshName("e2e_auth"))
        let environment = ["E2E_REMOTE_PASSWORD": "not-the-password-42", "NO_COLOR": "1", "HOME": directory.path("home")]
        let sync = try ChildProcess(try CLI.path("mvm-sync"), ["--config", config], environment: environment, logDirectory: directory)
        let failing = await eventually(timeout: .seconds(30), interval: .milliseconds(200)) {
            sync.stderr.contains("rejected user") && sync.stderr.contains("synced to")
        }
        #expect(failing, "\(sync.stderr.suffix(3000))")
        #expect(sync.isRunning, "the sync stopped: \(sync.stderr.suffix(2000))")
        let status = try await CLI.run("mvm", ["remote", "status", "--config", config], environment: environment)
        #expect(status.stdout.contains("last error: PostgreSQL at"), "\(status)")
        #expect(status.stdout.contains("rejected user"), "\(status)")
        #expect(!status.stdout.contains("not-the-password-42") && !sync.stderr.contains("not-the-password-42"))
        sync.send(SIGTERM)
        #expect(await sync.wait(timeout: .seconds(15)) == 0, "mvm-sync did not stop cleanly: \(sync.stderr.suffix(2000))")
    }
}
