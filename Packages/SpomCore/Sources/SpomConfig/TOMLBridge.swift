import TOMLKit

/// Converts between TOMLKit's document model and ``ConfigValue``.
enum TOMLBridge {
    /// Parses TOML text into a table value.
    ///
    /// - Throws: ``ConfigError`` with code `.syntax`, carrying the file, line and column the
    ///   parser reported.
    static func parse(_ text: String, file: String?) throws -> ConfigValue {
        do {
            let table = try TOMLTable(string: text)
            return convert(table)
        } catch let error as TOMLParseError {
            throw ConfigError(
                .syntax,
                ConfigIssue(
                    .error, keyPath: nil, message: "TOML syntax error: \(error.description)",
                    file: file, line: error.source.begin.line, column: error.source.begin.column))
        }
    }

    /// Encodes `value` (an application's configuration) into a table value.
    static func encode<T: Encodable>(_ value: T) throws -> ConfigValue {
        do {
            return try ConfigValueEncoder().encode(value)
        } catch {
            throw ConfigError(
                .invalidValue,
                ConfigIssue(.error, keyPath: nil, message: "cannot encode the configuration: \(error)", file: nil))
        }
    }

    static func convert(_ table: TOMLTable) -> ConfigValue {
        var entries: [String: ConfigValue] = [:]
        for (key, value) in table {
            entries[key] = convert(value)
        }
        return .table(entries)
    }

    static func convert(_ value: any TOMLValueConvertible) -> ConfigValue {
        switch value.type {
        case .table:
            return value.table.map(convert) ?? .emptyTable
        case .array:
            guard let array = value.array else { return .array([]) }
            return .array(array.map { convert($0) })
        case .string:
            return .string(value.string ?? "")
        case .int:
            return .integer(Int64(value.int ?? 0))
        case .double:
            return .float(value.double ?? 0)
        case .bool:
            return .bool(value.bool ?? false)
        case .date, .time, .dateTime:
            // Dates are not used by configurations here; keep their TOML text.
            return .string(value.tomlValue.debugDescription)
        }
    }
}
