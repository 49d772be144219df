/// Builds a document in the Prometheus text exposition format (version 0.0.4).
///
/// Families are written sorted by name, each with one `# HELP` and one `# TYPE` line; series
/// within a family are sorted by their label text, so the output depends only on the data, not
/// on the order the app happened to add it. Invalid names are not written but reported in
/// ``issues``. The document always ends with a line feed.
///
/// ```swift
/// var metrics = MetricsExposition()
/// metrics.gauge("app_node_peers", help: "Connected peers.", value: 12, labels: ["chain": "demo"])
/// metrics.counter("app_rpc_requests_total", help: "RPC requests sent.", value: 1042)
/// let body = metrics.render()   // serve with PrometheusContentType.text
/// ```
public struct MetricsExposition: Sendable {
    /// One series of a family: a plain sample, or a whole histogram series.
    enum Series: Sendable {
        case sample(labels: MetricLabels, value: Double)
        case histogram(labels: MetricLabels, buckets: [(upperBound: Double, count: Double)], sum: Double, count: Double)

        var labels: MetricLabels {
            switch self {
            case .sample(let labels, _), .histogram(let labels, _, _, _): labels
            }
        }
    }

    struct Family: Sendable {
        let name: String
        let type: MetricType
        let help: String
        var series: [Series] = []
        var seen: Set<MetricLabels> = []
    }

    private var families: [String: Family] = [:]
    /// Problems found so far; the offending data is not in the output.
    public private(set) var issues: [MetricsIssue] = []

    /// Creates an empty exposition.
    public init() {}

    /// The number of families declared (valid ones only).
    public var familyCount: Int { families.count }

    /// Declares the family `name` with its type and help text; adding samples declares it too.
    ///
    /// A family with no samples is still written (HELP and TYPE only), which documents a series
    /// that has no value yet.
    /// - Returns: whether the family is usable (valid name, no type conflict).
    @discardableResult
    public mutating func declare(_ name: String, type: MetricType, help: String) -> Bool {
        if let existing = families[name] {
            if existing.type != type {
                issues.append(MetricsIssue(.conflictingType, metric: name, detail: "\(existing.type.rawValue) then \(type.rawValue)"))
                return false
            }
            return true
        }
        guard PrometheusSyntax.isValidMetricName(name) else {
            issues.append(MetricsIssue(.invalidMetricName, metric: name))
            return false
        }
        if type == .counter && !name.hasSuffix("_total") {
            issues.append(MetricsIssue(.counterWithoutTotalSuffix, metric: name))
            return false
        }
        families[name] = Family(name: name, type: type, help: help)
        return true
    }

    /// Adds a counter sample (the name must end in `_total`).
    public mutating func counter(_ name: String, help: String, value: Double, labels: MetricLabels = .none) {
        add(name, type: .counter, help: help, value: value, labels: labels)
    }

    /// Adds a gauge sample.
    public mutating func gauge(_ name: String, help: String, value: Double, labels: MetricLabels = .none) {
        add(name, type: .gauge, help: help, value: value, labels: labels)
    }

    /// Adds an untyped sample.
    public mutating func untyped(_ name: String, help: String, value: Double, labels: MetricLabels = .none) {
        add(name, type: .untyped, help: help, value: value, labels: labels)
    }

    /// Adds a sample to the family `name` of type `type` (declared on first use).
    public mutating func add(_ name: String, type: MetricType, help: String, value: Double, labels: MetricLabels = .none) {
        guard type != .histogram, type != .summary else {
            issues.append(MetricsIssue(.conflictingType, metric: name, detail: "use histogram(...) for histograms"))
            return
        }
        guard declare(name, type: type, help: help), validLabels(labels, metric: name, reserved: nil) else { return }
        insert(.sample(labels: labels, value: value), into: name)
    }

    /// Adds one histogram series: cumulative `buckets` (upper bound, cumulative count) sorted by
    /// bound, plus `sum` and `count`. The `+Inf` bucket is added (equal to `count`) when absent.
    public mutating func histogram(
        _ name: String,
        help: String,
        buckets: [(upperBound: Double, count: Double)],
        sum: Double,
        count: Double,
        labels: MetricLabels = .none
    ) {
        guard declare(name, type: .histogram, help: help), validLabels(labels, metric: name, reserved: "le") else { return }
        var buckets = buckets
        for index in buckets.indices.dropFirst()
        where buckets[index].upperBound <= buckets[index - 1].upperBound || buckets[index].count < buckets[index - 1].count {
            issues.append(MetricsIssue(.invalidBuckets, metric: name, detail: "must have increasing bounds and non-decreasing counts"))
            return
        }
        if buckets.last?.upperBound != .infinity { buckets.append((upperBound: .infinity, count: count)) }
        insert(.histogram(labels: labels, buckets: buckets, sum: sum, count: count), into: name)
    }

    private mutating func validLabels(_ labels: MetricLabels, metric: String, reserved: String?) -> Bool {
        var names = Set<String>()
        for pair in labels.pairs {
            guard PrometheusSyntax.isValidLabelName(pair.name) else {
                issues.append(MetricsIssue(.invalidLabelName, metric: metric, detail: "\"\(pair.name)\""))
                return false
            }
            guard names.insert(pair.name).inserted, pair.name != reserved else {
                issues.append(MetricsIssue(.duplicateLabel, metric: metric, detail: "\"\(pair.name)\""))
                return false
            }
        }
        return true
    }

    private mutating func insert(_ series: Series, into name: String) {
        guard families[name] != nil else { return }
        let labels = series.labels
        if families[name]!.seen.insert(labels).inserted {
            families[name]!.series.append(series)
        } else {
            issues.append(MetricsIssue(.duplicateSeries, metric: name, detail: labels.description))
        }
    }

    /// The document text: families sorted by name, a trailing line feed (empty string when there
    /// are no families).
    public func render() -> String {
        var out = ""
        out.reserveCapacity(families.count * 160)
        for name in families.keys.sorted() {
            guard let family = families[name] else { continue }
            out += "# HELP "
            out += name
            out += " "
            out += PrometheusSyntax.escapeHelp(family.help)
            out += "\n# TYPE "
            out += name
            out += " "
            out += family.type.rawValue
            out += "\n"
            var rendered: [(key: String, series: Series)] = family.series.map { ($0.labels.description, $0) }
            rendered.sort { $0.key < $1.key }
            for (key, series) in rendered {
                switch series {
                case .sample(_, let value):
                    out += name
                    out += key
                    out += " "
                    out += PrometheusSyntax.formatValue(value)
                    out += "\n"
                case .histogram(let labels, let buckets, let sum, let count):
                    for bucket in buckets {
                        out += name
                        out += "_bucket"
                        PrometheusSyntax.appendLabels(labels, extra: (name: "le", value: PrometheusSyntax.formatValue(bucket.upperBound)), to: &out)
                        out += " "
                        out += PrometheusSyntax.formatValue(bucket.count)
                        out += "\n"
                    }
                    out += name + "_sum" + key + " " + PrometheusSyntax.formatValue(sum) + "\n"
                    out += name + "_count" + key + " " + PrometheusSyntax.formatValue(count) + "\n"
                }
            }
        }
        return out
    }
}
