import ArgumentParser
import MidnightChain
import MidnightView
import MVMCommandSupport
import SpomConfig
import SpomDaemon
import SpomTUI

/// The options of `mvm view` and `mvm-view`.
public struct ViewOptions: ParsableArguments, Sendable {
    /// `-r/--rpc-url`.
    @Option(name: [.customShort("r"), .customLong("rpc-url")], help: ArgumentHelp("Node JSON-RPC URL.", valueName: "url"))
    public var rpcURL: String?
    /// `-d/--db-path`.
    @Option(name: [.customShort("d"), .customLong("db-path")], help: ArgumentHelp("SQLite database file.", valueName: "path"))
    public var dbPath: String?
    /// `--refresh-interval` in milliseconds.
    @Option(name: .customLong("refresh-interval"), help: ArgumentHelp("Dashboard refresh interval in milliseconds.", valueName: "ms"))
    public var refreshInterval: UInt64?

    /// Creates the defaults.
    public init() {}

    /// The flags as configuration overrides.
    public var overrides: [ConfigOverride] {
        var result = Overrides()
        result.add("rpc.url", rpcURL, flag: "--rpc-url")
        result.add("database.path", dbPath, flag: "--db-path")
        result.add("view.refresh_interval_ms", refreshInterval, flag: "--refresh-interval")
        return result.list
    }

    /// Rejects a zero refresh interval.
    public func validate() throws {
        if refreshInterval == 0 { throw ValidationError("--refresh-interval must be at least 1 ms") }
    }
}

/// Runs the dashboard; the one code path behind `mvm view` and `mvm-view`.
public enum ViewRunner {
    /// Opens the dashboard until the operator quits.
    public static func run(global: GlobalOptions, options: ViewOptions) async throws {
        let settings = try Settings.load(global: global, overrides: options.overrides)
        let logger = global.logger("mvm.view")
        let keys = try? StatusRun.loadKeys(keysFile: nil, settings: settings)
        let refresh = Int(clamping: settings.config.view.refreshIntervalMs)
        let theme = settings.config.view.theme
        do {
            try await StatusRun.withChecker(settings: settings, keys: keys ?? nil, logger: logger) { checker in
                var dashboard = MidnightDashboard(
                    databasePath: settings.databasePath, statusChecker: checker, refreshIntervalMs: refresh,
                    themeName: theme, nodeExporterURL: settings.config.rpc.nodeExporterURL, logger: logger)
                // Argument parsing, config, key loading and the first load are over: give their
                // pages back, so the dashboard's resident set is what it uses while it runs.
                dashboard.onSettled = { MemoryRelief.settle() }
                try await dashboard.run()
            }
        } catch let error as TerminalError {
            throw CommandFailure("the dashboard needs a terminal: \(error)", hint: "run `mvm view` in an interactive terminal")
        }
    }
}

/// `mvm view`.
public struct ViewCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "view", abstract: "Interactive terminal dashboard.")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var options: ViewOptions
    public init() {}
    public func run() async throws { try await ViewRunner.run(global: global, options: options) }
}

/// The `mvm-view` executable: exactly `mvm view`.
public struct MVMViewApp: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mvm-view", abstract: "Interactive terminal dashboard (same as `mvm view`).", version: MVMVersion.text)
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var options: ViewOptions
    public init() {}
    public func run() async throws { try await ViewRunner.run(global: global, options: options) }
}
