/// One problem found in a configuration: an unknown key, a bad value, a failed rule.
///
/// Issues name the key path (`rpc.url`, `webhooks.endpoints[1].url`) and, when known, the file
/// and line the value came from, or the environment variable / command-line override that set it.
public struct ConfigIssue: Sendable, Equatable, CustomStringConvertible {
    /// How serious an issue is.
    public enum Severity: String, Sendable, Equatable {
        /// Reported, but the configuration is still used (for example an unknown key).
        case warning
        /// The configuration cannot be used.
        case error
    }

    /// Whether the issue is a warning or an error.
    public var severity: Severity
    /// The full key path, when the issue concerns one key.
    public var keyPath: String?
    /// What is wrong, in words.
    public var message: String
    /// The configuration file concerned, if any.
    public var file: String?
    /// The 1-based line in ``file``, when known.
    public var line: Int?
    /// The 1-based column in ``file``, when known.
    public var column: Int?
    /// Where the value came from when not from the file ("environment variable APP_X", "--flag").
    public var origin: String?

    /// Creates an issue.
    public init(
        _ severity: Severity, keyPath: String?, message: String, file: String? = nil, line: Int? = nil,
        column: Int? = nil, origin: String? = nil
    ) {
        self.severity = severity
        self.keyPath = keyPath
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.origin = origin
    }

    /// `error: server.url: must start with http:// or https:// (app.toml:3)`.
    public var description: String {
        var text = "\(severity.rawValue): "
        if let keyPath { text += "\(keyPath): " }
        text += message
        var place: [String] = []
        if let origin { place.append(origin) }
        if let file {
            var location = file
            if let line {
                location += ":\(line)"
                if let column { location += ":\(column)" }
            }
            place.append(location)
        }
        if !place.isEmpty { text += " (\(place.joined(separator: ", ")))" }
        return text
    }
}

/// A configuration could not be loaded or is not valid.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Equatable {
        /// An explicitly named configuration file does not exist.
        case fileNotFound
        /// A configuration file exists but cannot be read.
        case unreadableFile
        /// A configuration file is not valid TOML.
        case syntax
        /// A value has the wrong type or is out of range (file, environment or override).
        case invalidValue
        /// Unknown keys were found and unknown keys are treated as errors.
        case unknownKeys
        /// The application's validation rules failed.
        case validationFailed
    }

    /// The kind of failure.
    public let code: Code
    /// The problems, at least one.
    public let issues: [ConfigIssue]

    /// Creates an error with one issue.
    public init(_ code: Code, _ issue: ConfigIssue) {
        self.code = code
        self.issues = [issue]
    }

    /// Creates an error with several issues.
    public init(_ code: Code, issues: [ConfigIssue]) {
        self.code = code
        self.issues = issues
    }

    /// One line per issue.
    public var description: String {
        issues.map(\.description).joined(separator: "\n")
    }
}
