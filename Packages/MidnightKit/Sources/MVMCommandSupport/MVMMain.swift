import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The entry point of `mvm` and the thin executables: parses the arguments (after
/// ``V1Arguments/normalize(_:)``), runs the command and exits with an ``MVMExitCode``.
///
/// Command output goes to standard output; errors go to standard error as one line saying what
/// failed (and a hint line saying how to fix it), never a stack trace.
public enum MVMMain {
    /// Parses `arguments` as `root`'s command line, runs it and exits the process.
    public static func run(
        _ root: any ParsableCommand.Type,
        arguments: [String] = Array(CommandLine.arguments.dropFirst())
    ) async -> Never {
        let status = await execute(root, arguments: arguments)
        flushStandardOutput()
        exit(status)
    }

    /// Parses and runs `root` with `arguments`, returning the exit code instead of exiting.
    public static func execute(_ root: any ParsableCommand.Type, arguments: [String]) async -> Int32 {
        let normalized = V1Arguments.normalize(arguments)
        if let unknown = unknownCommand(normalized, root: root) {
            let names = root.configuration.subcommands.compactMap { $0.configuration.commandName }
            StandardError.write("\(root.configuration.commandName ?? "mvm"): error: unknown command '\(unknown)'")
            StandardError.write("  hint: commands are \(names.joined(separator: ", ")); see '\(root.configuration.commandName ?? "mvm") --help'")
            return MVMExitCode.usage
        }
        do {
            var command = try root.parseAsRoot(normalized)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return MVMExitCode.success
        } catch {
            return report(error, root: root)
        }
    }

    /// The first argument when it is neither an option nor a subcommand of a root that has
    /// subcommands (otherwise the parser would blame the default subcommand for it).
    static func unknownCommand(_ arguments: [String], root: any ParsableCommand.Type) -> String? {
        let subcommands = root.configuration.subcommands
        guard !subcommands.isEmpty, let first = arguments.first, !first.hasPrefix("-") else { return nil }
        let names = Set(subcommands.flatMap { [$0.configuration.commandName ?? ""] + $0.configuration.aliases } + ["help"])
        return names.contains(first) ? nil : first
    }

    /// Writes `error` for the operator and returns the exit code it maps to.
    static func report(_ error: any Error, root: any ParsableCommand.Type) -> Int32 {
        let name = root.configuration.commandName ?? "mvm"
        switch error {
        case let failure as CommandFailure:
            StandardError.write("\(name): error: \(failure.message)")
            if let hint = failure.hint { StandardError.write("  hint: \(hint)") }
            return failure.exitCode
        case let code as ExitCode:
            return code.rawValue
        default:
            let code = root.exitCode(for: error)
            let message = root.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { StandardOutput.write(message) }
                return MVMExitCode.success
            }
            if code == .validationFailure {
                StandardError.write(message)
                return MVMExitCode.usage
            }
            // A library error that reached the top: its description already names what failed.
            StandardError.write("\(name): error: \(String(describing: error))")
            return MVMExitCode.failure
        }
    }

    static func flushStandardOutput() {
        fflush(nil)
    }
}

/// Writes lines to standard output (command output only; logs never go here).
public enum StandardOutput {
    /// Writes `text` followed by a newline, unbuffered (a long-running command's output appears
    /// at once even when redirected to a file).
    public static func write(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}

/// Writes lines to standard error (errors and hints).
public enum StandardError {
    /// Writes `text` followed by a newline.
    public static func write(_ text: String) {
        fflush(nil)
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
