import Foundation
import SpomTesting
import Testing

/// `mvm config ...` through the built binary: the example is pure TOML on stdout, validation
/// names file, key and line, and every command reports a broken config the same way.
@Suite("mvm config")
struct ConfigTests {
    @Test func exampleRedirectedToAFileValidates() async throws {
        let directory = try TemporaryDirectory(prefix: "config-example")
        defer { directory.remove() }
        let env = CLI.isolatedEnvironment(directory, rpcPort: 9)
        // -v must not put a single log line into the redirected output (v1's bug).
        let example = try await CLI.run("mvm", ["-v", "config", "example"], environment: env, in: directory.url.path)
        #expect(example.status == 0, "\(example)")
        for section in ["[rpc]", "[database]", "[validator]", "[sync]", "[view]", "[daemon]", "[chain]", "[api]", "[webhooks]", "[database.remote]", "[integration]"] {
            #expect(example.stdout.contains(section), "example has \(section)")
        }
        let lines = example.stdout.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.allSatisfy { $0.hasPrefix("#") || $0.hasPrefix("[") || $0.contains("=") }, "only TOML on stdout")
        let file = directory.path("mvm.toml")
        try Data(example.stdout.utf8).write(to: URL(fileURLWithPath: file))
        let validate = try await CLI.run("mvm", ["config", "validate", "--config", file], environment: env, in: directory.url.path)
        #expect(validate.status == 0, "\(validate)")
        #expect(validate.stdout.contains("valid"))
        // ./mvm.toml is found by the search path too.
        let searched = try await CLI.run("mvm", ["config", "validate"], environment: env, in: directory.url.path)
        #expect(searched.status == 0 && searched.stdout.contains(file.components(separatedBy: "/").last!), "\(searched)")
    }

    @Test func brokenFileNamesFileKeyAndLine() async throws {
        let directory = try TemporaryDirectory(prefix: "config-broken")
        defer { directory.remove() }
        let env = CLI.isolatedEnvironment(directory, rpcPort: 9)
        let file = directory.path("broken.toml")
        try Data("[rpc]\nurl = \"http://localhost:9944\"\n\n[sync]\nbatch_size = \"ten\"\n".utf8).write(to: URL(fileURLWithPath: file))
        let validate = try await CLI.run("mvm", ["config", "validate", "--config", file], environment: env, in: directory.url.path)
        #expect(validate.status == 1, "\(validate)")
        let output = validate.stdout + validate.stderr
        #expect(output.contains("sync.batch_size"), "names the key: \(output)")
        #expect(output.contains("\(file):5"), "names file and line: \(output)")

        // Any other command reports the same problem in one line, exit 1, no stack trace.
        let query = try await CLI.run("mvm", ["--config", file, "query", "stats"], environment: env, in: directory.url.path)
        #expect(query.status == 1, "\(query)")
        #expect(query.stderr.contains("configuration error") && query.stderr.contains("sync.batch_size"), "\(query)")
        #expect(!query.stderr.contains("Fatal error"))

        let missing = try await CLI.run("mvm", ["config", "show", "--config", directory.path("nope.toml")], environment: env, in: directory.url.path)
        #expect(missing.status == 1, "\(missing)")
        #expect(missing.stderr.contains("nope.toml"), "\(missing)")
    }

    @Test func flagsOverrideEnvironmentAndFile() async throws {
        let directory = try TemporaryDirectory(prefix: "config-priority")
        defer { directory.remove() }
        var env = CLI.isolatedEnvironment(directory, rpcPort: 9)
        let file = directory.path("mvm.toml")
        try Data("[database]\npath = \"\(directory.path("from-file.db"))\"\n".utf8).write(to: URL(fileURLWithPath: file))
        env["MVM_DB_PATH"] = nil
        let fromFile = try await CLI.run("mvm", ["--config", file, "query", "stats"], environment: env, in: directory.url.path)
        #expect(fromFile.stderr.contains("from-file.db"), "file value used: \(fromFile)")
        env["MVM_DB_PATH"] = directory.path("from-env.db")
        let fromEnv = try await CLI.run("mvm", ["--config", file, "query", "stats"], environment: env, in: directory.url.path)
        #expect(fromEnv.stderr.contains("from-env.db"), "environment beats file: \(fromEnv)")
        let fromFlag = try await CLI.run("mvm", ["--config", file, "query", "stats", "-d", directory.path("from-flag.db")], environment: env, in: directory.url.path)
        #expect(fromFlag.stderr.contains("from-flag.db"), "flag beats environment: \(fromFlag)")
        let paths = try await CLI.run("mvm", ["config", "paths"], environment: env, in: directory.url.path)
        #expect(paths.status == 0 && paths.stdout.contains("mvm.toml"), "\(paths)")
    }
}
