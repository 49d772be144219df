/// A problem found while building an exposition. The offending family or sample is left out of
/// the output (a scrape never fails because of one bad series) and the problem is reported here.
public struct MetricsIssue: Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Kind: String, Sendable, Hashable {
        /// The metric name does not match `[a-zA-Z_:][a-zA-Z0-9_:]*`.
        case invalidMetricName
        /// A label name does not match `[a-zA-Z_][a-zA-Z0-9_]*` or starts with `__`.
        case invalidLabelName
        /// A counter family whose name does not end in `_total`.
        case counterWithoutTotalSuffix
        /// The family was declared before with another type.
        case conflictingType
        /// The same label set was added twice to one family.
        case duplicateSeries
        /// A label name appears twice in one sample, or a histogram sample uses the reserved `le`.
        case duplicateLabel
        /// Histogram buckets are not sorted by bound or their counts decrease.
        case invalidBuckets
    }

    /// The kind of problem.
    public let kind: Kind
    /// The metric family concerned.
    public let metric: String
    /// Details (the bad label name, the labels of a duplicate series, ...).
    public let detail: String

    /// Creates an issue.
    public init(_ kind: Kind, metric: String, detail: String = "") {
        self.kind = kind
        self.metric = metric
        self.detail = detail
    }

    /// A readable message naming the metric and the problem.
    public var description: String {
        let what: String
        switch kind {
        case .invalidMetricName: what = "invalid metric name (allowed: [a-zA-Z_:][a-zA-Z0-9_:]*)"
        case .invalidLabelName: what = "invalid label name \(detail) (allowed: [a-zA-Z_][a-zA-Z0-9_]*, not starting with __)"
        case .counterWithoutTotalSuffix: what = "counter name must end in _total"
        case .conflictingType: what = "declared again with another type (\(detail))"
        case .duplicateSeries: what = "series \(detail) added twice"
        case .duplicateLabel: what = "label \(detail) repeated or reserved"
        case .invalidBuckets: what = "histogram buckets \(detail)"
        }
        return "metric \"\(metric)\": \(what)"
    }
}
