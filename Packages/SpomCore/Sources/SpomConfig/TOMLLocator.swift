/// Finds the line and column where a key is written in TOML text.
///
/// TOMLKit reports positions only for syntax errors; for bad values and unknown keys this
/// scanner follows `[table]` and `[[array]]` headers and `key = value` lines (dotted and quoted
/// keys included) to point at the right line.
enum TOMLLocator {
    /// The 1-based line and column of `keyPath` (for example `webhooks.endpoints[1].url`) in
    /// `text`, or of its table header when the path names a table.
    static func locate(_ keyPath: String, in text: String) -> (line: Int, column: Int)? {
        var prefix = ""
        var arrayCounts: [String: Int] = [:]
        var headerHit: (Int, Int)?
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            let indent = rawLine.prefix { $0 == " " || $0 == "\t" }.count
            let line = rawLine.dropFirst(indent)
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("[[") {
                guard let end = line.range(of: "]]") else { continue }
                let name = normalize(line[line.index(line.startIndex, offsetBy: 2)..<end.lowerBound])
                let index = arrayCounts[name, default: 0]
                arrayCounts[name] = index + 1
                prefix = "\(name)[\(index)]"
                if prefix == keyPath { headerHit = (lineNumber, indent + 1) }
                continue
            }
            if line.hasPrefix("[") {
                guard let end = line.firstIndex(of: "]") else { continue }
                let name = normalize(line[line.index(after: line.startIndex)..<end])
                prefix = arrayPrefixed(name, arrayCounts)
                if prefix == keyPath, headerHit == nil { headerHit = (lineNumber, indent + 1) }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = normalize(line[..<equals])
            let full = prefix.isEmpty ? key : "\(prefix).\(key)"
            if full == keyPath { return (lineNumber, indent + 1) }
        }
        return headerHit
    }

    /// A sub-table header inside the current element of an array of tables
    /// (`[[a]]` then `[a.b]`) belongs to that element.
    private static func arrayPrefixed(_ name: String, _ counts: [String: Int]) -> String {
        for (array, count) in counts where name.hasPrefix(array + ".") {
            return "\(array)[\(count - 1)]" + name.dropFirst(array.count)
        }
        return name
    }

    /// Strips whitespace and quotes from a (possibly dotted) key.
    private static func normalize(_ key: Substring) -> String {
        key.split(separator: ".").map { part in
            var trimmed = part.trimmingCharacters(in: " \t")
            if trimmed.count >= 2, let first = trimmed.first, first == "\"" || first == "'", trimmed.last == first {
                trimmed = String(trimmed.dropFirst().dropLast())
            }
            return trimmed
        }.joined(separator: ".")
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var slice = self
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
