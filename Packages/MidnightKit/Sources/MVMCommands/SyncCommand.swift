import ArgumentParser
import Foundation
import SpomConfig

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
    }
}

/// Runs the sync engine with `options`; the one code path behind `mvm sync` and `mvm-sync`.
public enum SyncRunner {
    /// Resolves settings and runs the sync until stopped (SIGINT/SIGTERM) or it fails.
    public static func run(global: GlobalOptions, options: SyncOptions) async throws {
        _ = global.logger("mvm.sync")
        _ = try Settings.load(global: global, overrides: options.overrides)
        throw CommandFailure.notAvailable("the sync engine (mvm sync)", library: "MidnightSync")
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
