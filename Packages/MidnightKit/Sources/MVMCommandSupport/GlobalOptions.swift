import ArgumentParser
import Foundation
import Logging
import SpomLog

/// Options every command accepts, before or after the subcommand name.
public struct GlobalOptions: ParsableArguments, Sendable {
    /// `-v/--verbose`: debug logging (on standard error).
    @Flag(name: .shortAndLong, help: "Log debug detail (logs go to standard error).")
    public var verbose = false

    /// `--config PATH`: use this config file instead of searching the default locations.
    @Option(name: .long, help: ArgumentHelp("Config file to use instead of the search path.", valueName: "path"))
    public var config: String?

    /// Creates the defaults.
    public init() {}

    /// Bootstraps logging to standard error (once per process) and returns a logger for `label`.
    public func logger(_ label: String) -> Logger {
        _ = SpomLogging.bootstrap(verbose: verbose, levelVariable: "MVM_LOG_LEVEL")
        return Logger(label: label)
    }
}

/// How a command prints data: a readable table (default), the shared entity JSON, or CSV.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Aligned columns for people.
    case table
    /// The entity JSON shared with the REST API.
    case json
    /// Comma-separated values with a header row.
    case csv
}

/// `--json` and `--format table|json|csv`.
public struct OutputOptions: ParsableArguments, Sendable {
    /// `--json`: same as `--format json`.
    @Flag(name: .long, help: "Print the shared entity JSON (same as --format json).")
    public var json = false

    /// `--format`: table (default), json or csv.
    @Option(name: .long, help: "Output format: table, json or csv.")
    public var format: OutputFormat?

    /// Creates the defaults.
    public init() {}

    /// The format chosen; `--json` wins over the default, a conflicting `--format` is a usage error.
    public func resolved() throws -> OutputFormat {
        if json {
            if let format, format != .json {
                throw CommandFailure.usage("--json conflicts with --format \(format.rawValue)", hint: "pass only one of them")
            }
            return .json
        }
        return format ?? .table
    }
}
