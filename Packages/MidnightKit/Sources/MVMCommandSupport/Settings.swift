import Foundation
import Logging
import MidnightConfig
import SpomConfig

/// The effective configuration a command runs with: command-line flag > `MVM_*` environment
/// variable > config file (`--config`, `MVM_CONFIG`, or the search path) > default.
///
/// Flags are handed to MidnightConfig as overrides, so they are validated like file values and
/// `config show` / error messages name the flag they came from.
public struct Settings: Sendable {
    /// The loaded, validated configuration.
    public var config: MVMConfig
    /// The config file it came from (nil: defaults and environment only).
    public var file: String?

    /// `[rpc] url`.
    public var rpcURL: String { config.rpc.url }
    /// `[database] path`.
    public var databasePath: String { config.database.path }
    /// `[validator] keystore_path`.
    public var keystorePath: String? { config.validator.keystorePath }

    /// Loads the configuration with `overrides` (the command's flags) on top; warnings (unknown
    /// keys, unknown `MVM_*` variables) are logged to standard error.
    public static func load(
        global: GlobalOptions, overrides: [ConfigOverride] = [],
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Settings {
        let sources = MVMConfigCommands.sources(configPath: global.config, environment: environment, overrides: overrides)
        do {
            let loaded = try MVMConfigCommands.load(sources)
            let logger = global.logger("mvm.config")
            for warning in loaded.warnings { logger.warning("\(warning)") }
            logger.debug("configuration loaded", metadata: ["file": "\(loaded.file ?? "none (defaults)")"])
            return Settings(config: loaded.value, file: loaded.file)
        } catch let error as ConfigError {
            var text = String(describing: error)
            if text.hasPrefix("error: ") { text.removeFirst("error: ".count) }
            throw CommandFailure("configuration error: \(text)", hint: "check it with `mvm config validate`; every key is in `mvm config example`")
        }
    }
}

/// Builds the overrides list from optional flag values.
package struct Overrides {
    package private(set) var list: [ConfigOverride] = []

    package init() {}

    /// Adds `value` for `keyPath` when the flag was given.
    package mutating func add(_ keyPath: String, _ value: (some CustomStringConvertible)?, flag: String) {
        guard let value else { return }
        list.append(ConfigOverride(keyPath, value.description, origin: flag))
    }
}
