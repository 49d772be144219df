import Foundation

/// The outcome of validating a configuration (backs `config validate`).
public struct ConfigValidation: Sendable {
    /// The file that was checked, or `nil` when defaults were used.
    public let file: String?
    /// Every problem: load errors, unknown keys, failed rules; located at file and line.
    public let issues: [ConfigIssue]

    /// Whether no issue is an error (warnings allowed).
    public var isValid: Bool { !issues.contains { $0.severity == .error } }
    /// The error issues.
    public var errors: [ConfigIssue] { issues.filter { $0.severity == .error } }
    /// The warning issues.
    public var warnings: [ConfigIssue] { issues.filter { $0.severity == .warning } }
}

/// Renders and checks configurations: the building blocks of `config show|validate|example|paths`.
public enum ConfigReport {
    /// The configuration as TOML, in schema order, with secrets masked. Keys marked deprecated
    /// (accepted but without effect) are left out, so the output is what the program uses.
    public static func render<Configuration: SpomConfiguration>(_ value: Configuration) throws -> String {
        let schema = Configuration.schema
        var tree = try TOMLBridge.encode(value)
        for key in schema.keys where key.deprecation != nil && !key.isInsideArray {
            tree = tree.removing(ConfigKeyPath.components(key.path))
        }
        return TOMLRenderer.document(ConfigSecrets.masked(tree, schema: schema), schema: schema)
    }

    /// Loads from `sources` and checks everything: syntax, types, unknown keys and variables, and
    /// the application's rules. Never throws: failures become error issues.
    public static func validate<Configuration: SpomConfiguration>(
        _ type: Configuration.Type, sources: ConfigSources
    ) -> ConfigValidation {
        let file = sources.selectedFile()
        do {
            let loaded = try ConfigLoader.load(type, from: sources)
            let rules = loaded.value.validationIssues().map(loaded.locate)
            return ConfigValidation(file: loaded.file, issues: loaded.warnings + rules)
        } catch let error as ConfigError {
            return ConfigValidation(file: file, issues: error.issues)
        } catch {
            return ConfigValidation(file: file, issues: [ConfigIssue(.error, keyPath: nil, message: "\(error)", file: file)])
        }
    }

    /// Loads from `sources` and applies the application's rules.
    ///
    /// - Throws: ``ConfigError`` from loading, or `.validationFailed` listing every failed rule.
    public static func loadValidated<Configuration: SpomConfiguration>(
        _ type: Configuration.Type, sources: ConfigSources
    ) throws -> LoadedConfig<Configuration> {
        let loaded = try ConfigLoader.load(type, from: sources)
        let errors = loaded.value.validationIssues().map(loaded.locate).filter { $0.severity == .error }
        if !errors.isEmpty { throw ConfigError(.validationFailed, issues: errors) }
        return loaded
    }

    /// An annotated example: every section and key with its help, environment variables and
    /// default. It is valid TOML and loads back to the defaults; keys without a default (or with
    /// a default computed at run time) are shown commented out.
    public static func example<Configuration: SpomConfiguration>(_ type: Configuration.Type) throws -> String {
        let schema = Configuration.schema
        let defaults = try TOMLBridge.encode(Configuration.defaults)
        var lines: [String] = schema.exampleHeader.map { $0.isEmpty ? "#" : "# \($0)" }

        func comment(_ text: String, into lines: inout [String]) {
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append(line.isEmpty ? "#" : "# \(line)")
            }
        }
        func parent(_ path: String) -> String {
            guard let dot = path.lastIndex(of: ".") else { return "" }
            return String(path[..<dot])
        }
        func name(_ path: String) -> String {
            path.split(separator: ".").last.map(String.init) ?? path
        }
        func keyLines(_ key: ConfigKey, into lines: inout [String]) {
            comment(key.help, into: &lines)
            let names = schema.environmentNames(of: key)
            if !names.isEmpty { lines.append("# Environment: \(names.joined(separator: ", "))") }
            let value = defaults.value(at: ConfigKeyPath.components(key.path))
            let assignment = "\(TOMLRenderer.key(name(key.path))) = "
            if let value, !key.commentedInExample, key.deprecation == nil {
                lines.append(assignment + TOMLRenderer.literal(value))
            } else {
                let shown = key.example ?? value.map(TOMLRenderer.literal) ?? "\"\""
                lines.append("# " + assignment + shown)
            }
        }

        let rootKeys = schema.keys.filter { !$0.path.contains(".") }
        for key in rootKeys {
            lines.append("")
            keyLines(key, into: &lines)
        }
        for section in schema.sections {
            let members = schema.keys.filter { parent($0.path) == section.path }
            lines.append("")
            comment(section.help, into: &lines)
            lines.append("[\(section.path)]")
            for key in members {
                lines.append("")
                if key.kind == .tableList {
                    comment(key.help, into: &lines)
                    let fields = schema.keys.filter { $0.path.hasPrefix(key.path + "[].") }
                    lines.append("#")
                    lines.append("# [[\(key.path)]]")
                    for field in fields {
                        let fieldName = String(field.path.dropFirst(key.path.count + 3))
                        let value = field.example ?? "\"\""
                        let help = field.help.split(separator: "\n").first.map(String.init) ?? ""
                        lines.append("# \(TOMLRenderer.key(fieldName)) = \(value)" + (help.isEmpty ? "" : "  # \(help)"))
                    }
                } else {
                    keyLines(key, into: &lines)
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
