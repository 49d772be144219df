import Foundation

/// Writes ``ConfigValue`` trees as TOML text, in the order the schema declares keys.
enum TOMLRenderer {
    /// Renders a whole document.
    static func document(_ tree: ConfigValue, schema: ConfigSchema) -> String {
        var lines: [String] = []
        if let entries = tree.tableValue {
            table(entries, pattern: "", header: "", schema: schema, into: &lines, isRoot: true)
        }
        while lines.first == "" { lines.removeFirst() }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func table(
        _ entries: [String: ConfigValue], pattern: String, header: String, schema: ConfigSchema,
        into lines: inout [String], isRoot: Bool
    ) {
        let ordered = order(entries, pattern: pattern, schema: schema)
        let plain = ordered.filter { $0.value.tableValue == nil && !$0.value.isArrayOfTables }
        let tables = ordered.filter { $0.value.tableValue != nil }
        let arrays = ordered.filter { $0.value.isArrayOfTables }
        if !isRoot, !plain.isEmpty || tables.isEmpty && arrays.isEmpty {
            lines.append("")
            lines.append("[\(header)]")
        }
        for (name, value) in plain { lines.append("\(key(name)) = \(literal(value))") }
        for (name, value) in tables {
            let childPattern = join(pattern, name)
            table(
                value.tableValue ?? [:], pattern: childPattern, header: join(header, key(name)), schema: schema,
                into: &lines, isRoot: false)
        }
        for (name, value) in arrays {
            for element in value.arrayValue ?? [] {
                lines.append("")
                lines.append("[[\(join(header, key(name)))]]")
                let fields = order(element.tableValue ?? [:], pattern: join(pattern, name) + "[]", schema: schema)
                for (field, fieldValue) in fields { lines.append("\(key(field)) = \(literal(fieldValue))") }
            }
        }
    }

    /// Entries sorted by the position of their path in the schema; undeclared ones last, by name.
    static func order(_ entries: [String: ConfigValue], pattern: String, schema: ConfigSchema)
        -> [(key: String, value: ConfigValue)]
    {
        let paths = schema.sections.map(\.path) + schema.keys.map(\.path)
        func rank(_ name: String) -> Int {
            let full = join(pattern, name)
            return paths.firstIndex { $0 == full || $0.hasPrefix(full + ".") || $0.hasPrefix(full + "[]") } ?? Int.max
        }
        return entries.sorted { lhs, rhs in
            let (left, right) = (rank(lhs.key), rank(rhs.key))
            return left == right ? lhs.key < rhs.key : left < right
        }
    }

    static func join(_ base: String, _ name: String) -> String { base.isEmpty ? name : "\(base).\(name)" }

    /// A key, quoted when it is not a bare TOML key.
    static func key(_ name: String) -> String {
        let bare = !name.isEmpty && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
        return bare ? name : quoted(name)
    }

    /// A value as an inline TOML literal.
    static func literal(_ value: ConfigValue) -> String {
        switch value {
        case .string(let text): return quoted(text)
        case .integer(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .float(let number):
            if number.isNaN { return "nan" }
            if number.isInfinite { return number < 0 ? "-inf" : "inf" }
            let text = String(number)
            return text.contains(".") || text.contains("e") ? text : text + ".0"
        case .array(let elements): return "[" + elements.map(literal).joined(separator: ", ") + "]"
        case .table(let entries):
            if entries.isEmpty { return "{}" }
            let fields = entries.sorted { $0.key < $1.key }.map { "\(key($0.key)) = \(literal($0.value))" }
            return "{ " + fields.joined(separator: ", ") + " }"
        }
    }

    /// A basic TOML string with escapes.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
