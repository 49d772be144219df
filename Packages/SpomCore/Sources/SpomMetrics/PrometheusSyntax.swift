/// Name rules, escaping and number formatting of the Prometheus text format.
public enum PrometheusSyntax {
    /// Whether `name` is a valid metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    public static func isValidMetricName(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            let ok = isLetter(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || (!first && isDigit(byte))
            if !ok { return false }
            first = false
        }
        return !first
    }

    /// Whether `name` is a valid label name: `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with the
    /// reserved `__`.
    public static func isValidLabelName(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            let ok = isLetter(byte) || byte == UInt8(ascii: "_") || (!first && isDigit(byte))
            if !ok { return false }
            first = false
        }
        return !first && !name.hasPrefix("__")
    }

    /// Escapes HELP text: `\` becomes `\\` and a line feed becomes `\n`.
    public static func escapeHelp(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes a label value: `\` becomes `\\`, `"` becomes `\"` and a line feed becomes `\n`.
    public static func escapeLabelValue(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\"") })
        else { return value }
        var out = ""
        out.reserveCapacity(value.utf8.count + 8)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"": out += "\\\""
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Formats a sample value: `NaN`, `+Inf`, `-Inf`, integers without a fraction, otherwise
    /// the shortest round-tripping decimal.
    public static func formatValue(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return value.description
    }

    /// Appends `{name="value",...}` (plus `extra` last) to `out`; nothing when there are no labels.
    static func appendLabels(_ labels: MetricLabels, extra: (name: String, value: String)?, to out: inout String) {
        if labels.isEmpty && extra == nil { return }
        out += "{"
        var first = true
        for pair in labels.pairs {
            if !first { out += "," }
            first = false
            out += pair.name
            out += "=\""
            out += escapeLabelValue(pair.value)
            out += "\""
        }
        if let extra {
            if !first { out += "," }
            out += extra.name
            out += "=\""
            out += escapeLabelValue(extra.value)
            out += "\""
        }
        out += "}"
    }

    @inline(__always) static func isLetter(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool {
        b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
    }
}
