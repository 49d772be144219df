import SpomTheme

/// How old a piece of data is, for a panel's corner: `"● 12s ago"` while fresh, `"⚠ stale 3m ago"`
/// once older than a threshold, `"○ no data"` before the first success.
public struct AgeBadge: Hashable, Sendable {
    /// Seconds since the data was last fetched successfully; nil when it never was.
    public var age: Double?
    /// Age (seconds) from which the data is stale.
    public var staleAfter: Double

    /// Creates a badge.
    public init(age: Double?, staleAfter: Double) {
        self.age = age
        self.staleAfter = staleAfter
    }

    /// Creates a badge from the last success and the current time (both in seconds, any epoch).
    public init(lastSuccess: Double?, now: Double, staleAfter: Double) {
        self.init(age: lastSuccess.map { max(0, now - $0) }, staleAfter: staleAfter)
    }

    /// True when there is no data or it is older than ``staleAfter``.
    public var isStale: Bool {
        guard let age else { return true }
        return age > staleAfter
    }

    /// `"12s ago"`, `"3m 05s ago"`, `"2h 10m ago"`, `"3d 4h ago"`; `"just now"` under a second.
    public static func describe(age seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "unknown" }
        let s = Int(seconds)
        if s < 1 { return "just now" }
        if s < 60 { return "\(s)s ago" }
        if s < 3600 {
            let rest = s % 60
            return "\(s / 60)m \(rest < 10 ? "0" : "")\(rest)s ago"
        }
        if s < 86_400 { return "\(s / 3600)h \((s % 3600) / 60)m ago" }
        return "\(s / 86_400)d \((s % 86_400) / 3600)h ago"
    }

    /// The plain text of the badge.
    public var text: String { line.plainText }

    /// The badge as a styled line.
    public var line: StyledLine {
        guard let age else {
            return StyledLine(Span("○ ", role: .muted), Span("no data", role: .muted))
        }
        if age > staleAfter {
            return StyledLine(Span("⚠ ", role: .warning), Span("stale " + Self.describe(age: age), role: .warning, .bold))
        }
        return StyledLine(Span("● ", role: .success), Span(Self.describe(age: age), role: .muted))
    }
}
