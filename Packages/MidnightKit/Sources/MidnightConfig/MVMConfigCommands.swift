import Foundation
import SpomConfig

/// What a `mvm config …` subcommand prints and returns. The CLI writes ``stdout`` to standard
/// output, ``stderr`` to standard error, and exits with ``exitCode``.
public struct CommandOutput: Sendable, Equatable {
    /// Text for standard output (pure data: `config example > mvm.toml` must stay valid TOML).
    public var stdout: String
    /// Text for standard error (warnings, errors).
    public var stderr: String
    /// The process exit status.
    public var exitCode: Int32

    /// Creates an output.
    public init(stdout: String = "", stderr: String = "", exitCode: Int32 = 0) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }
}

/// Loading MVM's configuration and the functions behind `mvm config show|validate|example|paths`.
public enum MVMConfigCommands {
    /// v1's search list plus `/etc/mvm/config.toml`.
    public static let searchPaths: [ConfigSearchPath] = [
        .path("./mvm.toml"),
        .userConfig(directory: "mvm", file: "config.toml"),
        .path("/opt/midnight/mvm/config/config.toml"),
        .path("/etc/mvm/config.toml"),
    ]

    /// The sources for one run.
    ///
    /// - Parameters:
    ///   - configPath: `--config PATH`; when nil, `MVM_CONFIG` is used if set, else the search list.
    ///   - environment: the process environment (tests pass their own).
    ///   - overrides: command-line flags as key paths, e.g. `ConfigOverride("rpc.url", url, origin: "--rpc-url")`.
    ///   - currentDirectory: for `./mvm.toml` and relative paths.
    public static func sources(
        configPath: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
        overrides: [ConfigOverride] = [], currentDirectory: String = FileManager.default.currentDirectoryPath
    ) -> ConfigSources {
        let explicit = configPath ?? environment["MVM_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        return ConfigSources(
            searchPaths: searchPaths, explicitFile: explicit, environment: environment, overrides: overrides,
            unknownKeys: .warn, currentDirectory: currentDirectory)
    }

    /// Loads and validates the configuration (what every command calls first).
    ///
    /// - Returns: the configuration with its file and warnings (unknown keys, unknown `MVM_*`
    ///   variables, soft rule failures) for the caller to log.
    /// - Throws: ``ConfigError`` naming key, file and line (or variable / flag).
    public static func load(_ sources: ConfigSources) throws -> LoadedConfig<MVMConfig> {
        try ConfigReport.loadValidated(MVMConfig.self, sources: sources)
    }

    /// A commented example with every section and key; valid TOML that loads back to the defaults.
    public static var exampleTOML: String {
        (try? ConfigReport.example(MVMConfig.self)) ?? ""
    }

    /// `mvm config example`.
    public static func example() -> CommandOutput {
        let text = exampleTOML
        return text.isEmpty ? CommandOutput(stderr: "error: cannot render the example\n", exitCode: 1) : CommandOutput(stdout: text)
    }

    /// `mvm config show`: the effective configuration as TOML, secrets masked.
    public static func show(_ sources: ConfigSources) -> CommandOutput {
        do {
            let loaded = try load(sources)
            let warnings = (loaded.warnings + loaded.value.validationIssues().filter { $0.severity == .warning }.map(loaded.locate))
            var text = "# Effective configuration (secrets masked)\n"
            text += "# Source: \(loaded.file ?? "defaults (no configuration file found)")\n"
            text += "# Priority: command-line flags > environment variables > config file > defaults\n\n"
            text += try ConfigReport.render(loaded.value)
            return CommandOutput(stdout: text, stderr: warnings.map { "\($0)\n" }.joined())
        } catch {
            return CommandOutput(stderr: "error: configuration failed to load:\n\(error)\n", exitCode: 1)
        }
    }

    /// `mvm config validate`: every problem with key, file and line; exit 1 on errors.
    public static func validate(_ sources: ConfigSources) -> CommandOutput {
        let result = ConfigReport.validate(MVMConfig.self, sources: sources)
        var out = ""
        if let file = result.file {
            out += "Configuration file: \(file)\n"
        } else {
            out += "No configuration file found; checking defaults and environment.\n"
            out += "Searched:\n"
            for entry in sources.searchEntries() { out += "  - \(entry.path ?? entry.template)\n" }
            out += "To create one: mvm config example > ./mvm.toml\n"
        }
        for issue in result.issues { out += "  \(issue)\n" }
        if result.isValid {
            out += "✓ Configuration is valid"
            out += result.warnings.isEmpty ? "\n" : " (\(result.warnings.count) warning(s))\n"
            return CommandOutput(stdout: out)
        }
        out += "✗ Configuration is invalid: \(result.errors.count) error(s)\n"
        return CommandOutput(stdout: out, exitCode: 1)
    }

    /// `mvm config paths`: the search list, in order, with which files exist.
    public static func paths(_ sources: ConfigSources) -> CommandOutput {
        var out = "Configuration file search paths (first found wins):\n"
        let selected = sources.selectedFile()
        for (index, entry) in sources.searchEntries().enumerated() {
            let path = entry.path ?? "\(entry.template) (HOME not set)"
            var mark = entry.exists ? "  ✓ exists" : ""
            if entry.exists && entry.path == selected { mark += " (used)" }
            out += "\(index + 1). \(path)\(mark)\n"
        }
        if let explicit = sources.explicitFile {
            out += "Explicit file (--config / MVM_CONFIG) overrides the search: \(selected ?? explicit)\n"
        }
        out += "Environment variables (MVM_RPC_URL, MVM_DB_PATH, ...) override the file; flags override both.\n"
        return CommandOutput(stdout: out)
    }
}
