import ArgumentParser
import Foundation
import Logging
import MidnightChain
import MidnightConfig
import MidnightRPC
import MidnightStore
import MidnightSync
import SpomConfig
import SpomDaemon
import MVMCommandSupport

/// The options of `mvm sync` and `mvm-sync` (v1's flags; `--finalized-only` also takes v1's
/// `true|false` value, see ``V1Arguments``).
public struct SyncOptions: ParsableArguments, Sendable {
    /// `-r/--rpc-url`.
    @Option(name: [.customShort("r"), .customLong("rpc-url")], help: ArgumentHelp("Node JSON-RPC URL.", valueName: "url"))
    public var rpcURL: String?
    /// `-d/--db-path`.
    @Option(name: [.customShort("d"), .customLong("db-path")], help: ArgumentHelp("SQLite database file.", valueName: "path"))
    public var dbPath: String?
    /// `-s/--start-block`.
    @Option(name: [.customShort("s"), .customLong("start-block")], help: "First block to sync (default: resume, or the oldest block the node still has).")
    public var startBlock: UInt64?
    /// `-b/--batch-size`.
    @Option(name: [.customShort("b"), .customLong("batch-size")], help: "Blocks fetched per batch.")
    public var batchSize: Int?
    /// `--finalized-only` / `--no-finalized-only` (and v1's `--finalized-only true|false`).
    @Flag(name: .customLong("finalized-only"), inversion: .prefixedNo, help: "Store only finalized blocks (v1's `--finalized-only true|false` also accepted).")
    public var finalizedOnly: Bool?
    /// `--poll-interval`: seconds between polls when following the tip without subscriptions.
    @Option(name: .customLong("poll-interval"), help: "Seconds between polls for new blocks.")
    public var pollInterval: UInt64?
    /// `--daemon`: run as a service (retry the node at start-up with backoff, PID file, systemd notify).
    @Flag(name: .long, help: "Run as a service: wait for the node with backoff, write the PID file.")
    public var daemon = false
    /// `--pid-file`.
    @Option(name: .customLong("pid-file"), help: ArgumentHelp("PID file to hold while running.", valueName: "path"))
    public var pidFile: String?
    /// `--batches-in-flight`: batched requests outstanding at once during catch-up (not in v1;
    /// `-b 1 --batches-in-flight 1` fetches one block at a time, the way v1 did, for comparisons).
    @Option(name: .customLong("batches-in-flight"), help: ArgumentHelp("Batches requested at once while catching up (default 4).", valueName: "n"))
    public var batchesInFlight: Int?

    /// Creates the defaults.
    public init() {}

    /// The flags as configuration overrides (flag > environment > file > default).
    public var overrides: [ConfigOverride] {
        var result = Overrides()
        result.add("rpc.url", rpcURL, flag: "--rpc-url")
        result.add("database.path", dbPath, flag: "--db-path")
        result.add("sync.start_block", startBlock, flag: "--start-block")
        result.add("sync.batch_size", batchSize, flag: "--batch-size")
        result.add("sync.finalized_only", finalizedOnly, flag: "--finalized-only")
        result.add("sync.poll_interval_secs", pollInterval, flag: "--poll-interval")
        result.add("daemon.pid_file", pidFile, flag: "--pid-file")
        return result.list
    }

    /// Rejects zero batch sizes and poll intervals (v1 panicked on them).
    public func validate() throws {
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1 (got \(batchSize))") }
        if pollInterval == 0 { throw ValidationError("--poll-interval must be at least 1 second") }
        if let batchesInFlight, !(1...64).contains(batchesInFlight) {
            throw ValidationError("--batches-in-flight must be between 1 and 64 (got \(batchesInFlight))")
        }
    }
}

/// Runs the sync engine with `options`; the one code path behind `mvm sync` and `mvm-sync`.
public enum SyncRunner {
    /// Resolves settings and runs the sync until stopped (SIGINT/SIGTERM) or it fails.
    ///
    /// Without `--daemon` an unreachable node fails at once (exit 1); with `--daemon` start-up
    /// waits for the node with backoff 10 s -> 60 s (v1 #36), then holds the PID file
    /// (`--pid-file` or `[daemon] pid_file`) and notifies systemd.
    public static func run(global: GlobalOptions, options: SyncOptions) async throws {
        let logger = global.logger("mvm.sync")
        let settings = try Settings.load(global: global, overrides: options.overrides)
        let config = settings.config
        guard let network = NetworkPreset(name: config.chain.network) else {
            throw CommandFailure("unknown chain.network \(config.chain.network)", hint: "use one of \(MVMConfig.knownNetworks.joined(separator: ", "))")
        }
        let nodeConfiguration = NodeClientConfiguration(
            url: config.rpc.url, timeoutMs: config.rpc.timeoutMs, maxRetries: Int(config.rpc.maxRetries),
            retryInitialDelayMs: config.rpc.retryInitialDelayMs, retryMaxDelayMs: config.rpc.retryMaxDelayMs)
        let client: NodeClient
        do {
            client = try NodeClient(configuration: nodeConfiguration, logger: logger)
        } catch {
            throw CommandFailure(String(describing: error))
        }
        do {
            try await waitForNode(client, daemon: options.daemon, logger: logger)
            let store: StoreWriter
            do {
                store = try MidnightDatabase.openWriter(
                    path: config.database.path, options: WriterOptions(chain: config.integration.chainID, appVersion: MVMVersion.text))
            } catch let error as StoreError {
                throw CommandFailure("cannot open the database: \(error.description)", hint: "check -d/--db-path and that its folder is writable")
            }
            let syncConfiguration = SyncConfiguration(
                batchSize: Int(config.sync.batchSize), maxBatchesInFlight: options.batchesInFlight ?? 4,
                pollInterval: .seconds(config.sync.pollIntervalSecs),
                finalizedOnly: config.sync.finalizedOnly, startBlock: config.sync.startBlock == 0 ? nil : config.sync.startBlock,
                windowBlocks: config.sync.windowBlocks, network: network, slotDurationMsOverride: config.chain.slotDurationMs,
                slotsPerEpochOverride: config.chain.slotsPerEpoch)
            var engineConfiguration = syncConfiguration
            engineConfiguration.ourValidators = ourValidators(settings, logger: logger)
            let engine = SyncEngine(node: client, store: store, configuration: engineConfiguration, logger: logger)
            let webhookServices = try WebhookWiring.services(config: config, store: store, node: client, logger: logger)
            let remoteServices = RemoteWiring.services(config: config, logger: logger)
            logger.info("syncing", metadata: ["rpc": "\(config.rpc.url)", "database": "\(config.database.path)"])
            do {
                try await DaemonRunner(services: [engine] + webhookServices + remoteServices, pidFile: config.daemon.pidFile, readyStatus: "syncing", logger: logger).run()
            } catch let error as PIDFileError {
                throw CommandFailure(error.description, hint: "another mvm sync is running; stop it or use another --pid-file")
            } catch let error as NodeRPCError {
                throw CommandFailure("sync stopped: \(error.description)")
            } catch let error as StoreError {
                throw CommandFailure("sync stopped: \(error.description)")
            }
            await client.shutdown()
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// Our validator from `[validator] keystore_path` (`MVM_KEYSTORE_PATH`): its registration status
    /// is recorded over time. An unreadable keystore is logged, not fatal: the sync goes on without it.
    static func ourValidators(_ settings: Settings, logger: Logger) -> [OurValidator] {
        guard let directory = settings.keystorePath else { return [] }
        do {
            let keys = try Keystore.load(directory: directory)
            logger.info("our validator: \(keys.sidechain) (keystore \(directory))")
            return [OurValidator(keys: keys, label: settings.config.validator.label)]
        } catch {
            logger.warning("cannot read the keystore at \(directory): \(error.description); registration history is not recorded")
            return []
        }
    }

    /// Fails fast on an unreachable node, or (daemon) retries with backoff until it answers.
    static func waitForNode(_ client: NodeClient, daemon: Bool, logger: Logger) async throws {
        if daemon {
            let policy = BackoffPolicy(initial: .seconds(10), maximum: .seconds(60), multiplier: 2, jitter: 0.1)
            _ = try await StartupRetry.run("connecting to the node at \(client.url)", policy: policy, logger: logger) {
                try await client.systemHealth()
            }
            return
        }
        do {
            _ = try await client.systemHealth()
        } catch let error as NodeRPCError {
            throw CommandFailure(error.description)
        }
    }
}

/// `mvm sync`.
public struct SyncCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Follow the node and store every block and its author in the database.")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var options: SyncOptions
    public init() {}

    public func run() async throws {
        try await SyncRunner.run(global: global, options: options)
    }
}

/// The `mvm-sync` executable: exactly `mvm sync`.
public struct MVMSyncApp: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mvm-sync", abstract: "Follow the node and store every block and its author (same as `mvm sync`).",
        version: MVMVersion.text)
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var options: SyncOptions
    public init() {}

    public func run() async throws {
        try await SyncRunner.run(global: global, options: options)
    }
}
