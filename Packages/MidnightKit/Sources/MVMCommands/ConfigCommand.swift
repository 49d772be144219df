import ArgumentParser

/// `mvm config show|validate|example|paths`.
public struct ConfigCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Show, validate, print an example of, or locate the configuration.",
        subcommands: [ConfigShow.self, ConfigValidate.self, ConfigExample.self, ConfigPaths.self])
    @OptionGroup public var global: GlobalOptions
    public init() {}
}

/// `mvm config show`: the effective configuration and where each value came from.
public struct ConfigShow: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the effective configuration as TOML.")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var output: OutputOptions
    public init() {}
    public func run() async throws {
        _ = try output.resolved()
        throw CommandFailure.notAvailable("config show", library: "MidnightConfig")
    }
}

/// `mvm config validate`: exits 1 naming the file, key, line and reason of the first problems.
public struct ConfigValidate: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "validate", abstract: "Check the config file; non-zero exit with file, key and line on errors.")
    @OptionGroup public var global: GlobalOptions
    public init() {}
    public func run() async throws {
        throw CommandFailure.notAvailable("config validate", library: "MidnightConfig")
    }
}

/// `mvm config example`: a commented config with every key, on stdout only.
public struct ConfigExample: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "example", abstract: "Print a commented example config (mvm config example > mvm.toml).")
    @OptionGroup public var global: GlobalOptions
    public init() {}
    public func run() async throws {
        throw CommandFailure.notAvailable("config example", library: "MidnightConfig")
    }
}

/// `mvm config paths`: the search path, marking the files that exist.
public struct ConfigPaths: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "paths", abstract: "List the config search path.")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var output: OutputOptions
    public init() {}
    public func run() async throws {
        _ = try output.resolved()
        throw CommandFailure.notAvailable("config paths", library: "MidnightConfig")
    }
}
