import ArgumentParser
import Foundation
import Logging
import MidnightChain
import MidnightRPC

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
        let logger = global.logger("mvm.status")
        var overrides = Overrides()
        overrides.add("rpc.url", options.rpcURL, flag: "--rpc-url")
        overrides.add("rpc.metrics_url", options.metricsURL, flag: "--metrics-url")
        overrides.add("validator.keystore_path", options.keystore, flag: "--keystore")
        let settings = try Settings.load(global: global, overrides: overrides.list)
        let url = settings.rpcURL
        let keys = try loadKeys(settings: settings)
        var configuration = NodeClientConfiguration(url: url)
        configuration.retry = .none
        configuration.timeout = .seconds(10)
        let client: NodeClient
        do {
            client = try NodeClient(configuration: configuration, logger: logger)
        } catch {
            throw CommandFailure(String(describing: error), hint: "--rpc-url must look like http://127.0.0.1:9944")
        }
        do {
            try await loop(client: client, keys: keys, format: format, logger: logger)
        } catch {
            await client.shutdown()
            throw error
        }
    }

    func loop(client: NodeClient, keys: ValidatorKeys?, format: OutputFormat, logger: Logger) async throws {
        while true {
            do {
                let report = try await StatusCheck.run(client: client, keys: keys, logger: logger)
                try StatusPrinter.print(report, format: format, explain: options.explain)
                if options.once {
                    if !report.healthy { throw ExitCode(MVMExitCode.unhealthy) }
                    await client.shutdown()
                    return
                }
            } catch let error as NodeRPCError {
                if options.once {
                    throw CommandFailure("status check failed: \(error.description)")
                }
                StandardError.write("mvm: status check failed: \(error.description)")
            }
            try await Task.sleep(for: .seconds(options.interval))
        }
    }

    func loadKeys(settings: Settings) throws -> ValidatorKeys? {
        do {
            if let file = options.keysFile { return try Keystore.load(keysFile: file) }
            if let directory = settings.keystorePath { return try Keystore.load(directory: directory) }
            return nil
        } catch {
            throw CommandFailure(error.description, hint: "check --keystore / --keys-file (or validator.keystore_path)")
        }
    }
}

/// One status check's findings (JSON field names are the documented `status --json` shape).
///
/// INTERIM: computed here from MidnightRPC until MidnightStatus lands; then the command prints
/// MidnightStatus's report instead.
public struct StatusReport: Codable, Sendable {
    /// The node URL checked.
    public var rpcURL: String
    /// Connected peers.
    public var peers: UInt64
    /// Whether the node is still syncing.
    public var isSyncing: Bool
    /// Best block number.
    public var bestBlock: UInt64
    /// Finalized block number.
    public var finalizedBlock: UInt64
    /// Sync percentage (current / highest).
    public var syncPercent: Double
    /// Sidechain epoch and slot (nil when the node does not offer sidechain_getStatus).
    public var sidechainEpoch: UInt64?
    public var sidechainSlot: UInt64?
    /// Mainchain epoch and slot.
    public var mainchainEpoch: UInt64?
    public var mainchainSlot: UInt64?
    /// Per key type: true (in the node's keystore), false (missing), nil (cannot tell: unsafe RPC off).
    public var keys: [String: Bool?]?
    /// Why key presence is unknown, when it is.
    public var keysUnknownReason: String?
    /// Registration status code and text.
    public var registration: String?
    public var registrationDetail: String?
    /// Committee seats of our AURA key, and the committee size.
    public var committeeSeats: Int?
    public var committeeSize: Int?
    /// Problems found; empty when healthy.
    public var problems: [String]
    /// Overall verdict.
    public var healthy: Bool

    enum CodingKeys: String, CodingKey {
        case peers, keys, registration, problems, healthy
        case rpcURL = "rpc_url"
        case isSyncing = "is_syncing"
        case bestBlock = "best_block"
        case finalizedBlock = "finalized_block"
        case syncPercent = "sync_percent"
        case sidechainEpoch = "sidechain_epoch"
        case sidechainSlot = "sidechain_slot"
        case mainchainEpoch = "mainchain_epoch"
        case mainchainSlot = "mainchain_slot"
        case keysUnknownReason = "keys_unknown_reason"
        case registrationDetail = "registration_detail"
        case committeeSeats = "committee_seats"
        case committeeSize = "committee_size"
    }
}

/// Runs one status check against the node.
enum StatusCheck {
    static func run(client: NodeClient, keys: ValidatorKeys?, logger: Logger) async throws -> StatusReport {
        let health = try await client.systemHealth()
        let best = try await client.bestHeader()
        let finalized = try await client.finalizedHeader()
        let sync = try? await client.syncState()
        let sidechain = try? await client.sidechainStatus()
        var percent: Double = best.number > 0 ? 100 : 0
        if let sync, let highest = sync.highestBlock, highest > 0 {
            percent = min(100, Double(sync.currentBlock) / Double(highest) * 100)
        }
        var report = StatusReport(
            rpcURL: client.url, peers: health.peers, isSyncing: health.isSyncing, bestBlock: best.number,
            finalizedBlock: finalized.number, syncPercent: percent, sidechainEpoch: sidechain?.sidechain.epoch,
            sidechainSlot: sidechain?.sidechain.slot, mainchainEpoch: sidechain?.mainchain.epoch,
            mainchainSlot: sidechain?.mainchain.slot, problems: [], healthy: true)
        if health.isSyncing { report.problems.append("node is still syncing") }
        if health.peers == 0 && health.shouldHavePeers { report.problems.append("no peers connected") }
        if best.number > finalized.number + 100 {
            report.problems.append("large finality gap: \(best.number - finalized.number) blocks behind")
        }
        if let keys {
            var present: [String: Bool?] = [:]
            var unknownReason: String?
            let typed: [(String, String?)] = [("crch", keys.sidechain), ("aura", keys.aura), ("gran", keys.grandpa)]
            for (type, key) in typed {
                guard let key else { continue }
                do {
                    present[type] = .some(try await client.hasKey(publicKey: key, keyType: type))
                } catch let error as NodeRPCError where error.isMethodNotFound || error.rpcCode != nil {
                    present[type] = .some(nil)
                    unknownReason = "author_hasKey is refused: start the node with --rpc-methods=unsafe (on a local-only RPC port) to verify keys"
                }
            }
            report.keys = present
            report.keysUnknownReason = unknownReason
            for (type, value) in present where value == false {
                report.problems.append("\(type) key not loaded in the node's keystore")
            }
            if let epoch = sidechain?.mainchain.epoch {
                do {
                    let ariadne = try await client.ariadneParameters(mainchainEpoch: epoch)
                    let status = RegistrationStatus.evaluate(sidechainKey: keys.sidechain, in: ariadne)
                    report.registration = status.code
                    report.registrationDetail = status.label
                    if case .notRegistered = status { report.problems.append("validator is not registered") }
                    if case .registeredInvalid(let reasons) = status { report.problems.append("registration invalid: \(reasons)") }
                } catch {
                    report.registration = "unknown"
                    report.registrationDetail = "could not read the Ariadne parameters: \(error)"
                }
            }
            if let aura = keys.aura, let committee = try? await client.authorities() {
                report.committeeSeats = committee.seats(of: KeyFormat.normalize(aura))
                report.committeeSize = committee.size
            }
        }
        report.healthy = report.problems.isEmpty
        return report
    }
}

/// Prints a ``StatusReport`` for people or as JSON.
enum StatusPrinter {
    static func print(_ report: StatusReport, format: OutputFormat, explain: Bool) throws {
        switch format {
        case .json:
            try EntityJSON.print(report)
            return
        case .csv:
            throw CommandFailure.usage("status has no CSV form", hint: "use --json")
        case .table:
            break
        }
        var lines: [String] = [String(repeating: "─", count: 41)]
        func add(_ line: String, _ why: String) {
            lines.append(line)
            if explain { lines.append("  → \(why)") }
        }
        add(
            "Health: \(report.healthy ? "✓" : "✗") | Syncing: \(report.isSyncing ? "⟳" : "✓") | Peers: \(report.peers)",
            "healthy means connected, not syncing and no problem below; aim for 10+ peers (3-5 is the minimum)")
        add(
            "Block: \(report.bestBlock) | Finalized: \(report.finalizedBlock) | Sync: \(Formatting.fixed(report.syncPercent, 2))%",
            "finality normally trails the best block by a few blocks")
        if let epoch = report.sidechainEpoch {
            add(
                "Sidechain: epoch \(epoch) slot \(Formatting.optional(report.sidechainSlot)) | Mainchain: epoch \(Formatting.optional(report.mainchainEpoch)) slot \(Formatting.optional(report.mainchainSlot))",
                "the sidechain epoch decides the committee; the mainchain epoch decides registration")
        }
        if let keys = report.keys {
            func mark(_ type: String) -> String {
                guard let value = keys[type] else { return "-" }
                switch value {
                case .some(true): return "✓"
                case .some(false): return "✗"
                case .none: return "?"
                }
            }
            add("Keys: sidechain \(mark("crch")) | aura \(mark("aura")) | grandpa \(mark("gran"))",
                "✓ loaded in the node's keystore, ✗ missing, ? cannot be verified")
            if let reason = report.keysUnknownReason { lines.append("Keys unknown: \(reason)") }
        }
        if let registration = report.registrationDetail {
            add("Registration: \(registration)", "registration is checked against the current mainchain epoch")
        }
        if let seats = report.committeeSeats, let size = report.committeeSize {
            add(
                seats > 0 ? "Committee: ✓ Elected (\(seats) seats / \(size) total)" : "Committee: ✗ NOT elected (committee size: \(size))",
                "selection is stake-weighted and random each epoch; registration does not guarantee a seat")
        }
        for problem in report.problems { lines.append("Problem: \(problem)") }
        StandardOutput.write(lines.joined(separator: "\n"))
    }
}
