/// A configuration value: the TOML data model, as a `Sendable` value type.
///
/// Files, defaults, environment variables and command-line overrides are all turned into this
/// tree, merged, and decoded into the application's typed configuration.
public enum ConfigValue: Sendable, Equatable {
    /// A string (TOML dates and times are kept as their string form).
    case string(String)
    /// A signed 64-bit integer.
    case integer(Int64)
    /// A floating-point number.
    case float(Double)
    /// A boolean.
    case bool(Bool)
    /// An array of values (an array of tables is an array of `.table`).
    case array([ConfigValue])
    /// A table of named values.
    case table([String: ConfigValue])

    /// The empty table.
    public static let emptyTable = ConfigValue.table([:])

    /// A short name of the value's type, for messages ("string", "integer", ...).
    public var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .bool: "boolean"
        case .array: "array"
        case .table: "table"
        }
    }

    /// The table's entries, or `nil` when the value is not a table.
    public var tableValue: [String: ConfigValue]? {
        if case .table(let entries) = self { return entries }
        return nil
    }

    /// The array's elements, or `nil` when the value is not an array.
    public var arrayValue: [ConfigValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The string, or `nil` when the value is not a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// Whether the value is an array whose elements are all tables (a TOML array of tables).
    var isArrayOfTables: Bool {
        guard case .array(let elements) = self, !elements.isEmpty else { return false }
        return elements.allSatisfy { $0.tableValue != nil }
    }

    /// The value at `path` (table keys only), or `nil` when absent.
    public func value(at path: [String]) -> ConfigValue? {
        guard let first = path.first else { return self }
        guard let entries = tableValue, let child = entries[first] else { return nil }
        return child.value(at: Array(path.dropFirst()))
    }

    /// Returns a copy with `value` stored at `path`, creating intermediate tables.
    public func setting(_ value: ConfigValue, at path: [String]) -> ConfigValue {
        guard let first = path.first else { return value }
        var entries = tableValue ?? [:]
        let child = entries[first] ?? .emptyTable
        entries[first] = child.setting(value, at: Array(path.dropFirst()))
        return .table(entries)
    }

    /// Returns a copy without the value at `path`; tables left empty by the removal are removed too.
    public func removing(_ path: [String]) -> ConfigValue {
        guard let first = path.first, var entries = tableValue, let child = entries[first] else { return self }
        if path.count == 1 {
            entries[first] = nil
        } else {
            let pruned = child.removing(Array(path.dropFirst()))
            if let table = pruned.tableValue, table.isEmpty, child.tableValue?.isEmpty == false {
                entries[first] = nil
            } else {
                entries[first] = pruned
            }
        }
        return .table(entries)
    }

    /// Deep-merges `overlay` over this value: tables merge key by key, anything else is replaced.
    public func merged(with overlay: ConfigValue) -> ConfigValue {
        guard case .table(var base) = self, case .table(let top) = overlay else { return overlay }
        for (key, value) in top {
            if let existing = base[key] {
                base[key] = existing.merged(with: value)
            } else {
                base[key] = value
            }
        }
        return .table(base)
    }
}
