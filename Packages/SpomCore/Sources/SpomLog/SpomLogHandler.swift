import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where finished log lines go.
public struct LogSink: Sendable {
    /// Receives one complete line, newline included.
    public let write: @Sendable (String) -> Void

    /// Creates a sink from a closure (tests collect lines this way).
    public init(_ write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    /// Standard error, one `write(2)` per line so lines from concurrent tasks never interleave.
    public static let standardError = LogSink { line in
        let bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Foundation.write(2, base + offset, buffer.count - offset)
            }
            if written <= 0 {
                if written < 0, errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}

/// A swift-log handler writing human or journald lines to a ``LogSink``.
public struct SpomLogHandler: LogHandler {
    /// The logger's label, printed before the message.
    public let label: String
    /// The line format.
    public let format: LogFormat
    /// Where lines go.
    public let sink: LogSink
    /// The minimum level written.
    public var logLevel: Logger.Level
    /// Metadata attached to every line from this handler.
    public var metadata: Logger.Metadata = [:]

    /// Creates a handler.
    public init(label: String, format: LogFormat, level: Logger.Level = .info, sink: LogSink = .standardError) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.sink = sink
    }

    /// Reads or writes one metadata value.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Formats and writes one event.
    public func log(event: LogEvent) {
        sink.write(line(level: event.level, message: event.message, metadata: event.metadata, date: Date()))
    }

    /// The text written for an event (newline included).
    public func line(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, date: Date) -> String {
        var merged = metadata
        if let extra { merged.merge(extra) { _, new in new } }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let body = "\(label): \(message)" + (fields.isEmpty ? "" : " \(fields)")
        // A message spanning lines stays one journal entry / one visual entry.
        let flat = body.replacingOccurrences(of: "\n", with: "\n    ")
        switch format {
        case .journal:
            return "<\(Self.syslogPriority(level))>\(flat)\n"
        case .human(let colour):
            let name = Self.levelName(level)
            let shown = colour ? "\(Self.colourCode(level))\(name)\u{1B}[0m" : name
            return "\(Self.timestamp(date)) \(shown) \(flat)\n"
        }
    }

    /// The syslog priority journald reads from a `<N>` prefix.
    public static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info: "INFO "
        case .notice: "NOTE "
        case .warning: "WARN "
        case .error: "ERROR"
        case .critical: "CRIT "
        }
    }

    static func colourCode(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "\u{1B}[2m"
        case .info: "\u{1B}[32m"
        case .notice: "\u{1B}[36m"
        case .warning: "\u{1B}[33m"
        case .error, .critical: "\u{1B}[31m"
        }
    }

    static func timestamp(_ date: Date) -> String {
        UTCTimestamp.rfc3339(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }
}

/// Bootstraps swift-log for an executable. Libraries never call this; they take a `Logger`.
public enum SpomLogging {
    private static let bootstrapped = Mutex(false)

    /// The level for a run: `debug` when verbose, else `info`, unless `levelVariable` names an
    /// environment variable holding a valid level (`trace` ... `critical`).
    public static func level(verbose: Bool, environment: [String: String], levelVariable: String? = nil) -> Logger.Level {
        if let levelVariable, let text = environment[levelVariable], let level = Logger.Level(rawValue: text.lowercased()) {
            return level
        }
        return verbose ? .debug : .info
    }

    /// Sends every log line to standard error in the format ``LogFormat/detect(environment:descriptor:)``
    /// picks, at `debug` when `verbose`. Standard output is left to command output.
    ///
    /// Safe to call more than once; only the first call takes effect (swift-log allows one
    /// bootstrap per process).
    ///
    /// - Returns: the chosen format.
    @discardableResult
    public static func bootstrap(
        verbose: Bool, environment: [String: String] = ProcessInfo.processInfo.environment,
        levelVariable: String? = nil
    ) -> LogFormat {
        let format = LogFormat.detect(environment: environment)
        let level = level(verbose: verbose, environment: environment, levelVariable: levelVariable)
        let first = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        if first {
            LoggingSystem.bootstrap { label in SpomLogHandler(label: label, format: format, level: level) }
        }
        return format
    }
}
