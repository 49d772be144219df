import Foundation

/// Describes one configuration key: its type, help text, environment variables and secrecy.
///
/// Key paths are dotted TOML paths. Keys inside an array of tables use `[]`:
/// `webhooks.endpoints[].url`.
public struct ConfigKey: Sendable, Equatable {
    /// The value type of a key, used to parse environment variables and overrides, and to
    /// render examples.
    public enum Kind: String, Sendable, Equatable {
        /// A string.
        case string
        /// An integer.
        case integer
        /// A floating-point number.
        case float
        /// `true` or `false` (environment: also `1/0`, `yes/no`, `on/off`).
        case bool
        /// An array of strings (environment: comma-separated).
        case stringList
        /// A free-form table (its keys are not checked).
        case table
        /// An array of tables; its fields are declared as `path[].field`.
        case tableList
    }

    /// How a secret value is masked when the configuration is shown.
    public enum Secret: String, Sendable, Equatable {
        /// The whole value is replaced by `********`.
        case whole
        /// Only the password of a URL (`scheme://user:PASSWORD@host`) is replaced.
        case urlPassword
    }

    /// The dotted key path.
    public var path: String
    /// The value type.
    public var kind: Kind
    /// One or more lines of help, shown in the annotated example.
    public var help: String
    /// Extra environment variable names (for example names kept from an earlier version),
    /// applied before the canonical `<PREFIX>_<PATH>` name.
    public var environment: [String]
    /// Whether the canonical `<PREFIX>_<SECTION>_<KEY>` variable is accepted.
    public var canonicalEnvironment: Bool
    /// How the value is masked when shown, or `nil` when it is not secret.
    public var secret: Secret?
    /// A TOML literal shown (commented out) in the example when the key has no default value.
    public var example: String?
    /// Whether the key is always commented out in the example (for defaults computed at run time).
    public var commentedInExample: Bool
    /// When set, the key is accepted but has no effect; a file that sets it gets a warning
    /// with this explanation (for example "ignored; use [webhooks]").
    public var deprecation: String?

    /// Declares a key.
    public init(
        _ path: String, _ kind: Kind, help: String, environment: [String] = [], canonicalEnvironment: Bool = true,
        secret: Secret? = nil, example: String? = nil, commentedInExample: Bool = false, deprecation: String? = nil
    ) {
        self.path = path
        self.kind = kind
        self.help = help
        self.environment = environment
        self.canonicalEnvironment = canonicalEnvironment
        self.secret = secret
        self.example = example
        self.commentedInExample = commentedInExample
        self.deprecation = deprecation
    }

    /// Whether the key lives inside an array of tables (and so has no environment variable).
    public var isInsideArray: Bool { path.contains("[]") }
}

/// A documented section (table) of a configuration.
public struct ConfigSection: Sendable, Equatable {
    /// The dotted section path, for example `database.remote`.
    public var path: String
    /// Help text printed above the section in the example.
    public var help: String

    /// Declares a section.
    public init(_ path: String, help: String) {
        self.path = path
        self.help = help
    }
}

/// Everything SpomConfig needs to know about an application's configuration besides its type:
/// the environment prefix, the documented sections and keys, and the example's header.
public struct ConfigSchema: Sendable {
    /// The environment variable prefix without the underscore, for example `APP`.
    public var environmentPrefix: String
    /// The sections, in the order they appear in rendered output.
    public var sections: [ConfigSection]
    /// The keys, in the order they appear in rendered output.
    public var keys: [ConfigKey]
    /// Comment lines at the top of the annotated example (without `# `).
    public var exampleHeader: [String]
    /// Variables that start with the prefix but are not configuration (not reported as unknown).
    public var ignoredEnvironment: Set<String>

    /// Creates a schema.
    public init(
        environmentPrefix: String, sections: [ConfigSection], keys: [ConfigKey], exampleHeader: [String] = [],
        ignoredEnvironment: Set<String> = []
    ) {
        self.environmentPrefix = environmentPrefix
        self.sections = sections
        self.keys = keys
        self.exampleHeader = exampleHeader
        self.ignoredEnvironment = ignoredEnvironment
    }

    /// The key declared at `path` (indices like `[2]` are treated as `[]`).
    public func key(_ path: String) -> ConfigKey? {
        let pattern = ConfigKeyPath.pattern(of: path)
        return keys.first { $0.path == pattern }
    }

    /// The canonical environment variable of `key`: `<PREFIX>_<PATH>` upper-cased with dots as
    /// underscores, or `nil` when the key has none.
    public func canonicalEnvironmentName(of key: ConfigKey) -> String? {
        guard key.canonicalEnvironment, !key.isInsideArray, key.kind != .table, key.kind != .tableList else {
            return nil
        }
        return environmentPrefix + "_" + key.path.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    /// Every environment variable that sets `key`, in the order they are applied (later wins).
    public func environmentNames(of key: ConfigKey) -> [String] {
        guard !key.isInsideArray else { return [] }
        var names = key.environment
        if let canonical = canonicalEnvironmentName(of: key), !names.contains(canonical) { names.append(canonical) }
        return names
    }

    /// Whether `pattern` is a declared section or the parent of a declared key or section.
    func isContainer(_ pattern: String) -> Bool {
        let prefix = pattern + "."
        return sections.contains { $0.path == pattern || $0.path.hasPrefix(prefix) }
            || keys.contains { $0.path.hasPrefix(prefix) }
    }
}

/// Helpers for dotted key paths.
public enum ConfigKeyPath {
    /// Replaces array indices by `[]`: `a.b[3].c` becomes `a.b[].c`.
    public static func pattern(of path: String) -> String {
        var result = ""
        var skipping = false
        for character in path {
            if character == "[" {
                skipping = true
                result.append("[]")
            } else if character == "]" {
                skipping = false
            } else if !skipping {
                result.append(character)
            }
        }
        return result
    }

    /// Renders a coding path as a key path: `webhooks.endpoints[0].url`.
    public static func string(from codingPath: [any CodingKey]) -> String {
        var result = ""
        for key in codingPath {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                if !result.isEmpty { result += "." }
                result += key.stringValue
            }
        }
        return result
    }

    /// The table-key components of a path without array parts (`a.b[1].c` gives `a`, `b`, `c`).
    static func components(_ path: String) -> [String] {
        pattern(of: path).replacingOccurrences(of: "[]", with: "").split(separator: ".").map(String.init)
    }
}
