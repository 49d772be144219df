import Foundation
import SpomTesting
import Testing

/// Usage errors, exit codes, completions, guide topics and stdout purity of the built `mvm`.
@Suite("mvm command line behaviour")
struct CLIBehaviourTests {
    @Test(arguments: [
        ["frobnicate"], ["query", "frobnicate"], ["status", "--bogus"], ["query", "blocks", "--limit", "0"],
        ["query", "blocks", "--from", "9", "--to", "3"], ["status", "-k", "a.json", "-K", "dir"], ["guide", "no-such-topic"],
        ["completions"], ["completions", "tcsh"], ["sync", "--batch-size", "0"], ["sync", "--poll-interval", "0"],
        ["status", "--interval", "0"], ["query", "validator"], ["query", "--json", "--format", "csv", "stats"],
        ["install", "--prefix", "relative/path", "--root", "/tmp/x"], ["api", "--port", "70000"],
    ])
    func usageErrorsExitTwo(_ arguments: [String]) async throws {
        let directory = try TemporaryDirectory(prefix: "usage")
        defer { directory.remove() }
        let result = try await CLI.run("mvm", arguments, environment: CLI.isolatedEnvironment(directory, rpcPort: 9), in: directory.url.path)
        #expect(result.status == 2, "mvm \(arguments.joined(separator: " ")):\n\(result)")
        #expect(result.stdout.isEmpty, "usage errors go to stderr:\n\(result)")
        #expect(result.stderr.lowercased().contains("error"), "\(result)")
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func helpAndVersionExitZeroOnStdout() async throws {
        let help = try await CLI.run("mvm", ["--help"])
        #expect(help.status == 0)
        for command in ["status", "sync", "query", "keys", "view", "api", "config", "install", "guide", "completions", "demo", "webhooks", "remote"] {
            #expect(help.stdout.contains(command), "--help lists \(command)")
        }
        #expect(help.stdout.contains("Exit codes"))
        let version = try await CLI.run("mvm", ["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("mvm 2."))
    }

    @Test func thinExecutablesShareTheCommandLine() async throws {
        for (name, flag) in [("mvm-sync", "--finalized-only"), ("mvm-view", "--refresh-interval"), ("mvm-api", "--bind")] {
            let help = try await CLI.run(name, ["--help"])
            #expect(help.status == 0, "\(name) --help:\n\(help)")
            #expect(help.stdout.contains(flag), "\(name) --help mentions \(flag)")
            let bad = try await CLI.run(name, ["--no-such-flag"])
            #expect(bad.status == 2, "\(name) usage error:\n\(bad)")
        }
        let directory = try TemporaryDirectory(prefix: "thin")
        defer { directory.remove() }
        let logs = try TemporaryDirectory(prefix: "thin-logs")
        defer { logs.remove() }
        // v1's valued form is accepted by the thin sync executable too.
        let port = try LoopbackPort.free()
        let result = try await CLI.runOrKeepRunning(
            "mvm-sync", ["--finalized-only", "true", "-r", "http://127.0.0.1:\(port)", "-d", directory.path("x.db")],
            environment: CLI.isolatedEnvironment(directory, rpcPort: port), in: directory.url.path, logs: logs)
        if let result { #expect(result.status != 2, "\(result)") }
    }

    @Test func completionScriptsAreValid() async throws {
        let directory = try TemporaryDirectory(prefix: "completions")
        defer { directory.remove() }
        for shell in ["bash", "zsh", "fish"] {
            let result = try await CLI.run("mvm", ["completions", shell])
            #expect(result.status == 0, "\(shell):\n\(result)")
            #expect(result.stdout.contains("mvm"))
            for word in ["query", "validators", "keys", "db-path", "finalized-only"] {
                #expect(result.stdout.contains(word), "\(shell) completion mentions \(word)")
            }
            #expect(result.stderr.isEmpty, "no log lines while generating completions: \(result.stderr)")
            let script = directory.path("mvm.\(shell)")
            try Data(result.stdout.utf8).write(to: URL(fileURLWithPath: script))
            // Syntax-check with the shell itself when it is installed.
            let checker = ["bash": "/usr/bin/bash", "zsh": "/usr/bin/zsh", "fish": "/usr/bin/fish"][shell]!
            if FileManager.default.isExecutableFile(atPath: checker) {
                let check = try await ChildProcess.run(checker, ["-n", script])
                #expect(check.status == 0, "\(shell) -n rejects the script: \(check.stderr)")
            }
        }
        let unsupported = try await CLI.run("mvm", ["completions", "powershell"])
        #expect(unsupported.status == 1)
        #expect(unsupported.stderr.contains("bash, zsh and fish"))
    }

    @Test func guideTopics() async throws {
        let list = try await CLI.run("mvm", ["guide"])
        #expect(list.status == 0)
        for topic in ["not-producing", "registration", "peers", "memory", "keys", "setup"] {
            #expect(list.stdout.contains("mvm guide \(topic)"), "list names \(topic)")
            let text = try await CLI.run("mvm", ["guide", topic])
            #expect(text.status == 0)
            #expect(text.stdout.split(separator: "\n").count > 8, "guide \(topic) has content")
        }
        let keys = try await CLI.run("mvm", ["guide", "keys"])
        #expect(keys.stdout.contains("babe"), "keys guide covers node 1.x BABE keys")
        #expect(keys.stdout.contains("--rpc-methods=unsafe"))
        let registration = try await CLI.run("mvm", ["guide", "registration"])
        #expect(registration.stdout.contains("keys"), "registration guide covers the 0.18 keys map")
        let setup = try await CLI.run("mvm", ["guide", "setup"])
        #expect(setup.stdout.contains("config.toml") && setup.stdout.contains("keystore_path"), "setup names the real file and key")
    }

    @Test func logsNeverReachStandardOutput() async throws {
        let directory = try TemporaryDirectory(prefix: "stdout")
        defer { directory.remove() }
        let port = try LoopbackPort.free()
        let env = CLI.isolatedEnvironment(directory, rpcPort: port)
        let guide = try await CLI.run("mvm", ["-v", "guide", "list"], environment: env)
        #expect(guide.stdout.hasPrefix("Midnight Validator Monitor"), "\(guide)")
        let status = try await CLI.run("mvm", ["-v", "status", "--once", "--json"], environment: env)
        #expect(status.status == 1)
        #expect(status.stdout.isEmpty, "a failed status prints nothing on stdout: \(status)")
        #expect(!status.stderr.contains("Fatal error"))
        #expect(status.stderr.split(separator: "\n").filter { $0.contains("error:") }.count == 1, "one error line:\n\(status.stderr)")
    }
}
