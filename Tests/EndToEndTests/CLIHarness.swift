import Foundation
import SpomTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The result of one run of a built executable.
struct CLIResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
}

/// Runs the built `mvm` (and the thin executables) as child processes.
enum CLI {
    /// The path of a built executable; fails the test when it has not been built.
    static func path(_ name: String) throws -> String {
        try #require(BuildProducts.executable(name), "\(name) is not built: run `swift build` first (looked in \(BuildProducts.directory.path))")
    }

    /// Environment that keeps a run away from this machine's node, database and config.
    static func isolatedEnvironment(_ directory: TemporaryDirectory, rpcPort: Int) -> [String: String] {
        [
            "MVM_RPC_URL": "http://127.0.0.1:\(rpcPort)",
            "MVM_METRICS_URL": "http://127.0.0.1:\(rpcPort)/metrics",
            "MVM_DB_PATH": directory.path("missing.db"),
            "XDG_CONFIG_HOME": directory.path("xdg"),
            "HOME": directory.path("home"),
            "NO_COLOR": "1",
        ]
    }

    /// Runs `name` with `arguments` to completion (bounded).
    static func run(
        _ name: String = "mvm", _ arguments: [String], environment: [String: String] = [:], in directory: String? = nil,
        timeout: Duration = .seconds(60)
    ) async throws -> CLIResult {
        let result = try await ChildProcess.run(try path(name), arguments, environment: environment, currentDirectory: directory, timeout: timeout)
        return CLIResult(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }

    /// Runs a command that may legitimately keep running (status loop, daemon, dashboard).
    ///
    /// Returns its result when it exits; when it keeps running, waits until it has written
    /// something (proof that parsing is over) or `settle` passes, then stops it and returns nil
    /// after checking that what it wrote is not usage text.
    static func runOrKeepRunning(
        _ name: String = "mvm", _ arguments: [String], environment: [String: String], in directory: String,
        settle: Duration = .seconds(20), logs: TemporaryDirectory
    ) async throws -> CLIResult? {
        let child = try ChildProcess(try path(name), arguments, environment: environment, currentDirectory: directory, logDirectory: logs)
        await eventually(timeout: settle, interval: .milliseconds(50)) {
            !child.isRunning || !child.stderr.isEmpty || !child.stdout.isEmpty
        }
        if let status = await child.wait(timeout: .milliseconds(300)) {
            return CLIResult(status: status, stdout: child.stdout, stderr: child.stderr)
        }
        child.send(SIGTERM)
        if await child.wait(timeout: .seconds(5)) == nil { await child.kill9() }
        #expect(!child.stderr.contains("Usage:"), "\(name) \(arguments.joined(separator: " ")) printed usage text: \(child.stderr)")
        return nil
    }
}

/// Test fixtures: keystores and keys files.
enum Fixtures {
    static let sidechainKey = "0x02" + String(repeating: "ab", count: 32)
    static let auraKey = "0x" + String(repeating: "cd", count: 32)
    static let grandpaKey = "0x" + String(repeating: "ef", count: 32)

    /// A Substrate keystore directory with crch, aura and gran files.
    static func keystore(in directory: TemporaryDirectory) throws -> String {
        let path = directory.path("keystore")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (type, key) in [("63726368", sidechainKey), ("61757261", auraKey), ("6772616e", grandpaKey)] {
            let name = type + key.dropFirst(2)
            try Data("\"secret\"".utf8).write(to: URL(fileURLWithPath: path + "/" + name))
        }
        return path
    }

    /// v1's keys JSON file.
    static func keysFile(in directory: TemporaryDirectory) throws -> String {
        let path = directory.path("keys.json")
        let json = #"{"sidechain_pub_key": "\#(sidechainKey)", "aura_pub_key": "\#(auraKey)", "grandpa_pub_key": "\#(grandpaKey)"}"#
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
