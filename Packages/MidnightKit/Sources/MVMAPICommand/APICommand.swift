import ArgumentParser
import MidnightAPI
import MidnightChain
import MVMCommandSupport
import SpomConfig
import SpomHTTP

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
        let logger = global.logger("mvm.api")
        let settings = try options.settings(global: global)
        let server = MVMAPIServer(configuration: try APIRun.configuration(settings), logger: logger)
        try await server.runUntilSignalled()
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

/// Maps `[api]` and `[integration]` settings onto the API server's configuration.
enum APIRun {
    static func configuration(_ settings: Settings) throws -> MVMAPIConfiguration {
        let api = settings.config.api
        let bind: HTTPBindAddress
        do { bind = try HTTPBindAddress(parsing: api.bind) } catch {
            throw CommandFailure("api.bind \"\(api.bind)\" is not host:port (\(error))", hint: "for example bind = \"127.0.0.1:8080\"")
        }
        var key: APIKey? = nil
        do {
            if let text = try api.resolvedKey() { key = try APIKey(text, source: api.apiKeyFile == nil ? "api.api_key" : "api.api_key_file") }
        } catch {
            throw CommandFailure("cannot use the API key: \(error)", hint: "check api.api_key / api.api_key_file / MVM_API_KEY")
        }
        var proxies: [CIDRRange] = []
        for text in api.trustedProxies {
            do { proxies.append(try CIDRRange(text)) } catch {
                throw CommandFailure("api.trusted_proxies entry \"\(text)\" is not an address or CIDR range (\(error))")
            }
        }
        let rate: RateLimitPolicy? =
            api.rateLimitPerMinute > 0
            ? RateLimitPolicy(requestsPerSecond: Double(api.rateLimitPerMinute) / 60, burst: max(1, Int(api.rateLimitPerMinute) / 6))
            : nil
        return MVMAPIConfiguration(
            databasePath: settings.databasePath, chain: settings.config.integration.chainID, bind: bind, apiKey: key,
            corsOrigins: api.corsOrigins, metricsEnabled: api.metricsEnabled, metricsAllValidators: api.metricsAllValidators,
            rateLimit: rate, trustedProxies: proxies, version: MVMVersion.text,
            instanceName: settings.config.integration.instanceName,
            mainchainTiming: NetworkPreset(name: settings.config.chain.network)?.timing.mainchain)
    }
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
