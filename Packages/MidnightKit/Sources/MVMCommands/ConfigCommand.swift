import ArgumentParser
import MidnightConfig
import MVMCommandSupport

/// `mvm config show|validate|example|paths` (the texts come from MidnightConfig).
public struct ConfigCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Show, validate, print an example of, or locate the configuration.",
        subcommands: [ConfigShow.self, ConfigValidate.self, ConfigExample.self, ConfigPaths.self])
    @OptionGroup public var global: GlobalOptions
    public init() {}
}

/// Writes a MidnightConfig command result and turns a non-zero status into the exit code.
func emit(_ output: CommandOutput) throws {
    if !output.stdout.isEmpty {
        StandardOutput.write(output.stdout.hasSuffix("\n") ? String(output.stdout.dropLast()) : output.stdout)
    }
    if !output.stderr.isEmpty {
        StandardError.write(output.stderr.hasSuffix("\n") ? String(output.stderr.dropLast()) : output.stderr)
    }
    if output.exitCode != 0 { throw ExitCode(output.exitCode) }
}

/// `mvm config show`: the effective configuration (secrets masked) as TOML.
public struct ConfigShow: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the effective configuration as TOML (secrets masked).")
    @OptionGroup public var global: GlobalOptions
    public init() {}
    public func run() async throws {
        try emit(MVMConfigCommands.show(MVMConfigCommands.sources(configPath: global.config)))
    }
}

/// `mvm config validate`: exits 1 naming the file, key, line and reason of every problem.
public struct ConfigValidate: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "validate", abstract: "Check the config; exit 1 naming file, key and line of each error.")
    @OptionGroup public var global: GlobalOptions
    public init() {}
    public func run() async throws {
        try emit(MVMConfigCommands.validate(MVMConfigCommands.sources(configPath: global.config)))
    }
}

/// `mvm config example`: a commented config with every key, on stdout only.
public struct ConfigExample: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "example", abstract: "Print a commented example config: mvm config example > mvm.toml")
    @OptionGroup public var global: GlobalOptions
    public init() {}
    public func run() async throws {
        try emit(MVMConfigCommands.example())
    }
}

/// `mvm config paths`: the search path, marking the files that exist.
public struct ConfigPaths: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "paths", abstract: "List the config search path and which files exist.")
    @OptionGroup public var global: GlobalOptions
    public init() {}
    public func run() async throws {
        try emit(MVMConfigCommands.paths(MVMConfigCommands.sources(configPath: global.config)))
    }
}
