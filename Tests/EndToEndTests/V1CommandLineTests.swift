import Foundation
import SpomTesting
import Testing

/// Every v1 command line (predecessor-core §0.1, the README/QUICKSTART forms that v1 itself
/// rejected, and the documented examples) must be ACCEPTED by the v2 parser.
///
/// Runs point at a closed loopback port and a missing database, so commands that need a node or
/// a database fail - but with the clear runtime error (exit 1), never a usage error (exit 2).
@Suite("v1 command lines")
struct V1CommandLineTests {
    enum Expect: Sendable, CustomStringConvertible {
        /// Parsed; may fail at run time or keep running, but not a usage error.
        case accepted
        /// Exit 0.
        case success
        /// Exit 1 naming the unreachable node and the fix.
        case nodeUnreachable
        /// Exit 1 saying the database is missing and to run `mvm sync`.
        case databaseMissing

        var description: String {
            switch self {
            case .accepted: "accepted"
            case .success: "success"
            case .nodeUnreachable: "node unreachable"
            case .databaseMissing: "database missing"
            }
        }
    }

    struct Line: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var expect: Expect
        var testDescription: String { "mvm \(arguments.joined(separator: " ")) -> \(expect)" }
    }

    /// `{RPC}` node URL (closed port), `{DB}` missing database, `{KS}` keystore, `{KF}` keys file,
    /// `{PID}` PID file, `{ROOT}` install root.
    static let lines: [Line] = [
        // No subcommand = status (loops every 60 s).
        .init(arguments: [], expect: .accepted),
        .init(arguments: ["-v"], expect: .accepted),
        .init(arguments: ["--verbose"], expect: .accepted),
        // status
        .init(arguments: ["status"], expect: .accepted),
        .init(arguments: ["status", "--once"], expect: .nodeUnreachable),
        .init(arguments: ["status", "-r", "{RPC}", "--once"], expect: .nodeUnreachable),
        .init(arguments: ["status", "--rpc-url", "{RPC}", "--once"], expect: .nodeUnreachable),
        .init(arguments: ["status", "-r", "{RPC}", "-M", "{RPC}/metrics", "--once"], expect: .nodeUnreachable),
        .init(arguments: ["status", "--metrics-url", "{RPC}/metrics", "--once", "-E"], expect: .nodeUnreachable),
        .init(arguments: ["status", "-k", "{KF}", "--once"], expect: .nodeUnreachable),
        .init(arguments: ["status", "--keys-file", "{KF}", "--once", "--explain"], expect: .nodeUnreachable),
        .init(arguments: ["status", "-K", "{KS}", "--once"], expect: .nodeUnreachable),
        .init(arguments: ["status", "--keystore", "{KS}", "-i", "30", "--once"], expect: .nodeUnreachable),
        .init(arguments: ["status", "--keystore", "{KS}", "--interval", "5"], expect: .accepted),
        .init(arguments: ["-v", "status", "--once"], expect: .nodeUnreachable),
        .init(arguments: ["status", "--once", "-v"], expect: .nodeUnreachable),
        .init(arguments: ["status", "-E"], expect: .accepted),
        // sync
        .init(arguments: ["sync"], expect: .accepted),
        .init(arguments: ["sync", "-r", "{RPC}", "-d", "{DB}"], expect: .accepted),
        .init(arguments: ["sync", "--rpc-url", "{RPC}", "--db-path", "{DB}", "--start-block", "100", "--batch-size", "50"], expect: .accepted),
        .init(arguments: ["sync", "-s", "1", "-b", "10", "--poll-interval", "6"], expect: .accepted),
        .init(arguments: ["sync", "--finalized-only", "true"], expect: .accepted),
        .init(arguments: ["sync", "--finalized-only", "false"], expect: .accepted),
        .init(arguments: ["sync", "--finalized-only"], expect: .accepted),
        .init(arguments: ["sync", "--finalized-only", "-d", "{DB}"], expect: .accepted),
        .init(arguments: ["sync", "--daemon", "--pid-file", "{PID}"], expect: .accepted),
        .init(arguments: ["sync", "-d", "{DB}", "--daemon"], expect: .accepted),
        // query: -d before the subcommand (v1) and after it (v1's docs)
        .init(arguments: ["query", "stats"], expect: .databaseMissing),
        .init(arguments: ["query", "-d", "{DB}", "stats"], expect: .databaseMissing),
        .init(arguments: ["query", "--db-path", "{DB}", "stats"], expect: .databaseMissing),
        .init(arguments: ["query", "stats", "-d", "{DB}"], expect: .databaseMissing),
        .init(arguments: ["query", "blocks"], expect: .databaseMissing),
        .init(arguments: ["query", "-d", "{DB}", "blocks", "-f", "1", "-t", "5"], expect: .databaseMissing),
        .init(arguments: ["query", "blocks", "--from", "1", "--to", "50", "--limit", "3"], expect: .databaseMissing),
        .init(arguments: ["query", "blocks", "-l", "20"], expect: .databaseMissing),
        .init(arguments: ["query", "blocks", "-t", "100"], expect: .databaseMissing),
        .init(arguments: ["query", "gaps"], expect: .databaseMissing),
        .init(arguments: ["query", "-d", "{DB}", "gaps"], expect: .databaseMissing),
        .init(arguments: ["query", "validators"], expect: .databaseMissing),
        .init(arguments: ["query", "validators", "--ours"], expect: .databaseMissing),
        .init(arguments: ["query", "validators", "--ours", "-l", "5"], expect: .databaseMissing),
        .init(arguments: ["query", "validators", "--limit", "50"], expect: .databaseMissing),
        .init(arguments: ["query", "validator", "0x02abcdef"], expect: .databaseMissing),
        .init(arguments: ["query", "-d", "{DB}", "validator", "02ABCDEF"], expect: .databaseMissing),
        .init(arguments: ["query", "performance"], expect: .databaseMissing),
        .init(arguments: ["query", "performance", "--ours", "--limit", "3"], expect: .databaseMissing),
        .init(arguments: ["query", "performance", "-l", "10"], expect: .databaseMissing),
        // keys: flags before the subcommand (v1) and after it (v1's README form)
        .init(arguments: ["keys", "--keystore", "{KS}", "show"], expect: .success),
        .init(arguments: ["keys", "-K", "{KS}", "show"], expect: .success),
        .init(arguments: ["keys", "show", "--keystore", "{KS}"], expect: .success),
        .init(arguments: ["keys", "--keystore", "{KS}", "verify"], expect: .nodeUnreachable),
        .init(arguments: ["keys", "verify", "--keystore", "{KS}"], expect: .nodeUnreachable),
        .init(arguments: ["keys", "-K", "{KS}", "-r", "{RPC}", "-d", "{DB}", "verify"], expect: .nodeUnreachable),
        .init(arguments: ["keys", "verify", "-K", "{KS}", "--db-path", "{DB}"], expect: .nodeUnreachable),
        // view
        .init(arguments: ["view"], expect: .accepted),
        .init(arguments: ["view", "-r", "{RPC}", "-d", "{DB}", "--refresh-interval", "2000"], expect: .accepted),
        // config
        .init(arguments: ["config", "show"], expect: .success),
        .init(arguments: ["config", "validate"], expect: .success),
        .init(arguments: ["config", "example"], expect: .success),
        .init(arguments: ["config", "paths"], expect: .success),
        // install (always under --root here: the tests may run as root)
        .init(arguments: ["install", "--root", "{ROOT}"], expect: .success),
        .init(arguments: ["install", "uninstall", "--root", "{ROOT}"], expect: .success),
        .init(arguments: ["install", "uninstall", "--remove-data", "--root", "{ROOT}"], expect: .success),
        // guide
        .init(arguments: ["guide"], expect: .success),
        .init(arguments: ["guide", "list"], expect: .success),
        .init(arguments: ["guide", "not-producing"], expect: .success),
        .init(arguments: ["guide", "registration"], expect: .success),
        .init(arguments: ["guide", "peers"], expect: .success),
        .init(arguments: ["guide", "memory"], expect: .success),
        .init(arguments: ["guide", "keys"], expect: .success),
        .init(arguments: ["guide", "setup"], expect: .success),
        // completions
        .init(arguments: ["completions", "bash"], expect: .success),
        .init(arguments: ["completions", "zsh"], expect: .success),
        .init(arguments: ["completions", "fish"], expect: .success),
        .init(arguments: ["completions", "powershell"], expect: .accepted),
        .init(arguments: ["completions", "elvish"], expect: .accepted),
        // version
        .init(arguments: ["--version"], expect: .success),
    ]

    @Test(arguments: lines)
    func v1LineIsAccepted(_ line: Line) async throws {
        let directory = try TemporaryDirectory(prefix: "v1-line")
        defer { directory.remove() }
        let port = try LoopbackPort.free()
        let rpc = "http://127.0.0.1:\(port)"
        let keystore = try Fixtures.keystore(in: directory)
        let keysFile = try Fixtures.keysFile(in: directory)
        let replacements = [
            "{RPC}": rpc, "{DB}": directory.path("missing.db"), "{KS}": keystore, "{KF}": keysFile,
            "{PID}": directory.path("mvm-sync.pid"), "{ROOT}": directory.path("root"),
        ]
        let arguments = line.arguments.map { argument in
            replacements.reduce(argument) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
        }
        let environment = CLI.isolatedEnvironment(directory, rpcPort: port)
        let result: CLIResult?
        if case .accepted = line.expect {
            result = try await CLI.runOrKeepRunning("mvm", arguments, environment: environment, in: directory.url.path, logs: directory)
        } else {
            result = try await CLI.run("mvm", arguments, environment: environment, in: directory.url.path)
        }
        guard let result else {
            // Still running after the settle time: parsed fine (status loop, daemon, dashboard).
            #expect(line.expect == .accepted, "\(line.testDescription) kept running")
            return
        }
        #expect(result.status != 2, "usage error for \(line.testDescription):\n\(result)")
        #expect(!result.stderr.contains("Usage:"), "usage text for \(line.testDescription):\n\(result)")
        #expect(!result.stderr.contains("Fatal error"), "crash for \(line.testDescription):\n\(result)")
        switch line.expect {
        case .accepted:
            break
        case .success:
            #expect(result.status == 0, "\(line.testDescription):\n\(result)")
        case .nodeUnreachable:
            #expect(result.status == 1, "\(line.testDescription):\n\(result)")
            #expect(result.stderr.contains("node unreachable at \(rpc)"), "\(line.testDescription):\n\(result)")
            #expect(result.stderr.contains("--rpc-url"), "\(line.testDescription):\n\(result)")
        case .databaseMissing:
            #expect(result.status == 1, "\(line.testDescription):\n\(result)")
            #expect(result.stderr.contains("database not found at"), "\(line.testDescription):\n\(result)")
            #expect(result.stderr.contains("mvm sync"), "\(line.testDescription):\n\(result)")
        }
    }
}
