import Foundation

/// Masks secret values before a configuration is shown.
public enum ConfigSecrets {
    /// The text that replaces a secret.
    public static let mask = "********"

    /// Returns `tree` with every key the schema marks secret masked (empty values stay empty so
    /// that "not set" remains visible).
    public static func masked(_ tree: ConfigValue, schema: ConfigSchema) -> ConfigValue {
        var result = tree
        for key in schema.keys {
            guard let style = key.secret else { continue }
            result = apply(result, segments: segments(key.path)[...], style: style)
        }
        return result
    }

    /// Masks the password of a URL: `postgres://user:pw@host/db` -> `postgres://user:********@host/db`.
    public static func maskURLPassword(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return text }
        let userInfo = authority[..<at]
        guard let colon = userInfo.firstIndex(of: ":"), userInfo.index(after: colon) < userInfo.endIndex else {
            return text
        }
        return String(text[..<userInfo.index(after: colon)]) + mask + String(text[at...])
    }

    /// Path segments; `name[]` means "each element of the array `name`".
    private static func segments(_ path: String) -> [String] {
        path.split(separator: ".").map(String.init)
    }

    private static func apply(_ value: ConfigValue, segments: ArraySlice<String>, style: ConfigKey.Secret) -> ConfigValue {
        guard let first = segments.first else {
            guard case .string(let text) = value, !text.isEmpty else { return value }
            return .string(style == .whole ? mask : maskURLPassword(text))
        }
        guard var entries = value.tableValue else { return value }
        let rest = segments.dropFirst()
        if first.hasSuffix("[]") {
            let name = String(first.dropLast(2))
            guard let elements = entries[name]?.arrayValue else { return value }
            entries[name] = .array(elements.map { apply($0, segments: rest, style: style) })
        } else if let child = entries[first] {
            entries[first] = apply(child, segments: rest, style: style)
        }
        return .table(entries)
    }
}
