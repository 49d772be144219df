import Foundation

/// A secret API key. Its `description` is redacted so that it cannot leak into logs; compare
/// with ``matches(_:)``, which takes the same time wherever the first difference is.
public struct APIKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    private let bytes: [UInt8]

    /// Creates a key from its text (surrounding whitespace removed).
    ///
    /// - Throws: ``APIKeyError/empty(source:)`` when nothing is left.
    public init(_ text: String, source: String = "configuration") throws(APIKeyError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty(source: source) }
        bytes = Array(trimmed.utf8)
    }

    /// Whether `candidate` equals the key, in time independent of where they differ.
    public func matches(_ candidate: some StringProtocol) -> Bool {
        let other = Array(candidate.utf8)
        var difference = UInt8(truncatingIfNeeded: bytes.count ^ other.count) | (bytes.count == other.count ? 0 : 1)
        // Always walk the configured key's length so the time does not depend on the guess.
        for index in 0..<bytes.count {
            let theirs = index < other.count ? other[index] : 0
            difference |= bytes[index] ^ theirs
        }
        return difference == 0
    }

    /// `APIKey(<redacted>)`.
    public var description: String { "APIKey(<redacted>)" }
    /// `APIKey(<redacted>)`.
    public var debugDescription: String { description }

    /// Resolves the configured key from one of three places, in this order: the inline
    /// configuration value, a file holding the key (for example a systemd credential or a
    /// Kubernetes secret), or an environment variable.
    ///
    /// - Parameters:
    ///   - inline: the config value (`[api] api_key`), `nil` or empty when unset.
    ///   - file: a path whose content (trimmed) is the key.
    ///   - environmentVariable: the name of a variable holding the key.
    ///   - environment: the environment to read (the process's by default).
    /// - Returns: the key, or `nil` when none of the sources is set (auth disabled).
    /// - Throws: ``APIKeyError`` naming the source when it is set but unusable.
    public static func resolve(
        inline: String?,
        file: String? = nil,
        environmentVariable: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(APIKeyError) -> APIKey? {
        if let inline, !inline.isEmpty {
            return try APIKey(inline, source: "configuration value")
        }
        if let file, !file.isEmpty {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw .unreadableFile(path: file, reason: (error as NSError).localizedDescription)
            }
            return try APIKey(text, source: "file \(file)")
        }
        if let environmentVariable, !environmentVariable.isEmpty, let value = environment[environmentVariable], !value.isEmpty {
            return try APIKey(value, source: "environment variable \(environmentVariable)")
        }
        return nil
    }
}

/// Why an API key could not be resolved. Messages name the source, never the key.
public enum APIKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source is set but holds only whitespace.
    case empty(source: String)
    /// The key file could not be read.
    case unreadableFile(path: String, reason: String)

    /// A message naming the source.
    public var description: String {
        switch self {
        case .empty(let source): "API key from \(source) is empty"
        case .unreadableFile(let path, let reason): "cannot read API key file \(path): \(reason)"
        }
    }
}
