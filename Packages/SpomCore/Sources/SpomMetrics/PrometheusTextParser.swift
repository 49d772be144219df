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
        var copy = text
        return copy.withUTF8 { bytes in parse(bytes: bytes) }
    }

    /// Parses UTF-8 `bytes` line by line (works on bytes: a node's `/metrics` has thousands of lines).
    static func parse(bytes: UnsafeBufferPointer<UInt8>) -> PrometheusDocument {
        var samples: [PrometheusSample] = []
        var types: [String: MetricType] = [:]
        var help: [String: String] = [:]
        var issues: [PrometheusParseIssue] = []
        var lineNumber = 0
        var lineStart = 0
        let count = bytes.count
        while lineStart <= count {
            var lineEnd = lineStart
            while lineEnd < count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            lineNumber += 1
            var end = lineEnd
            if end > lineStart && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            var start = lineStart
            while start < end && (bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t")) { start += 1 }
            defer { lineStart = lineEnd + 1 }
            if start == end {
                if lineEnd == count { break }
                continue
            }
            if bytes[start] == UInt8(ascii: "#") {
                let comment = String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<end]), as: UTF8.self)
                parseComment(comment[...], types: &types, help: &help)
                continue
            }
            var reader = ByteReader(bytes: bytes, position: start, end: end)
            switch parseSample(&reader) {
            case .success(let sample): samples.append(sample)
            case .failure(let reason):
                let line = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                issues.append(PrometheusParseIssue(line: lineNumber, reason: reason.message, text: String(line.prefix(200))))
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

    private static func parseSample(_ reader: inout ByteReader) -> Result<PrometheusSample, Failure> {
        let nameStart = reader.position
        if let first = reader.peek, PrometheusSyntax.isDigit(first) { return .failure(Failure("expected a metric name")) }
        reader.skip { PrometheusSyntax.isLetter($0) || PrometheusSyntax.isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":") }
        guard reader.position > nameStart else { return .failure(Failure("expected a metric name")) }
        let name = reader.string(from: nameStart)
        reader.skipSpaces()
        var labels: [(name: String, value: String)] = []
        if reader.peek == UInt8(ascii: "{") {
            reader.advance()
            while true {
                reader.skipSpaces()
                if reader.peek == UInt8(ascii: "}") { reader.advance(); break }
                let labelStart = reader.position
                reader.skip { PrometheusSyntax.isLetter($0) || PrometheusSyntax.isDigit($0) || $0 == UInt8(ascii: "_") }
                guard reader.position > labelStart else { return .failure(Failure("expected a label name")) }
                let labelName = reader.string(from: labelStart)
                reader.skipSpaces()
                guard reader.peek == UInt8(ascii: "=") else { return .failure(Failure("expected = after label \(labelName)")) }
                reader.advance()
                reader.skipSpaces()
                guard reader.peek == UInt8(ascii: "\"") else { return .failure(Failure("expected a quoted value for label \(labelName)")) }
                reader.advance()
                guard let value = reader.quoted() else { return .failure(Failure("unterminated value for label \(labelName)")) }
                labels.append((name: labelName, value: value))
                reader.skipSpaces()
                if reader.peek == UInt8(ascii: ",") { reader.advance(); continue }
                if reader.peek == UInt8(ascii: "}") { reader.advance(); break }
                return .failure(Failure("expected , or } after label \(labelName)"))
            }
        }
        reader.skipSpaces()
        let valueStart = reader.position
        reader.skip { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
        let valueText = reader.string(from: valueStart)
        guard let value = parseValue(valueText[...]) else {
            return .failure(Failure(valueText.isEmpty ? "missing value" : "bad value \(valueText)"))
        }
        reader.skipSpaces()
        var timestamp: Int64?
        if let next = reader.peek, next != UInt8(ascii: "#") {
            let stampStart = reader.position
            reader.skip { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
            let stampText = reader.string(from: stampStart)
            // OpenMetrics writes seconds with a fraction; the classic format integer milliseconds.
            if let ms = Int64(stampText) {
                timestamp = ms
            } else if let seconds = Double(stampText), seconds.isFinite {
                timestamp = Int64((seconds * 1000).rounded())
            } else {
                return .failure(Failure("bad timestamp \(stampText)"))
            }
        }
        return .success(PrometheusSample(name: name, labels: MetricLabels(labels), value: value, timestampMs: timestamp))
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

/// A forward-only reader over one line's bytes.
struct ByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int
    let end: Int

    var peek: UInt8? { position < end ? bytes[position] : nil }

    mutating func advance() { position += 1 }

    mutating func skipSpaces() {
        while position < end && (bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t")) { position += 1 }
    }

    mutating func skip(while predicate: (UInt8) -> Bool) {
        while position < end && predicate(bytes[position]) { position += 1 }
    }

    func string(from start: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// Reads up to the closing unescaped quote (consumed) and returns the unescaped value.
    mutating func quoted() -> String? {
        let start = position
        var escaped = false
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\\") {
                escaped = true
                position += 2
                continue
            }
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<position])
                position += 1
                return escaped ? Self.unescape(raw) : String(decoding: raw, as: UTF8.self)
            }
            position += 1
        }
        return nil
    }

    /// Undoes `\\`, `\"` and `\n`; unknown escapes are kept as written.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            if byte == UInt8(ascii: "\\"), index + 1 < raw.count {
                let next = raw[index + 1]
                switch next {
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                default: out.append(byte); out.append(next)
                }
                index += 2
            } else {
                out.append(byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var result = drop { $0 == " " || $0 == "\t" }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
