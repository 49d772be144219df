import Foundation
import MVMCommandSupport

/// Rows of strings under named columns, printed as aligned text (`--format table`) or CSV
/// (`--format csv`). JSON output uses the entity types instead.
public struct TextTable: Sendable, Equatable {
    /// How a column's cells are aligned in text output.
    public enum Alignment: Sendable, Equatable {
        /// Padded on the right.
        case left
        /// Padded on the left (numbers).
        case right
    }

    /// A column: its header (also the CSV header) and alignment.
    public struct Column: Sendable, Equatable {
        /// Header text.
        public var title: String
        /// Text alignment.
        public var alignment: Alignment

        /// Creates a column.
        public init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    /// The columns.
    public var columns: [Column]
    /// The rows; each has one cell per column.
    public var rows: [[String]]

    /// Creates a table.
    public init(columns: [Column], rows: [[String]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// The table as aligned text lines: a header, a rule, the rows.
    public func renderText() -> String {
        var widths = columns.map { $0.title.count }
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (index, column) in columns.enumerated() {
                let cell = index < cells.count ? cells[index] : ""
                let pad = String(repeating: " ", count: max(0, widths[index] - cell.count))
                parts.append(column.alignment == .left ? cell + pad : pad + cell)
            }
            return parts.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var lines = [line(columns.map(\.title))]
        lines.append(String(repeating: "-", count: widths.reduce(0, +) + 2 * max(0, widths.count - 1)))
        lines.append(contentsOf: rows.map(line))
        return lines.joined(separator: "\n")
    }

    /// The table as RFC 4180 CSV: a header row, then the rows.
    public func renderCSV() -> String {
        ([columns.map(\.title)] + rows).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\n")
    }

    /// Quotes a CSV field when it holds a comma, quote or line break.
    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// The JSON encoding of command output: the REST API's settings (snake_case keys, sorted, no
/// escaped slashes), pretty-printed.
public enum EntityJSON {
    /// `value` as JSON text.
    public static func text<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        let data = try encoder.encode(value)
        return String(decoding: data, as: UTF8.self)
    }

    /// Prints `value` as JSON on standard output.
    public static func print<T: Encodable>(_ value: T) throws {
        StandardOutput.write(try text(value))
    }
}

/// Small number formatting helpers shared by the tables.
enum Formatting {
    /// `value` with `digits` decimals.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// `0x1234567890...90abcdef`: the first 12 and last 8 characters of a long key.
    static func shortKey(_ key: String) -> String {
        guard key.count > 22 else { return key }
        return "\(key.prefix(12))...\(key.suffix(8))"
    }

    /// `value` or `-` when nil.
    static func optional<T>(_ value: T?) -> String {
        value.map { "\($0)" } ?? "-"
    }
}
