import ArgumentParser

/// The exit codes every `mvm` command (and the thin executables) use.
///
/// | code | meaning |
/// |---|---|
/// | 0 | success (for `status`: the node is healthy) |
/// | 1 | the command failed (node unreachable, database missing, bad config, ...) |
/// | 2 | usage error: unknown command, unknown or missing flag, bad flag value |
/// | 3 | `status`: the check ran, and the node or validator is unhealthy |
public enum MVMExitCode {
    /// Everything worked.
    public static let success: Int32 = 0
    /// The command failed; the message says what and how to fix it.
    public static let failure: Int32 = 1
    /// The command line was not understood.
    public static let usage: Int32 = 2
    /// `status` ran and found a problem (not syncing, no peers, keys missing, not registered...).
    public static let unhealthy: Int32 = 3
}

/// An error a command reports to the operator: one line saying what failed, an optional line
/// saying how to fix it, and the exit code.
public struct CommandFailure: Error, CustomStringConvertible, Sendable {
    /// What failed.
    public let message: String
    /// How to fix it, when there is something to say.
    public let hint: String?
    /// The process exit code (see ``MVMExitCode``).
    public let exitCode: Int32

    /// A failure with `message`, an optional `hint` and exit code 1 unless given.
    public init(_ message: String, hint: String? = nil, exitCode: Int32 = MVMExitCode.failure) {
        self.message = message
        self.hint = hint
        self.exitCode = exitCode
    }

    /// The message, then the hint.
    public var description: String {
        hint.map { "\(message)\n  hint: \($0)" } ?? message
    }

    /// A feature whose library has not landed in this build yet.
    public static func notAvailable(_ feature: String, library: String) -> CommandFailure {
        CommandFailure(
            "\(feature) is not available in this build yet (\(library) has not landed)",
            hint: "use a newer mvm build; the command line is already final")
    }

    /// A usage problem found after parsing (exit code 2).
    public static func usage(_ message: String, hint: String? = nil) -> CommandFailure {
        CommandFailure(message, hint: hint, exitCode: MVMExitCode.usage)
    }
}
