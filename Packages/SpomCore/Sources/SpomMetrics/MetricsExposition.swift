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
        case sample(value: Double)
        case histogram(labels: MetricLabels, buckets: [(upperBound: Double, count: Double)], sum: Double, count: Double)
    }

    struct Family: Sendable {
        let name: String
        let type: MetricType
        let help: String
        /// (rendered labels, series): the rendered text is the sort key and the duplicate check.
        var series: [(key: String, series: Series)] = []
        var seen: Set<String> = []
    }

    private var index: [String: Int] = [:]
    private var families: [Family] = []
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
        familyIndex(name, type: type, help: help) != nil
    }

    /// The index of the family, declaring it on first use; `nil` (and an issue) when unusable.
    private mutating func familyIndex(_ name: String, type: MetricType, help: String) -> Int? {
        if let position = index[name] {
            let existing = families[position].type
            if existing != type {
                issues.append(MetricsIssue(.conflictingType, metric: name, detail: "\(existing.rawValue) then \(type.rawValue)"))
                return nil
            }
            return position
        }
        guard PrometheusSyntax.isValidMetricName(name) else {
            issues.append(MetricsIssue(.invalidMetricName, metric: name))
            return nil
        }
        if type == .counter && !name.hasSuffix("_total") {
            issues.append(MetricsIssue(.counterWithoutTotalSuffix, metric: name))
            return nil
        }
        index[name] = families.count
        families.append(Family(name: name, type: type, help: help))
        return families.count - 1
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
        guard let position = familyIndex(name, type: type, help: help), validLabels(labels, metric: name, reserved: nil) else { return }
        insert(.sample(value: value), key: labels.description, into: position)
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
        guard let position = familyIndex(name, type: .histogram, help: help), validLabels(labels, metric: name, reserved: "le")
        else { return }
        var buckets = buckets
        for index in buckets.indices.dropFirst()
        where buckets[index].upperBound <= buckets[index - 1].upperBound || buckets[index].count < buckets[index - 1].count {
            issues.append(MetricsIssue(.invalidBuckets, metric: name, detail: "must have increasing bounds and non-decreasing counts"))
            return
        }
        if buckets.last?.upperBound != .infinity { buckets.append((upperBound: .infinity, count: count)) }
        insert(.histogram(labels: labels, buckets: buckets, sum: sum, count: count), key: labels.description, into: position)
    }

    private mutating func validLabels(_ labels: MetricLabels, metric: String, reserved: String?) -> Bool {
        let pairs = labels.pairs
        for (position, pair) in pairs.enumerated() {
            guard PrometheusSyntax.isValidLabelName(pair.name) else {
                issues.append(MetricsIssue(.invalidLabelName, metric: metric, detail: "\"\(pair.name)\""))
                return false
            }
            // Label sets are small: a quadratic check beats building a Set per sample.
            let repeated = pairs[..<position].contains { $0.name == pair.name }
            guard !repeated, pair.name != reserved else {
                issues.append(MetricsIssue(.duplicateLabel, metric: metric, detail: "\"\(pair.name)\""))
                return false
            }
        }
        return true
    }

    private mutating func insert(_ series: Series, key: String, into position: Int) {
        if families[position].seen.insert(key).inserted {
            families[position].series.append((key: key, series: series))
        } else {
            issues.append(MetricsIssue(.duplicateSeries, metric: families[position].name, detail: key))
        }
    }

    /// The document text: families sorted by name, a trailing line feed (empty string when there
    /// are no families).
    public func render() -> String {
        var out = ""
        out.reserveCapacity(families.reduce(0) { $0 + 96 + $1.series.count * ($1.name.utf8.count + 48) })
        for family in families.sorted(by: { $0.name < $1.name }) {
            let name = family.name
            out += "# HELP "
            out += name
            out += " "
            out += PrometheusSyntax.escapeHelp(family.help)
            out += "\n# TYPE "
            out += name
            out += " "
            out += family.type.rawValue
            out += "\n"
            let rendered = family.series.sorted { $0.key < $1.key }
            for (key, series) in rendered {
                switch series {
                case .sample(let value):
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
