import Foundation

/// One place where a configuration file may be found.
public enum ConfigSearchPath: Sendable, Equatable, CustomStringConvertible {
    /// A path: absolute, relative to the current directory, or starting with `~/`.
    case path(String)
    /// `$XDG_CONFIG_HOME/<directory>/<file>`, or `~/.config/<directory>/<file>` when
    /// `XDG_CONFIG_HOME` is unset or empty.
    case userConfig(directory: String, file: String)

    /// The path as written in the search list.
    public var description: String {
        switch self {
        case .path(let path): path
        case .userConfig(let directory, let file): "$XDG_CONFIG_HOME/\(directory)/\(file)"
        }
    }

    /// The absolute path this entry stands for, or `nil` when it needs a home directory and
    /// `HOME` is not set.
    ///
    /// - Parameters:
    ///   - environment: the environment to read `HOME` and `XDG_CONFIG_HOME` from.
    ///   - currentDirectory: the directory relative paths are resolved against.
    public func resolve(environment: [String: String], currentDirectory: String) -> String? {
        switch self {
        case .path(let path):
            return ConfigSearchPath.absolute(path, environment: environment, currentDirectory: currentDirectory)
        case .userConfig(let directory, let file):
            if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty, xdg.hasPrefix("/") {
                return "\(xdg)/\(directory)/\(file)"
            }
            guard let home = environment["HOME"], !home.isEmpty else { return nil }
            return "\(home)/.config/\(directory)/\(file)"
        }
    }

    /// Makes `path` absolute: expands a leading `~/` with `HOME` and resolves relative paths
    /// against `currentDirectory`. Returns `nil` for `~/…` without `HOME`.
    public static func absolute(_ path: String, environment: [String: String], currentDirectory: String) -> String? {
        if path == "~" || path.hasPrefix("~/") {
            guard let home = environment["HOME"], !home.isEmpty else { return nil }
            return home + path.dropFirst()
        }
        if path.hasPrefix("/") { return path }
        var relative = Substring(path)
        while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
        let base = currentDirectory.hasSuffix("/") ? String(currentDirectory.dropLast()) : currentDirectory
        return relative.isEmpty ? base : "\(base)/\(relative)"
    }
}

/// A resolved search-list entry and whether a file is there (backs `config paths`).
public struct ConfigSearchEntry: Sendable, Equatable {
    /// The entry as written in the search list.
    public let template: String
    /// The absolute path, or `nil` when it could not be resolved (no `HOME`).
    public let path: String?
    /// Whether a regular file exists at ``path``.
    public let exists: Bool
}
