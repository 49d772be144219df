/// One sample read from a Prometheus text document.
public struct PrometheusSample: Sendable, Hashable {
    /// The sample name as written (e.g. `substrate_block_height` or `x_bucket`).
    public let name: String
    /// The sample's labels in the order written.
    public let labels: MetricLabels
    /// The value (may be NaN or infinite).
    public let value: Double
    /// The optional trailing timestamp in milliseconds (never confused with the value).
    public let timestampMs: Int64?

    /// Creates a sample.
    public init(name: String, labels: MetricLabels, value: Double, timestampMs: Int64? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestampMs = timestampMs
    }

    public static func == (lhs: PrometheusSample, rhs: PrometheusSample) -> Bool {
        lhs.name == rhs.name && lhs.labels == rhs.labels && lhs.timestampMs == rhs.timestampMs
            && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(labels)
        hasher.combine(timestampMs)
    }
}

/// A line the parser could not read; it was skipped.
public struct PrometheusParseIssue: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number.
    public let line: Int
    /// Why the line was skipped.
    public let reason: String
    /// The line's text (cut to 200 characters).
    public let text: String

    /// A message naming the line and the reason.
    public var description: String { "line \(line): \(reason): \(text)" }
}

/// A parsed Prometheus text document: samples plus the HELP and TYPE metadata.
public struct PrometheusDocument: Sendable {
    /// Every sample, in document order.
    public let samples: [PrometheusSample]
    /// `# TYPE` per family name.
    public let types: [String: MetricType]
    /// `# HELP` text (unescaped) per family name.
    public let help: [String: String]
    /// Lines that were skipped because they could not be read.
    public let issues: [PrometheusParseIssue]

    /// Creates a document.
    public init(samples: [PrometheusSample], types: [String: MetricType], help: [String: String], issues: [PrometheusParseIssue]) {
        self.samples = samples
        self.types = types
        self.help = help
        self.issues = issues
    }

    /// Parses `text` tolerantly (see ``PrometheusTextParser``).
    public init(parsing text: String) {
        self = PrometheusTextParser.parse(text)
    }

    /// The first sample named `name` whose labels include every pair of `labels`.
    public func find(_ name: String, _ labels: MetricLabels = .none) -> PrometheusSample? {
        samples.first { $0.name == name && $0.labels.contains(labels) }
    }

    /// The value of ``find(_:_:)``, or `nil`.
    public func value(_ name: String, _ labels: MetricLabels = .none) -> Double? {
        find(name, labels)?.value
    }

    /// Every sample named `name` whose labels include every pair of `labels`.
    public func all(_ name: String, _ labels: MetricLabels = .none) -> [PrometheusSample] {
        samples.filter { $0.name == name && $0.labels.contains(labels) }
    }

    /// The sum of the values of ``all(_:_:)``, or `nil` when no sample matches.
    public func sum(_ name: String, _ labels: MetricLabels = .none) -> Double? {
        let matching = all(name, labels)
        return matching.isEmpty ? nil : matching.reduce(0) { $0 + $1.value }
    }
}
