/// A `host:port` to listen on, parsed from configuration: `127.0.0.1:8080`, `[::1]:8080`,
/// `0.0.0.0:9100`, `localhost:8080`, or `:8080` (all interfaces).
public struct HTTPBindAddress: Sendable, Equatable, CustomStringConvertible {
    /// The host name or address (IPv6 without brackets).
    public let host: String
    /// The TCP port; 0 asks the kernel for a free one.
    public let port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `text`.
    ///
    /// - Throws: ``HTTPBindAddressError`` naming the text and the problem.
    public init(parsing text: String) throws(HTTPBindAddressError) {
        let trimmed = text.trimmingWhitespace()
        let hostPart: Substring
        let portPart: Substring
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]") else {
                throw HTTPBindAddressError(text: text, reason: "missing ] after IPv6 address")
            }
            hostPart = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
            let rest = trimmed[trimmed.index(after: close)...]
            guard rest.hasPrefix(":") else { throw HTTPBindAddressError(text: text, reason: "expected :port after ]") }
            portPart = rest.dropFirst()
            guard IPAddress(hostPart) != nil, hostPart.contains(":") else {
                throw HTTPBindAddressError(text: text, reason: "\(hostPart) is not an IPv6 address")
            }
        } else {
            guard let colon = trimmed.lastIndex(of: ":") else {
                throw HTTPBindAddressError(text: text, reason: "expected host:port")
            }
            hostPart = trimmed[..<colon]
            portPart = trimmed[trimmed.index(after: colon)...]
            if hostPart.contains(":") {
                throw HTTPBindAddressError(text: text, reason: "write IPv6 addresses in brackets, e.g. [::1]:8080")
            }
        }
        guard let port = Int(portPart), (0...65535).contains(port) else {
            throw HTTPBindAddressError(text: text, reason: "port must be 0...65535")
        }
        let host = hostPart.isEmpty ? "0.0.0.0" : String(hostPart)
        guard host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" || $0 == "_" }) else {
            throw HTTPBindAddressError(text: text, reason: "invalid host \(host)")
        }
        self.host = host
        self.port = port
    }

    /// `host:port`, with brackets around IPv6 hosts.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A bind address that could not be parsed.
public struct HTTPBindAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text given.
    public let text: String
    /// What is wrong.
    public let reason: String

    /// `invalid bind address "…": reason`.
    public var description: String { "invalid bind address \"\(text)\": \(reason)" }
}
