/// The type of a Prometheus metric family, as written on its `# TYPE` line.
public enum MetricType: String, Sendable, Hashable, CaseIterable {
    /// A monotonically increasing value; the family name must end in `_total`.
    case counter
    /// A value that can go up and down.
    case gauge
    /// Cumulative buckets plus `_sum` and `_count` series.
    case histogram
    /// Quantiles plus `_sum` and `_count` series (parsed only; the builder does not emit summaries).
    case summary
    /// A value whose type is not known.
    case untyped
}

/// The content types of the Prometheus text exposition format.
public enum PrometheusContentType {
    /// `text/plain; version=0.0.4; charset=utf-8`: the classic text format that ``MetricsExposition`` writes.
    public static let text = "text/plain; version=0.0.4; charset=utf-8"
}
