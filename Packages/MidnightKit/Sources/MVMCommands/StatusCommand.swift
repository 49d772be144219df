import ArgumentParser
import Foundation
import Logging
import MidnightChain
import MidnightConfig
import MidnightRPC
import MidnightStatus
import MVMCommandSupport
import MVMSyncCommand

/// The options of `mvm status` (v1's flags, plus `--json`/`--format`).
public struct StatusOptions: ParsableArguments, Sendable {
    /// `-r/--rpc-url`.
    @Option(name: [.customShort("r"), .customLong("rpc-url")], help: ArgumentHelp("Node JSON-RPC URL.", valueName: "url"))
    public var rpcURL: String?
    /// `-M/--metrics-url`.
    @Option(name: [.customShort("M"), .customLong("metrics-url")], help: ArgumentHelp("Node Prometheus metrics URL.", valueName: "url"))
    public var metricsURL: String?
    /// `-k/--keys-file`: v1's keys JSON file.
    @Option(name: [.customShort("k"), .customLong("keys-file")], help: ArgumentHelp("Validator keys JSON file (conflicts with --keystore).", valueName: "file"))
    public var keysFile: String?
    /// `-K/--keystore`: the node's keystore directory.
    @Option(name: [.customShort("K"), .customLong("keystore")], help: ArgumentHelp("Node keystore directory.", valueName: "dir"))
    public var keystore: String?
    /// `-i/--interval`: seconds between checks.
    @Option(name: [.customShort("i"), .long], help: "Seconds between checks when not --once.")
    public var interval: UInt64 = 60
    /// `--once`: one check, then exit 0 (healthy) or 3 (unhealthy).
    @Flag(name: .long, help: "Check once and exit: 0 healthy, 3 unhealthy, 1 check failed.")
    public var once = false
    /// `-E/--explain`: teaching lines after each item.
    @Flag(name: [.customShort("E"), .long], help: "Explain each line of the report.")
    public var explain = false

    /// Creates the defaults.
    public init() {}

    /// Rejects `-k` with `-K`, and `--interval 0`.
    public func validate() throws {
        if keysFile != nil && keystore != nil {
            throw ValidationError("--keys-file and --keystore are mutually exclusive: pass one")
        }
        if interval == 0 { throw ValidationError("--interval must be at least 1 second") }
    }
}

/// `mvm status` (also what `mvm` runs without a subcommand).
public struct StatusCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Node health, sync, epochs, keys, registration and committee (default command)."
    )
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var options: StatusOptions
    @OptionGroup public var output: OutputOptions
    public init() {}

    public func run() async throws {
        let format = try output.resolved()
        if format == .csv { throw CommandFailure.usage("status has no CSV form", hint: "use --json") }
        let logger = global.logger("mvm.status")
        var overrides = Overrides()
        overrides.add("rpc.url", options.rpcURL, flag: "--rpc-url")
        overrides.add("rpc.metrics_url", options.metricsURL, flag: "--metrics-url")
        overrides.add("validator.keystore_path", options.keystore, flag: "--keystore")
        let settings = try Settings.load(global: global, overrides: overrides.list)
        let keys = try StatusRun.loadKeys(keysFile: options.keysFile, settings: settings)
        try await StatusRun.withChecker(settings: settings, keys: keys, logger: logger, preflight: options.once) { checker in
            while true {
                var report = await checker.check()
                report.remote = RemoteWiring.lag(config: settings.config)
                if options.once {
                    try StatusRun.finish(report, format: format, explain: options.explain)
                    return
                }
                if report.node.reachable {
                    try StatusPrinter.print(report, format: format, explain: options.explain)
                } else {
                    StandardError.write("mvm: status check failed: \(report.problems.first ?? "node unreachable")")
                }
                try await Task.sleep(for: .seconds(options.interval))
            }
        }
    }
}


/// Prints a ``StatusReport`` for people (v1's lines, plus epochs and problems) or as JSON.
enum StatusPrinter {
    static func print(_ report: StatusReport, format: OutputFormat, explain: Bool) throws {
        if format == .json {
            try EntityJSON.print(report)
            return
        }
        var lines: [String] = [String(repeating: "─", count: 41)]
        func add(_ line: String, _ why: String) {
            lines.append(line)
            if explain { lines.append("  → \(why)") }
        }
        let node = report.node
        add(
            "Health: \(report.healthy ? "✓" : "✗") | Syncing: \(node.isSyncing == true ? "⟳" : "✓") | Peers: \(Formatting.optional(node.peers))"
                + (node.inboundPeers.map { " (in \($0) / out \(Formatting.optional(node.outboundPeers)))" } ?? ""),
            "healthy means reachable, not syncing, and nothing listed under Problems; aim for 10+ peers (3-5 minimum, P2P port 30333 open)")
        add(
            "Block: \(Formatting.optional(node.bestBlock)) | Finalized: \(Formatting.optional(node.finalizedBlock)) | Sync: \(node.syncPercent.map { Formatting.fixed($0, 2) + "%" } ?? "-")",
            "finality normally trails the best block by a few blocks; a large gap means network trouble or a minority fork")
        if let produced = node.blocksConstructed {
            add("Blocks produced: \(produced) (since node start)", "the node's own counter resets on restart; `mvm query` holds the history")
        }
        if let epochs = report.epochs {
            let minutes = epochs.msUntilNextSidechainEpoch / 60_000
            add(
                "Sidechain: epoch \(epochs.sidechainEpoch) slot \(epochs.slotInEpoch)/\(epochs.slotsPerEpoch) (\(Formatting.fixed(epochs.sidechainProgress * 100, 1))%, next in \(minutes / 60)h\(String(format: "%02d", minutes % 60))m) | Mainchain: epoch \(epochs.mainchainEpoch) (\(Formatting.fixed(epochs.mainchainProgress * 100, 1))%)",
                "the sidechain epoch decides the committee; the mainchain (Cardano) epoch decides registration; a slot is \(epochs.slotDurationMs / 1000) s")
        }
        if let keys = report.keys {
            func mark(_ type: String) -> String {
                guard let value = keys.inNodeKeystore[type] else { return "-" }
                switch value {
                case .some(true): return "✓"
                case .some(false): return "✗"
                case .none: return "?"
                }
            }
            var line = "Keys: sidechain \(mark("crch")) | aura \(mark("aura")) | grandpa \(mark("gran"))"
            if keys.babe != nil { line += " | babe \(mark("babe"))" }
            add(line, "✓ loaded in the node's keystore, ✗ missing (insert it and restart), ? cannot be verified")
            if let reason = keys.unknownReason { lines.append("  Keys unknown: \(reason)") }
        }
        if let validator = report.validator {
            add("Registration: \(validator.registrationLabel)", "checked against the current mainchain epoch's Ariadne parameters")
            if let seats = validator.seats, let size = validator.committeeSize {
                if seats > 0 {
                    add(
                        "Committee: ✓ Elected (\(seats) seats / \(size) total = \(Formatting.fixed(Double(seats) / Double(max(size, 1)) * 100, 2))%)"
                            + (validator.expectedBlocksEpoch.map { " | expected ~\(Formatting.fixed($0, 1)) blocks this epoch" } ?? ""),
                        "more seats, more slots to author; selection is stake-weighted and random each epoch")
                } else {
                    add("Committee: ✗ NOT elected (committee size: \(size))", "registration does not guarantee a seat; keep the node running and staked")
                }
            }
            if let produced = validator.producedThisEpoch {
                add(
                    "Produced: \(produced) this epoch" + (validator.expectedBlocksSoFar.map { " (expected so far ~\(Formatting.fixed($0, 1)))" } ?? "")
                        + (validator.producedAllTime.map { ", \($0) all time in the database" } ?? ""),
                    "counted from the database `mvm sync` keeps")
            }
        }
        if let database = report.database {
            lines.append("Database: \(database.path) at #\(Formatting.optional(database.lastBlock))" + (database.blocksBehind.map { " (\($0) behind)" } ?? ""))
        }
        if let remote = report.remote { lines.append(remote.line) }
        for problem in report.problems { lines.append("Problem: \(problem)") }
        for note in report.notes { lines.append("Note: \(note)") }
        StandardOutput.write(lines.joined(separator: "\n"))
    }
}

extension StatusRun {
    /// Prints a one-shot report and maps it to the exit code: 1 node unreachable, 3 unhealthy.
    static func finish(_ report: StatusReport, format: OutputFormat, explain: Bool) throws {
        guard report.node.reachable else {
            throw CommandFailure("status check failed: \(report.problems.first ?? "node unreachable at \(report.node.url)")")
        }
        try StatusPrinter.print(report, format: format, explain: explain)
        if !report.healthy { throw ExitCode(MVMExitCode.unhealthy) }
    }
}
