/// An ordered set of label pairs for one sample, written in the order given.
///
/// Build it from a dictionary literal (which keeps the literal's order):
///
/// ```swift
/// let labels: MetricLabels = ["chain": "demo", "method": "get_header"]
/// ```
public struct MetricLabels: Sendable, Hashable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// The label pairs in order.
    public private(set) var pairs: [(name: String, value: String)]

    /// No labels.
    public static let none = MetricLabels()

    /// Creates labels from `pairs`, kept in the given order.
    public init(_ pairs: [(name: String, value: String)] = []) {
        self.pairs = pairs
    }

    /// Creates labels from a dictionary, sorted by label name so that the output is stable.
    public init(sorted dictionary: [String: String]) {
        self.pairs = dictionary.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
    }

    /// Creates labels from a dictionary literal, keeping the literal's order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.pairs = elements.map { (name: $0.0, value: $0.1) }
    }

    /// The value of the label `name`, or `nil` when absent.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Whether there are no labels.
    public var isEmpty: Bool { pairs.isEmpty }

    /// A copy with `name` set to `value` (replacing an existing value, else appended).
    public func adding(_ name: String, _ value: String) -> MetricLabels {
        var copy = self
        if let index = copy.pairs.firstIndex(where: { $0.name == name }) {
            copy.pairs[index].value = value
        } else {
            copy.pairs.append((name: name, value: value))
        }
        return copy
    }

    /// A copy with the labels of `other` added (values in `other` win).
    public func merging(_ other: MetricLabels) -> MetricLabels {
        var copy = self
        for pair in other.pairs { copy = copy.adding(pair.name, pair.value) }
        return copy
    }

    /// Whether every pair of `subset` is present here with the same value.
    public func contains(_ subset: MetricLabels) -> Bool {
        subset.pairs.allSatisfy { wanted in pairs.contains { $0.name == wanted.name && $0.value == wanted.value } }
    }

    /// The labels in exposition syntax, e.g. `{chain="demo"}`, or the empty string.
    public var description: String {
        var out = ""
        PrometheusSyntax.appendLabels(self, extra: nil, to: &out)
        return out
    }

    public static func == (lhs: MetricLabels, rhs: MetricLabels) -> Bool {
        lhs.pairs.count == rhs.pairs.count && lhs.contains(rhs)
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent so that equal label sets hash equally.
        var combined = 0
        for pair in pairs {
            var h = Hasher()
            h.combine(pair.name)
            h.combine(pair.value)
            combined ^= h.finalize()
        }
        hasher.combine(pairs.count)
        hasher.combine(combined)
    }
}
