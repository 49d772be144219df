/// A node's `http(s)://host[:port][/path]` URL, read without Foundation's URL types.
///
/// `URLComponents` runs the host through ICU's IDNA mapping even for `127.0.0.1`, which loads
/// ICU's code and data (about 2 MiB resident) into a daemon that never needs them: node URLs are
/// ASCII, and a host that does not resolve fails at connect time with a clear error.
struct NodeURL: Sendable {
    /// `http` or `https`, lowercased.
    let scheme: String
    /// The authority as written: `[user[:password]@]host[:port]`, the host being a name, an IPv4
    /// address or a bracketed IPv6 address.
    let authority: String
    /// Everything after the authority (`/rpc`, `?x=1`), possibly empty.
    let rest: String

    /// Parses `text`; `nil` unless it is `http(s)://` + a non-empty host + an optional port in 1-65535.
    init?(_ text: String) {
        guard let separator = text.range(of: "://") else { return nil }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let afterScheme = text[separator.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        let fullAuthority = afterScheme[..<authorityEnd]
        var authority = fullAuthority
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }

        let host: Substring
        let portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { return nil }
            portText = after.isEmpty ? nil : after.dropFirst()
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
            portText = nil
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "\t" }) else { return nil }
        if let portText {
            guard portText.allSatisfy({ ("0"..."9").contains($0) }), let port = Int(portText), (1...65535).contains(port) else {
                return nil
            }
        }
        self.scheme = scheme
        self.authority = String(fullAuthority)
        self.rest = String(afterScheme[authorityEnd...])
    }

    /// The same endpoint for the JSON-RPC WebSocket: `ws`/`wss`, and `/` when no path is written.
    var webSocketURL: String {
        let rest = rest.isEmpty || rest.hasPrefix("?") || rest.hasPrefix("#") ? "/" + rest : rest
        return "\(scheme == "https" ? "wss" : "ws")://\(authority)\(rest)"
    }
}
