import Foundation

/// A secret named by the configuration could not be read.
public struct SecretResolutionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key that names the secret, e.g. `api.api_key_file`.
    public let keyPath: String
    /// What went wrong.
    public let message: String

    /// `api.api_key_file: cannot read /etc/mvm/api-key: …`.
    public var description: String { "\(keyPath): \(message)" }
}

extension MVMConfig.API {
    /// The API key: `api_key` when set, else the first line of `api_key_file` (trimmed), else nil.
    ///
    /// - Throws: ``SecretResolutionError`` when the file cannot be read or is empty.
    public func resolvedKey() throws -> String? {
        if let apiKey { return apiKey }
        guard let apiKeyFile else { return nil }
        return try MVMConfig.readSecretFile(apiKeyFile, keyPath: "api.api_key_file")
    }
}

extension MVMConfig.Remote {
    /// The PostgreSQL password: from the variable named by `password_env`, else from
    /// `password_file`, else the one in `url` (nil when there is none).
    ///
    /// - Throws: ``SecretResolutionError`` when the named variable is unset or the file unreadable.
    public func resolvedPassword(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        if let passwordEnv {
            guard let value = environment[passwordEnv], !value.isEmpty else {
                throw SecretResolutionError(
                    keyPath: "database.remote.password_env", message: "environment variable \(passwordEnv) is not set")
            }
            return value
        }
        if let passwordFile {
            return try MVMConfig.readSecretFile(passwordFile, keyPath: "database.remote.password_file")
        }
        return URLComponents(string: url)?.password
    }
}

extension MVMConfig {
    /// Reads a one-line secret file, trimming whitespace.
    static func readSecretFile(_ path: String, keyPath: String) throws -> String {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SecretResolutionError(keyPath: keyPath, message: "cannot read \(path): \(error.localizedDescription)")
        }
        let secret = text.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !secret.isEmpty else { throw SecretResolutionError(keyPath: keyPath, message: "\(path) is empty") }
        return secret
    }
}
