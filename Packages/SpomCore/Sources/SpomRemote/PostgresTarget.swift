import Foundation

/// Where to push: a PostgreSQL server, database and user, with the password kept out of every
/// rendering (`description` and `maskedURL` show `***`).
public struct PostgresTarget: Sendable, Hashable, CustomStringConvertible {
    /// TLS use, as libpq's `sslmode` (`disable`, `prefer`, `require`, `verify-full`; `verify-ca` is read as `verify-full`).
    public enum TLSMode: String, Sendable, Hashable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it (the default, like libpq).
        case prefer
        /// TLS or fail (the certificate is not checked, like libpq's `require`).
        case require
        /// TLS with the certificate and host name verified against the system's trust roots.
        case verifyFull = "verify-full"
    }

    /// Host name or address.
    public var host: String
    /// TCP port.
    public var port: Int
    /// User name.
    public var user: String
    /// Password (nil: none).
    public var password: String?
    /// Database name.
    public var database: String
    /// TLS use.
    public var tls: TLSMode

    /// Creates a target from parts.
    public init(host: String, port: Int = 5432, user: String, password: String?, database: String, tls: TLSMode = .prefer) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// Parses `postgres://user[:password]@host[:port]/database[?sslmode=…]` (also `postgresql://`).
    ///
    /// The password comes from, in order: `password` (when non-nil), the environment variable
    /// `passwordEnvironment`, the file `passwordFile` (first line, trimmed), the URL itself.
    /// Errors show the URL masked.
    public static func parse(
        url: String, password: String? = nil, passwordFile: String? = nil, passwordEnvironment: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(RemoteError) -> PostgresTarget {
        let masked = mask(url)
        guard let components = URLComponents(string: url.trimmingCharacters(in: .whitespaces)) else {
            throw .invalidURL(url: masked, reason: "not a URL")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw .invalidURL(url: masked, reason: "the scheme must be postgres:// or postgresql://")
        }
        guard let host = components.host, !host.isEmpty else { throw .invalidURL(url: masked, reason: "no host") }
        guard let user = components.user?.removingPercentEncoding, !user.isEmpty else {
            throw .invalidURL(url: masked, reason: "no user (postgres://USER@host/db)")
        }
        let database = String(components.path.drop(while: { $0 == "/" })).removingPercentEncoding ?? ""
        guard !database.isEmpty else { throw .invalidURL(url: masked, reason: "no database name (postgres://user@host/DB)") }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw .invalidURL(url: masked, reason: "port \(port) is out of range") }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] where item.name == "sslmode" {
            switch item.value?.lowercased() ?? "" {
            case "disable", "allow": tls = .disable
            case "prefer": tls = .prefer
            case "require": tls = .require
            case "verify-ca", "verify-full": tls = .verifyFull
            case let other: throw .invalidURL(url: masked, reason: "unknown sslmode \"\(other)\"")
            }
        }
        var secret = components.password?.removingPercentEncoding
        if let passwordFile, !passwordFile.isEmpty {
            let text: String
            do {
                text = try String(contentsOfFile: passwordFile, encoding: .utf8)
            } catch {
                throw .passwordFile(path: passwordFile, reason: (error as NSError).localizedDescription)
            }
            secret = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let variable = passwordEnvironment, !variable.isEmpty {
            guard let value = environment[variable] else { throw .passwordEnvironmentMissing(variable: variable) }
            secret = value
        }
        if let password { secret = password }
        return PostgresTarget(host: host, port: port, user: user, password: secret, database: database, tls: tls)
    }

    /// `postgres://user:***@host:port/database` (the password never shows).
    public var maskedURL: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)\(password == nil ? "" : ":***")@\(hostPart):\(port)/\(database)"
    }

    /// Same as `maskedURL`.
    public var description: String { maskedURL }

    /// Masks the password of any URL-looking string (`scheme://user:secret@…` -> `scheme://user:***@…`).
    public static func mask(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return url }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<schemeEnd.upperBound]) + userInfo[..<colon] + ":***" + rest[at...]
    }

    /// Removes the password from a message that may echo it.
    func scrub(_ message: String) -> String {
        guard let password, password.count >= 3 else { return message }
        return message.replacingOccurrences(of: password, with: "***")
    }
}
