import ArgumentParser
import SpomConfig

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
        _ = try Settings.load(global: global, overrides: options.overrides)
        throw CommandFailure.notAvailable("the dashboard (mvm view)", library: "MidnightView")
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

/// The options of `mvm api` and `mvm-api`.
public struct APIOptions: ParsableArguments, Sendable {
    /// `--port`.
    @Option(name: .long, help: "TCP port for the REST API and /metrics.")
    public var port: Int?
    /// `--bind`.
    @Option(name: .long, help: ArgumentHelp("Address to listen on (default 127.0.0.1).", valueName: "address"))
    public var bind: String?
    /// `-d/--db-path`.
    @Option(name: [.customShort("d"), .customLong("db-path")], help: ArgumentHelp("SQLite database file.", valueName: "path"))
    public var dbPath: String?
    /// `-r/--rpc-url`.
    @Option(name: [.customShort("r"), .customLong("rpc-url")], help: ArgumentHelp("Node JSON-RPC URL (for live status).", valueName: "url"))
    public var rpcURL: String?

    /// Creates the defaults.
    public init() {}

    /// Loads the settings with the flags applied; `--bind`/`--port` replace the host or port
    /// part of `[api] bind` (`host:port`).
    func settings(global: GlobalOptions) throws -> Settings {
        var result = Overrides()
        result.add("rpc.url", rpcURL, flag: "--rpc-url")
        result.add("database.path", dbPath, flag: "--db-path")
        var settings = try Settings.load(global: global, overrides: result.list)
        if bind != nil || port != nil {
            let current = APIBind.split(settings.config.api.bind)
            settings.config.api.bind = APIBind.join(host: bind ?? current.host, port: port ?? current.port)
        }
        return settings
    }

    /// Rejects ports outside 0...65535 (0 = any free port).
    public func validate() throws {
        if let port, !(0...65_535).contains(port) { throw ValidationError("--port must be between 0 and 65535 (got \(port))") }
    }
}

/// Runs the REST API server; the one code path behind `mvm api` and `mvm-api`.
public enum APIRunner {
    /// Serves until SIGINT/SIGTERM.
    public static func run(global: GlobalOptions, options: APIOptions) async throws {
        _ = global.logger("mvm.api")
        _ = try options.settings(global: global)
        throw CommandFailure.notAvailable("the REST API server (mvm api)", library: "MidnightAPI")
    }
}

/// `mvm api`.
public struct APICommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "api", abstract: "Serve the REST API and Prometheus /metrics.")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var options: APIOptions
    public init() {}
    public func run() async throws { try await APIRunner.run(global: global, options: options) }
}

/// The `mvm-api` executable: exactly `mvm api`.
public struct MVMAPIApp: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mvm-api", abstract: "Serve the REST API and Prometheus /metrics (same as `mvm api`).", version: MVMVersion.text)
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var options: APIOptions
    public init() {}
    public func run() async throws { try await APIRunner.run(global: global, options: options) }
}

/// `[api] bind` is `host:port` (IPv6 hosts in brackets).
enum APIBind {
    /// Splits `host:port`; a missing port is 8080.
    static func split(_ bind: String) -> (host: String, port: Int) {
        guard let colon = bind.lastIndex(of: ":"), let port = Int(bind[bind.index(after: colon)...]) else {
            return (bind, 8080)
        }
        var host = String(bind[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }

    /// Joins host and port, bracketing IPv6 hosts.
    static func join(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
