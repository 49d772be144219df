import Foundation

/// The effective settings a command runs with: command-line flag > `MVM_*` environment variable >
/// config file > default (v1's priority order).
///
/// INTERIM STAND-IN: MidnightConfig (the typed `MVMConfig`, config search path and file layer)
/// has not landed yet, so this resolves flags, environment and defaults only. When it lands,
/// ``Settings/load(global:environment:)`` reads the file layer through it; the commands do not change.
public struct Settings: Sendable, Equatable {
    /// `[rpc] url`.
    public var rpcURL = "http://localhost:9944"
    /// `[rpc] metrics_url`.
    public var metricsURL = "http://localhost:9615/metrics"
    /// `[rpc] timeout_ms`.
    public var timeoutMs: UInt64 = 30_000
    /// `[rpc] max_retries`.
    public var maxRetries = 3
    /// `[database] path`.
    public var databasePath = Settings.defaultDatabasePath()
    /// `[validator] keystore_path`.
    public var keystorePath: String?
    /// `[sync] batch_size`.
    public var batchSize = 100
    /// `[sync] poll_interval_secs`.
    public var pollIntervalSecs: UInt64 = 6
    /// `[sync] finalized_only`.
    public var finalizedOnly = false
    /// `[sync] start_block` (0 = resume).
    public var startBlock: UInt64 = 0
    /// `[daemon] pid_file`.
    public var pidFile: String?
    /// `[view] refresh_interval_ms`.
    public var refreshIntervalMs: UInt64 = 6000
    /// `[chain] network`.
    public var network = "preview"
    /// `[api] port`.
    public var apiPort = 8080
    /// `[api] bind`.
    public var apiBind = "127.0.0.1"
    /// `[api] enabled`.
    public var apiEnabled = false
    /// The config file the values came from, if any.
    public var configFile: String?

    /// v1's default database path: `/opt/midnight/mvm/data/mvm.db` when that folder exists, else `./mvm.db`.
    public static func defaultDatabasePath() -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: "/opt/midnight/mvm/data", isDirectory: &isDirectory), isDirectory.boolValue {
            return "/opt/midnight/mvm/data/mvm.db"
        }
        return "./mvm.db"
    }

    /// Loads the settings below the command-line layer (environment, file, defaults).
    public static func load(
        global: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Settings {
        var settings = Settings()
        if let path = global.config {
            guard FileManager.default.fileExists(atPath: path) else {
                throw CommandFailure("config file \(path) does not exist", hint: "check --config, or create one with `mvm config example > \(path)`")
            }
            throw CommandFailure.notAvailable("reading config files (--config \(path))", library: "MidnightConfig")
        }
        let env = { (name: String) -> String? in
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        if let value = env("MVM_RPC_URL") { settings.rpcURL = value }
        if let value = env("MVM_METRICS_URL") { settings.metricsURL = value }
        if let value = env("MVM_DB_PATH") { settings.databasePath = value }
        if let value = env("MVM_KEYSTORE_PATH") { settings.keystorePath = value }
        if let value = env("MVM_BATCH_SIZE"), let number = Int(value) { settings.batchSize = number }
        if let value = env("MVM_POLL_INTERVAL"), let number = UInt64(value) { settings.pollIntervalSecs = number }
        if let value = env("MVM_PID_FILE") { settings.pidFile = value }
        if let value = env("MVM_NETWORK") { settings.network = value }
        return settings
    }
}
