import Foundation

/// A value set on the command line (or programmatically), the highest layer.
public struct ConfigOverride: Sendable, Equatable {
    /// The key path, for example `rpc.url`.
    public var keyPath: String
    /// The value as text; parsed according to the key's declared kind.
    public var text: String
    /// How the value was given, for messages (for example `--rpc-url`).
    public var origin: String

    /// Creates an override of `keyPath` with `text`, given as `origin`.
    public init(_ keyPath: String, _ text: String, origin: String? = nil) {
        self.keyPath = keyPath
        self.text = text
        self.origin = origin ?? "override \(keyPath)"
    }
}

/// What to do with keys that the schema does not declare.
public enum UnknownKeyPolicy: Sendable, Equatable {
    /// Report them as warnings and load anyway.
    case warn
    /// Refuse to load.
    case error
}

/// Where a configuration comes from: search list or explicit file, environment and overrides.
///
/// Pass the environment as a dictionary (normally `ProcessInfo.processInfo.environment`); tests
/// pass their own instead of mutating the process environment.
public struct ConfigSources: Sendable {
    /// Candidate files; the first that exists is used (files are not merged).
    public var searchPaths: [ConfigSearchPath]
    /// A file named explicitly (`--config PATH`): replaces the search, and must exist.
    public var explicitFile: String?
    /// The environment variables.
    public var environment: [String: String]
    /// Command-line values, applied last.
    public var overrides: [ConfigOverride]
    /// How keys missing from the schema are treated.
    public var unknownKeys: UnknownKeyPolicy
    /// The directory relative paths are resolved against.
    public var currentDirectory: String

    /// Creates a description of the configuration sources.
    public init(
        searchPaths: [ConfigSearchPath] = [], explicitFile: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, overrides: [ConfigOverride] = [],
        unknownKeys: UnknownKeyPolicy = .warn,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) {
        self.searchPaths = searchPaths
        self.explicitFile = explicitFile
        self.environment = environment
        self.overrides = overrides
        self.unknownKeys = unknownKeys
        self.currentDirectory = currentDirectory
    }

    /// The search list resolved to absolute paths, each with whether a file exists there.
    public func searchEntries() -> [ConfigSearchEntry] {
        searchPaths.map { entry in
            let path = entry.resolve(environment: environment, currentDirectory: currentDirectory)
            return ConfigSearchEntry(template: entry.description, path: path, exists: path.map(Self.isFile) ?? false)
        }
    }

    /// The file that would be loaded: the explicit file (even if missing) or the first existing
    /// search entry, or `nil` when defaults alone are used.
    public func selectedFile() -> String? {
        if let explicitFile {
            return ConfigSearchPath.absolute(explicitFile, environment: environment, currentDirectory: currentDirectory)
                ?? explicitFile
        }
        return searchEntries().first { $0.exists }?.path
    }

    static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
