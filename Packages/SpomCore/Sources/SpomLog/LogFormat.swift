#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How log lines are written.
public enum LogFormat: Sendable, Equatable {
    /// For people: `2026-01-02T03:04:05.678Z INFO  label: message key=value`, the level in colour
    /// when `colour` is true.
    case human(colour: Bool)
    /// For systemd's journal: `<6>label: message key=value`, with a syslog priority prefix and no
    /// timestamp (journald adds one) or colour.
    case journal

    /// Chooses the format for a stream (normally standard error, descriptor 2).
    ///
    /// The journal format is used when `JOURNAL_STREAM` names that very stream (systemd sets it to
    /// `device:inode` of the service's output), so a child whose stderr was redirected is not
    /// fooled. Otherwise lines are human, coloured only when the stream is a terminal and
    /// `NO_COLOR` is not set.
    public static func detect(environment: [String: String], descriptor: Int32 = 2) -> LogFormat {
        if let journal = environment["JOURNAL_STREAM"], let identity = streamIdentity(descriptor),
            journal == identity
        {
            return .journal
        }
        let colour = isatty(descriptor) == 1 && (environment["NO_COLOR"] ?? "").isEmpty
            && environment["TERM"] != "dumb"
        return .human(colour: colour)
    }

    /// `device:inode` of an open descriptor, as systemd writes it in `JOURNAL_STREAM`.
    public static func streamIdentity(_ descriptor: Int32) -> String? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        return "\(info.st_dev):\(info.st_ino)"
    }
}
