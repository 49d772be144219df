/// A tolerant reader of the Prometheus text format (and the sample lines of OpenMetrics), for
/// reading a node's or node_exporter's `/metrics`.
///
/// It accepts `# HELP`, `# TYPE` and other comment lines, labels with escaped values (`\\`,
/// `\"`, `\n`), values including `NaN`, `+Inf` and `-Inf`, an optional trailing timestamp
/// (kept apart from the value), OpenMetrics exemplars (`# {...} ...`, ignored) and `# EOF`.
/// Lines it cannot read are skipped and listed in ``PrometheusDocument/issues``.
public enum PrometheusTextParser {
    /// Parses `text` into a document; never throws.
    public static func parse(_ text: String) -> PrometheusDocument {
        var samples: [PrometheusSample] = []
        var types: [String: MetricType] = [:]
        var help: [String: String] = [:]
        var issues: [PrometheusParseIssue] = []
        var lineNumber = 0
        for rawLine in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = text[rawLine.startIndex..<rawLine.endIndex]
            if line.last == "\r" { line = line.dropLast() }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty { continue }
            if trimmed.first == "#" {
                parseComment(trimmed.dropFirst(), types: &types, help: &help)
                continue
            }
            var cursor = Cursor(trimmed)
            switch parseSample(&cursor) {
            case .success(let sample): samples.append(sample)
            case .failure(let reason):
                issues.append(PrometheusParseIssue(line: lineNumber, reason: reason.message, text: String(trimmed.prefix(200))))
            }
        }
        return PrometheusDocument(samples: samples, types: types, help: help, issues: issues)
    }

    struct Failure: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    private static func parseComment(_ body: Substring, types: inout [String: MetricType], help: inout [String: String]) {
        let words = body.drop { $0 == " " || $0 == "\t" }
        if words.hasPrefix("HELP ") || words.hasPrefix("HELP\t") {
            let rest = words.dropFirst(5).drop { $0 == " " || $0 == "\t" }
            let name = rest.prefix { $0 != " " && $0 != "\t" }
            let text = rest.dropFirst(name.count).drop { $0 == " " || $0 == "\t" }
            if !name.isEmpty { help[String(name)] = unescape(text, quotes: false) }
        } else if words.hasPrefix("TYPE ") || words.hasPrefix("TYPE\t") {
            let rest = words.dropFirst(5).drop { $0 == " " || $0 == "\t" }
            let name = rest.prefix { $0 != " " && $0 != "\t" }
            let kind = rest.dropFirst(name.count).trimmingSpaces().lowercased()
            if !name.isEmpty {
                // OpenMetrics spellings map onto the classic types.
                let type: MetricType? =
                    switch kind {
                    case "gaugehistogram": .histogram
                    case "stateset", "info", "unknown": .untyped
                    default: MetricType(rawValue: kind)
                    }
                if let type { types[String(name)] = type }
            }
        }
    }

    private static func parseSample(_ cursor: inout Cursor) -> Result<PrometheusSample, Failure> {
        let name = cursor.take { $0.isMetricNameCharacter }
        guard !name.isEmpty, PrometheusSyntax.isValidMetricName(String(name)) else {
            return .failure(Failure("expected a metric name"))
        }
        cursor.skipSpaces()
        var labels: [(name: String, value: String)] = []
        if cursor.peek == "{" {
            cursor.advance()
            while true {
                cursor.skipSpaces()
                if cursor.peek == "}" { cursor.advance(); break }
                let labelName = cursor.take { $0.isMetricNameCharacter && $0 != ":" }
                guard !labelName.isEmpty else { return .failure(Failure("expected a label name")) }
                cursor.skipSpaces()
                guard cursor.peek == "=" else { return .failure(Failure("expected = after label \(labelName)")) }
                cursor.advance()
                cursor.skipSpaces()
                guard cursor.peek == "\"" else { return .failure(Failure("expected a quoted value for label \(labelName)")) }
                cursor.advance()
                guard let value = cursor.takeQuoted() else { return .failure(Failure("unterminated value for label \(labelName)")) }
                labels.append((name: String(labelName), value: value))
                cursor.skipSpaces()
                if cursor.peek == "," { cursor.advance(); continue }
                if cursor.peek == "}" { cursor.advance(); break }
                return .failure(Failure("expected , or } after label \(labelName)"))
            }
        }
        cursor.skipSpaces()
        let valueText = cursor.take { $0 != " " && $0 != "\t" }
        guard let value = parseValue(valueText) else {
            return .failure(Failure(valueText.isEmpty ? "missing value" : "bad value \(valueText)"))
        }
        cursor.skipSpaces()
        var timestamp: Int64?
        if let next = cursor.peek, next != "#" {
            let stampText = cursor.take { $0 != " " && $0 != "\t" }
            // OpenMetrics writes seconds with a fraction; the classic format integer milliseconds.
            if let ms = Int64(stampText) {
                timestamp = ms
            } else if let seconds = Double(stampText), seconds.isFinite {
                timestamp = Int64((seconds * 1000).rounded())
            } else {
                return .failure(Failure("bad timestamp \(stampText)"))
            }
        }
        return .success(PrometheusSample(name: String(name), labels: MetricLabels(labels), value: value, timestampMs: timestamp))
    }

    /// Reads a value as Go's ParseFloat would for exposition: decimals, exponents, NaN, ±Inf.
    static func parseValue(_ text: Substring) -> Double? {
        guard !text.isEmpty else { return nil }
        switch text.lowercased() {
        case "nan": return .nan
        case "+inf", "inf", "+infinity", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: break
        }
        // Swift's Double(String) also takes hex floats; the format does not, but they are harmless.
        return Double(text)
    }

    /// Undoes `\\`, `\n` (and `\"` inside quotes); unknown escapes are kept as written.
    static func unescape(_ text: Substring, quotes: Bool) -> String {
        guard text.contains("\\") else { return String(text) }
        var out = ""
        var escaping = false
        for ch in text {
            if escaping {
                switch ch {
                case "\\": out.append("\\")
                case "n": out.append("\n")
                case "\"" where quotes: out.append("\"")
                default: out.append("\\"); out.append(ch)
                }
                escaping = false
            } else if ch == "\\" {
                escaping = true
            } else {
                out.append(ch)
            }
        }
        if escaping { out.append("\\") }
        return out
    }
}

/// A forward-only reader over a line's characters.
struct Cursor {
    private var rest: Substring

    init(_ text: Substring) { rest = text }

    var peek: Character? { rest.first }

    mutating func advance() { rest = rest.dropFirst() }

    mutating func skipSpaces() { rest = rest.drop { $0 == " " || $0 == "\t" } }

    mutating func take(while predicate: (Character) -> Bool) -> Substring {
        let taken = rest.prefix(while: predicate)
        rest = rest.dropFirst(taken.count)
        return taken
    }

    /// Reads up to the closing unescaped quote (consumed) and returns the unescaped value.
    mutating func takeQuoted() -> String? {
        var index = rest.startIndex
        var escaped = false
        while index < rest.endIndex {
            let ch = rest[index]
            if escaped {
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == "\"" {
                let raw = rest[rest.startIndex..<index]
                rest = rest[rest.index(after: index)...]
                return PrometheusTextParser.unescape(raw, quotes: true)
            }
            index = rest.index(after: index)
        }
        return nil
    }
}

extension Character {
    var isMetricNameCharacter: Bool {
        guard let ascii = asciiValue else { return false }
        return PrometheusSyntax.isLetter(ascii) || PrometheusSyntax.isDigit(ascii) || ascii == UInt8(ascii: "_") || ascii == UInt8(ascii: ":")
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var result = drop { $0 == " " || $0 == "\t" }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
