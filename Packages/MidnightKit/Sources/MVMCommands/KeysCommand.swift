import ArgumentParser
import Foundation
import Logging
import MidnightChain
import MidnightConfig
import SpomConfig
import MidnightRPC
import MidnightStatus
import MidnightStore
import MVMCommandSupport

/// `-K/--keystore`, `-k/--keys-file`, `-r/--rpc-url`, `-d/--db-path` of `mvm keys`, accepted
/// before or after `show`/`verify` (v1's README ordering, which v1 itself rejected).
public struct KeysOptions: ParsableArguments, Sendable {
    /// `-K/--keystore`.
    @Option(name: [.customShort("K"), .customLong("keystore")], help: ArgumentHelp("Node keystore directory.", valueName: "dir"))
    public var keystore: String?
    /// `-k/--keys-file`.
    @Option(name: [.customShort("k"), .customLong("keys-file")], help: ArgumentHelp("Validator keys JSON file instead of a keystore.", valueName: "file"))
    public var keysFile: String?
    /// `-r/--rpc-url`.
    @Option(name: [.customShort("r"), .customLong("rpc-url")], help: ArgumentHelp("Node JSON-RPC URL.", valueName: "url"))
    public var rpcURL: String?
    /// `-d/--db-path`.
    @Option(name: [.customShort("d"), .customLong("db-path")], help: ArgumentHelp("SQLite database file.", valueName: "path"))
    public var dbPath: String?

    /// Creates the defaults.
    public init() {}

    /// Rejects `-k` with `-K`.
    public func validate() throws {
        if keysFile != nil && keystore != nil { throw ValidationError("--keys-file and --keystore are mutually exclusive: pass one") }
    }

    /// The flags as configuration overrides.
    var overrides: [ConfigOverride] {
        var result = Overrides()
        result.add("validator.keystore_path", keystore, flag: "--keystore")
        result.add("rpc.url", rpcURL, flag: "--rpc-url")
        result.add("database.path", dbPath, flag: "--db-path")
        return result.list
    }

    /// Loads the keys from the flag, `MVM_KEYSTORE_PATH` or `[validator] keystore_path`.
    func load(_ settings: Settings) throws -> (keys: ValidatorKeys, source: String) {
        do {
            if let keysFile { return (try Keystore.load(keysFile: keysFile), keysFile) }
            guard let directory = settings.keystorePath else {
                throw CommandFailure(
                    "no keystore given", hint: "pass -K/--keystore DIR (the node's chains/<chain>/keystore) or set validator.keystore_path")
            }
            return (try Keystore.load(directory: directory), directory)
        } catch let error as KeystoreError {
            throw CommandFailure(error.description, hint: "check the path: the keystore holds files named <hex key type><public key>")
        }
    }
}

/// `mvm keys`.
public struct KeysCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Show and verify the validator's session keys.", subcommands: [KeysShow.self, KeysVerify.self])
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var keys: KeysOptions
    @OptionGroup public var output: OutputOptions
    public init() {}
}

/// `mvm keys show`.
public struct KeysShow: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the public keys found in the keystore.")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var keys: KeysOptions
    @OptionGroup public var output: OutputOptions
    public init() {}

    public func run() async throws {
        let format = try output.resolved()
        _ = global.logger("mvm.keys")
        let settings = try Settings.load(global: global, overrides: keys.overrides)
        let (loaded, source) = try keys.load(settings)
        let rows: [[String]] = [
            ["sidechain (crch)", loaded.sidechain], ["aura", loaded.aura ?? "-"], ["grandpa (gran)", loaded.grandpa ?? "-"],
            ["babe", loaded.babe ?? "-"],
        ]
        let table = TextTable(columns: [.init("key"), .init("public key")], rows: rows)
        switch format {
        case .json: try EntityJSON.print(KeysEntity(loaded))
        case .csv: StandardOutput.write(table.renderCSV())
        case .table:
            StandardOutput.write("Validator keys from \(source)")
            StandardOutput.write(table.renderText())
        }
    }
}

/// The `keys --json` shape.
struct KeysEntity: Codable {
    var sidechainKey: String
    var auraKey: String?
    var grandpaKey: String?
    var babeKey: String?

    init(_ keys: ValidatorKeys) {
        sidechainKey = keys.sidechain
        auraKey = keys.aura
        grandpaKey = keys.grandpa
        babeKey = keys.babe
    }

    enum CodingKeys: String, CodingKey {
        case sidechainKey = "sidechain_key"
        case auraKey = "aura_key"
        case grandpaKey = "grandpa_key"
        case babeKey = "babe_key"
    }
}

/// `mvm keys verify`: keystore, node keystore, registration, committee, and the database.
public struct KeysVerify: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the keys against the node (loaded? registered? in the committee?) and mark the validator as ours.")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var keys: KeysOptions
    @OptionGroup public var output: OutputOptions
    public init() {}

    public func run() async throws {
        let format = try output.resolved()
        let logger = global.logger("mvm.keys")
        let settings = try Settings.load(global: global, overrides: keys.overrides)
        let (loaded, _) = try keys.load(settings)
        let report = try await StatusRun.withChecker(settings: settings, keys: loaded, logger: logger, preflight: true) { checker in
            await checker.check()
        }
        guard report.node.reachable else {
            throw CommandFailure("key verification failed: \(report.problems.first ?? "node unreachable at \(report.node.url)")")
        }
        let databasePath = settings.databasePath
        var detail: ValidatorDetail?
        if FileManager.default.fileExists(atPath: databasePath) {
            let eligible = report.validator?.registration == "permissioned" || report.validator?.registration == "registered"
            let reader = try DatabaseAccess.reader(databasePath)
            let known = try DatabaseAccess.query("reading validator \(loaded.sidechain)") { try reader.validator(key: loaded.sidechain) }
            if known != nil || eligible {
                do {
                    let writer = try MidnightDatabase.openWriter(path: databasePath)
                    try writer.markOurs(sidechainKey: loaded.sidechain, auraKey: loaded.aura, grandpaKey: loaded.grandpa)
                } catch let error as StoreError {
                    throw CommandFailure("marking the validator as ours failed: \(error.description)")
                }
            }
            detail = try DatabaseAccess.query("reading validator \(loaded.sidechain)") { try reader.validator(key: loaded.sidechain) }
        }
        let verification = KeyVerification(keys: KeysEntity(loaded), status: report, validator: detail?.validator)
        switch format {
        case .json: try EntityJSON.print(verification)
        case .csv: throw CommandFailure.usage("keys verify has no CSV form", hint: "use --json")
        case .table:
            try StatusPrinter.print(report, format: .table, explain: false)
            if let validator = detail?.validator {
                StandardOutput.write("Database: marked as ours; \(validator.blocksTotal) blocks, rank #\(validator.rank), share \(Formatting.fixed(validator.sharePercent, 2))%")
            } else if FileManager.default.fileExists(atPath: databasePath) {
                StandardOutput.write("Database: validator not found (not registered, or not seen yet)")
            } else {
                StandardOutput.write("Database: \(databasePath) not found; run `mvm sync` to record blocks")
            }
        }
        if !report.healthy { throw ExitCode(MVMExitCode.unhealthy) }
    }
}

/// The `keys verify --json` shape.
struct KeyVerification: Codable {
    var keys: KeysEntity
    var status: StatusReport
    var validator: ValidatorEntity?
}
