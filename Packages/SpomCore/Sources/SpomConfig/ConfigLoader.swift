import Foundation

/// A configuration after layering, with where it came from and what was odd about it.
public struct LoadedConfig<Configuration: SpomConfiguration>: Sendable {
    /// The effective configuration.
    public let value: Configuration
    /// The file that was read, or `nil` when only defaults (plus environment and overrides) apply.
    public let file: String?
    /// Unknown keys and unknown `<PREFIX>_*` variables (when the policy is `.warn`).
    public let warnings: [ConfigIssue]
    /// For keys set by an environment variable or an override: key path -> origin description.
    public let origins: [String: String]
    /// The text of ``file``, used to point issues at lines.
    let fileText: String?

    /// Attaches the file and line (or the environment variable / override) that set `issue`'s key.
    public func locate(_ issue: ConfigIssue) -> ConfigIssue {
        var located = issue
        guard let keyPath = issue.keyPath, issue.file == nil, issue.origin == nil else { return located }
        if let origin = origins[keyPath] {
            located.origin = origin
        } else if let file, let fileText, let position = TOMLLocator.locate(keyPath, in: fileText) {
            located.file = file
            located.line = position.line
            located.column = position.column
        }
        return located
    }
}

/// Loads an application's configuration: defaults < TOML file < environment < overrides.
public enum ConfigLoader {
    /// Loads and decodes `Configuration` from `sources`.
    ///
    /// - Returns: the effective configuration with its file and warnings. Application validation
    ///   rules are not applied here; see ``ConfigReport/validate(_:sources:)``.
    /// - Throws: ``ConfigError``: `.fileNotFound` for a missing explicit file, `.unreadableFile`,
    ///   `.syntax` (with line and column), `.invalidValue` (naming key, file and line, or the
    ///   environment variable), `.unknownKeys` when the policy is `.error`.
    public static func load<Configuration: SpomConfiguration>(
        _ type: Configuration.Type, from sources: ConfigSources
    ) throws -> LoadedConfig<Configuration> {
        let schema = Configuration.schema
        let file = sources.selectedFile()
        var fileText: String?
        var fileTree = ConfigValue.emptyTable
        if let file {
            guard ConfigSources.isFile(file) else {
                throw ConfigError(
                    .fileNotFound, ConfigIssue(.error, keyPath: nil, message: "configuration file not found", file: file))
            }
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ConfigError(
                    .unreadableFile,
                    ConfigIssue(.error, keyPath: nil, message: "cannot read: \(error.localizedDescription)", file: file))
            }
            fileText = text
            fileTree = try TOMLBridge.parse(text, file: file)
        }

        var warnings: [ConfigIssue] = []
        let unknown = unknownKeys(in: fileTree, schema: schema).map { path -> ConfigIssue in
            let position = fileText.flatMap { TOMLLocator.locate(path, in: $0) }
            return ConfigIssue(
                sources.unknownKeys == .error ? .error : .warning, keyPath: path, message: "unknown key", file: file,
                line: position?.line, column: position?.column)
        }
        if !unknown.isEmpty, sources.unknownKeys == .error { throw ConfigError(.unknownKeys, issues: unknown) }
        warnings += unknown
        for key in schema.keys where !key.isInsideArray {
            guard let note = key.deprecation, fileTree.value(at: ConfigKeyPath.components(key.path)) != nil else { continue }
            let position = fileText.flatMap { TOMLLocator.locate(key.path, in: $0) }
            warnings.append(
                ConfigIssue(
                    .warning, keyPath: key.path, message: "has no effect: \(note)", file: file, line: position?.line,
                    column: position?.column))
        }

        var tree = try TOMLBridge.encode(Configuration.defaults).merged(with: fileTree)
        var origins: [String: String] = [:]

        // Environment: each key's names in order (legacy aliases, then the canonical name).
        var knownVariables = schema.ignoredEnvironment
        for key in schema.keys {
            for name in schema.environmentNames(of: key) {
                knownVariables.insert(name)
                guard let text = sources.environment[name], !text.isEmpty else { continue }
                let origin = "environment variable \(name)"
                tree = tree.setting(try parse(text, as: key, origin: origin), at: ConfigKeyPath.components(key.path))
                origins[key.path] = origin
            }
        }
        let prefix = schema.environmentPrefix + "_"
        for name in sources.environment.keys.sorted() where name.hasPrefix(prefix) && !knownVariables.contains(name) {
            warnings.append(
                ConfigIssue(
                    .warning, keyPath: nil, message: "unknown environment variable \(name) (ignored)",
                    origin: "environment"))
        }

        for override in sources.overrides {
            guard let key = schema.key(override.keyPath), !key.isInsideArray else {
                throw ConfigError(
                    .unknownKeys,
                    ConfigIssue(.error, keyPath: override.keyPath, message: "unknown key", origin: override.origin))
            }
            tree = tree.setting(
                try parse(override.text, as: key, origin: override.origin), at: ConfigKeyPath.components(key.path))
            origins[key.path] = override.origin
        }

        do {
            let value = try ConfigValueDecoder().decode(Configuration.self, from: tree)
            return LoadedConfig(value: value, file: file, warnings: warnings, origins: origins, fileText: fileText)
        } catch let error as DecodingError {
            let (path, message) = describe(error)
            let partial = LoadedConfig<Configuration>(
                value: Configuration.defaults, file: file, warnings: [], origins: origins, fileText: fileText)
            throw ConfigError(.invalidValue, partial.locate(ConfigIssue(.error, keyPath: path, message: message)))
        }
    }

    /// The paths (with array indices) of keys in `tree` that `schema` does not declare.
    static func unknownKeys(in tree: ConfigValue, schema: ConfigSchema) -> [String] {
        var found: [String] = []
        func walk(_ entries: [String: ConfigValue], pattern: String, actual: String) {
            for (name, value) in entries.sorted(by: { $0.key < $1.key }) {
                let childPattern = pattern.isEmpty ? name : "\(pattern).\(name)"
                let childActual = actual.isEmpty ? name : "\(actual).\(name)"
                if let key = schema.keys.first(where: { $0.path == childPattern }) {
                    if key.kind == .tableList, let elements = value.arrayValue {
                        for (index, element) in elements.enumerated() {
                            if let table = element.tableValue {
                                walk(table, pattern: childPattern + "[]", actual: childActual + "[\(index)]")
                            }
                        }
                    }
                } else if schema.isContainer(childPattern), let table = value.tableValue {
                    walk(table, pattern: childPattern, actual: childActual)
                } else {
                    found.append(childActual)
                }
            }
        }
        if let entries = tree.tableValue { walk(entries, pattern: "", actual: "") }
        return found
    }

    /// Parses environment or command-line text as a value of `key`'s kind.
    static func parse(_ text: String, as key: ConfigKey, origin: String) throws -> ConfigValue {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func bad(_ expected: String) -> ConfigError {
            ConfigError(
                .invalidValue,
                ConfigIssue(.error, keyPath: key.path, message: "\"\(text)\" is not \(expected)", origin: origin))
        }
        switch key.kind {
        case .string:
            return .string(text)
        case .integer:
            guard let number = Int64(trimmed) else { throw bad("an integer") }
            return .integer(number)
        case .float:
            guard let number = Double(trimmed) else { throw bad("a number") }
            return .float(number)
        case .bool:
            switch trimmed.lowercased() {
            case "true", "1", "yes", "on": return .bool(true)
            case "false", "0", "no", "off": return .bool(false)
            default: throw bad("a boolean (true/false)")
            }
        case .stringList:
            let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return .array(items.map(ConfigValue.string))
        case .table, .tableList:
            throw bad("settable from text (set it in the configuration file)")
        }
    }

    /// The key path and a readable message for a decoding failure.
    static func describe(_ error: DecodingError) -> (String?, String) {
        switch error {
        case .typeMismatch(_, let context), .dataCorrupted(let context):
            return (ConfigKeyPath.string(from: context.codingPath), context.debugDescription)
        case .valueNotFound(_, let context):
            return (ConfigKeyPath.string(from: context.codingPath), context.debugDescription)
        case .keyNotFound(let key, let context):
            return (ConfigKeyPath.string(from: context.codingPath + [key]), "required key is missing")
        @unknown default:
            return (nil, "\(error)")
        }
    }
}
