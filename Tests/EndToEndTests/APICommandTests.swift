import Foundation
import MidnightDevnode
import SpomTesting
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// `mvm api` / `mvm-api` through the built binaries: real HTTP over 127.0.0.1 against a database
/// synced from the simulated node, compared with the CLI's `--json` output.
@Suite("mvm api end to end")
struct APICommandTests {
    /// One HTTP answer.
    struct Answer: CustomStringConvertible {
        var status: Int
        var body: Data
        var contentType: String
        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
        var description: String { "HTTP \(status) \(contentType): \(String(decoding: body, as: UTF8.self))" }
    }

    /// A GET (or other method) to `http://127.0.0.1:port/path`.
    static func request(_ port: Int, _ path: String, method: String = "GET") async throws -> Answer {
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)\(path)")))
        request.httpMethod = method
        request.timeoutInterval = 10
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return Answer(status: http.statusCode, body: data, contentType: http.value(forHTTPHeaderField: "Content-Type") ?? "")
    }

    /// Starts `name api --port <free>` (or `mvm-api`) on `db` and waits until it answers `/live`.
    static func startAPI(
        _ name: String, database db: String, environment: [String: String], directory: TemporaryDirectory, logs: TemporaryDirectory
    ) async throws -> (ChildProcess, Int) {
        let port = try LoopbackPort.free()
        let arguments = (name == "mvm" ? ["api"] : []) + ["--port", "\(port)", "-d", db]
        let child = try ChildProcess(
            try CLI.path(name), arguments, environment: environment, currentDirectory: directory.url.path, logDirectory: logs)
        let up = await eventually(timeout: .seconds(20), interval: .milliseconds(100)) {
            guard child.isRunning else { return true }
            return (try? await request(port, "/api/v1/live"))?.status == 200
        }
        try #require(up && child.isRunning, "\(name) api serves on port \(port); stderr:\n\(child.stderr)")
        return (child, port)
    }

    /// SIGTERM stops the server cleanly: exit 0, and the port is closed afterwards.
    static func stopAndExpectCleanExit(_ child: ChildProcess, port: Int) async throws {
        child.send(SIGTERM)
        let status = await child.wait(timeout: .seconds(15))
        if status == nil { await child.kill9() }
        #expect(status == 0, "graceful stop on SIGTERM; stderr:\n\(child.stderr)")
        #expect((try? await request(port, "/api/v1/live")) == nil, "nothing listens after the stop")
    }

    /// Syncs the simulated node into `db` with the built `mvm-sync` until it holds `atLeast` blocks.
    static func syncDatabase(_ db: String, node: Devnode, environment env: [String: String], directory: TemporaryDirectory, atLeast: Int) async throws {
        let logs = try TemporaryDirectory(prefix: "api-sync-logs")
        defer { logs.remove() }
        let sync = try ChildProcess(
            try CLI.path("mvm-sync"), ["--daemon", "-d", db, "--finalized-only", "false"], environment: env,
            currentDirectory: directory.url.path, logDirectory: logs)
        let synced = await eventually(timeout: .seconds(30), interval: .milliseconds(200)) {
            guard let stats = try? await CLI.run("mvm", ["query", "-d", db, "stats", "--json"], environment: env), stats.status == 0,
                let object = try? JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any]
            else { return false }
            return (object["total_blocks"] as? Int ?? 0) >= atLeast
        }
        sync.send(SIGTERM)
        if await sync.wait(timeout: .seconds(20)) == nil { await sync.kill9() }
        try #require(synced, "mvm-sync stored \(atLeast) blocks; stderr:\n\(sync.stderr)")
    }

    /// JSON values compared structurally (numbers as numbers, key order ignored).
    static func same(_ a: Any?, _ b: Any?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return NSDictionary(dictionary: ["v": a]).isEqual(to: ["v": b])
    }

    @Test func apiServesTheCLIsJSONForTheSameBlocksAndValidators() async throws {
        let directory = try TemporaryDirectory(prefix: "api-e2e")
        defer { directory.remove() }
        let logs = try TemporaryDirectory(prefix: "api-e2e-logs")
        defer { logs.remove() }
        let node = try await StatusDevnodeTests.startNode(directory)
        defer { Task { await node.stop() } }
        let env = CLI.isolatedEnvironment(directory, rpcPort: node.port)
        let db = directory.path("synced.db")
        try await Self.syncDatabase(db, node: node, environment: env, directory: directory, atLeast: 15)
        // The node keeps producing, but nothing writes the database any more: the two views must agree.
        await node.stop()

        let (api, port) = try await Self.startAPI("mvm", database: db, environment: env, directory: directory, logs: logs)

        // One block: /blocks/{n} and /blocks/{hash} are exactly the CLI's block object.
        let cliBlocks = try await CLI.run("mvm", ["query", "-d", db, "blocks", "-f", "3", "-t", "7", "--json"], environment: env)
        #expect(cliBlocks.status == 0, "\(cliBlocks)")
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(cliBlocks.stdout.utf8)) as? [[String: Any]])
        #expect(listed.count == 5)
        for block in listed {
            let number = try #require(block["number"] as? Int)
            let byNumber = try await Self.request(port, "/api/v1/blocks/\(number)")
            #expect(byNumber.status == 200 && byNumber.contentType.hasPrefix("application/json"), "\(byNumber)")
            #expect(Self.same(byNumber.json, block), "block \(number): API \(byNumber) vs CLI \(block)")
            let hash = try #require(block["hash"] as? String)
            let byHash = try await Self.request(port, "/api/v1/blocks/\(hash)")
            #expect(Self.same(byHash.json, block), "block \(hash): \(byHash)")
        }
        #expect(listed.allSatisfy { ($0["author"] as? String)?.hasPrefix("0x") == true }, "synced blocks are attributed")

        // A page of blocks: same objects (the API lists newest first, the CLI oldest first).
        let page = try await Self.request(port, "/api/v1/blocks?after=2&limit=5")
        let pageBlocks = try #require((page.json as? [String: Any])?["blocks"] as? [[String: Any]], "\(page)")
        #expect(Self.same(pageBlocks.sorted { ($0["number"] as? Int ?? 0) < ($1["number"] as? Int ?? 0) }, listed), "\(page)")

        // A validator: /validators/{key} is the CLI's `query validator KEY --json`.
        let cliValidators = try await CLI.run("mvm", ["query", "-d", db, "validators", "--json"], environment: env)
        let validatorPage = try #require(try JSONSerialization.jsonObject(with: Data(cliValidators.stdout.utf8)) as? [String: Any])
        let validators = try #require(validatorPage["validators"] as? [[String: Any]])
        #expect(!validators.isEmpty)
        let key = try #require(validators.first?["sidechain_key"] as? String)
        let cliValidator = try await CLI.run("mvm", ["query", "-d", db, "validator", key, "--json"], environment: env)
        #expect(cliValidator.status == 0, "\(cliValidator)")
        let apiValidator = try await Self.request(port, "/api/v1/validators/\(key)")
        #expect(apiValidator.status == 200, "\(apiValidator)")
        #expect(
            Self.same(apiValidator.json, try JSONSerialization.jsonObject(with: Data(cliValidator.stdout.utf8))),
            "validator \(key): API \(apiValidator) vs CLI \(cliValidator.stdout)")
        // Every validator object in the list has the CLI's shape and values.
        let apiList = try await Self.request(port, "/api/v1/validators?limit=20")
        let apiValidators = try #require((apiList.json as? [String: Any])?["validators"] as? [[String: Any]], "\(apiList)")
        #expect(Self.same(apiValidators, validators), "API \(apiList) vs CLI \(cliValidators.stdout)")

        // Epochs: the CLI's epoch summary is /epochs/{id}.
        let epochID = try #require(listed.first?["sidechain_epoch"] as? Int)
        let cliEpoch = try await CLI.run("mvm", ["query", "-d", db, "epochs", "\(epochID)", "--json"], environment: env)
        let apiEpoch = try await Self.request(port, "/api/v1/epochs/\(epochID)")
        #expect(apiEpoch.status == 200, "\(apiEpoch)")
        var cliSummary = try #require(try JSONSerialization.jsonObject(with: Data(cliEpoch.stdout.utf8)) as? [String: Any])
        var apiSummary = try #require(apiEpoch.json as? [String: Any])
        // `progress`/`is_running` depend on the wall clock at the moment of each read.
        for volatile in ["progress", "is_running", "our_projected_blocks"] {
            cliSummary[volatile] = nil
            apiSummary[volatile] = nil
        }
        #expect(Self.same(apiSummary, cliSummary), "epoch \(epochID): API \(apiEpoch) vs CLI \(cliEpoch.stdout)")

        try await Self.stopAndExpectCleanExit(api, port: port)
    }

    @Test func badInputIsA4xxJSONErrorAndTheThinBinaryBehavesTheSame() async throws {
        let directory = try TemporaryDirectory(prefix: "api-e2e-bad")
        defer { directory.remove() }
        let logs = try TemporaryDirectory(prefix: "api-e2e-bad-logs")
        defer { logs.remove() }
        let db = try QueryTests.makeDatabase(in: directory)
        let env = CLI.isolatedEnvironment(directory, rpcPort: 9)
        for binary in ["mvm", "mvm-api"] {
            let (api, port) = try await Self.startAPI(binary, database: db, environment: env, directory: directory, logs: logs)
            let cases: [(path: String, method: String, status: Int, code: String, mentions: String?)] = [
                ("/api/v1/blocks?limit=0", "GET", 400, "bad_parameter", "limit"),
                ("/api/v1/blocks?limt=5", "GET", 400, "bad_parameter", "limt"),
                ("/api/v1/blocks?finalized=maybe", "GET", 400, "bad_parameter", "finalized"),
                ("/api/v1/blocks/not-a-block", "GET", 400, "bad_parameter", "number_or_hash"),
                ("/api/v1/blocks/999999", "GET", 404, "not_found", nil),
                ("/api/v1/validators/0xzz", "GET", 400, "bad_parameter", "key"),
                ("/api/v1/validators/0x02" + String(repeating: "99", count: 32), "GET", 404, "not_found", nil),
                ("/api/v1/epochs/123456789", "GET", 404, "not_found", nil),
                ("/api/v1/no-such-route", "GET", 404, "not_found", nil),
                ("/api/v1/blocks", "POST", 405, "method_not_allowed", nil),
            ]
            for c in cases {
                let answer = try await Self.request(port, c.path, method: c.method)
                #expect(answer.status == c.status, "\(binary) \(c.method) \(c.path): \(answer)")
                #expect(answer.contentType.hasPrefix("application/json"), "\(c.path): \(answer)")
                let error = (answer.json as? [String: Any])?["error"] as? [String: Any]
                #expect(error?["code"] as? String == c.code, "\(c.path): \(answer)")
                let message = error?["message"] as? String ?? ""
                #expect(!message.isEmpty, "\(c.path): \(answer)")
                if let mentions = c.mentions { #expect(message.contains(mentions), "\(c.path): \(answer)") }
            }
            // Good input still works on the same server after the errors.
            let block = try await Self.request(port, "/api/v1/blocks/4")
            #expect(block.status == 200 && (block.json as? [String: Any])?["number"] as? Int == 4, "\(block)")
            try await Self.stopAndExpectCleanExit(api, port: port)
            #expect(!api.stdout.contains("Usage:") && !api.stderr.contains("Fatal error"), "\(api.stderr)")
        }
    }

    @Test func aBadPortIsAUsageErrorAndAMissingDatabaseIsReportedNotFatal() async throws {
        let directory = try TemporaryDirectory(prefix: "api-e2e-fail")
        defer { directory.remove() }
        let logs = try TemporaryDirectory(prefix: "api-e2e-fail-logs")
        defer { logs.remove() }
        let env = CLI.isolatedEnvironment(directory, rpcPort: 9)
        let bad = try await CLI.run("mvm", ["api", "--port", "70000"], environment: env)
        #expect(bad.status == 2, "\(bad)")
        #expect(bad.stderr.contains("--port"), "\(bad)")

        // A database that does not exist yet: the server runs and says so with a 503 on /health.
        let (api, port) = try await Self.startAPI("mvm", database: directory.path("not-yet.db"), environment: env, directory: directory, logs: logs)
        let health = try await Self.request(port, "/api/v1/health")
        #expect(health.status == 503, "\(health)")
        #expect(((health.json as? [String: Any])?["error"] as? [String: Any])?["code"] as? String == "unavailable", "\(health)")
        try await Self.stopAndExpectCleanExit(api, port: port)
    }
}
