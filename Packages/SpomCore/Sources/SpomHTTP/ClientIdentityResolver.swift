import HTTPTypes
import Hummingbird

/// Decides who a request comes from: the TCP peer, or, when the peer is one of the configured
/// trusted proxies, the address that proxy appended to `X-Forwarded-For`.
///
/// `X-Forwarded-For` is read right to left: entries added by trusted proxies are skipped and
/// the first untrusted address is the client. A client cannot spoof its identity by sending its
/// own `X-Forwarded-For`, because only entries to the right of the last trusted hop count, and
/// the header is ignored entirely when the peer is not trusted.
public struct ClientIdentityResolver: Sendable {
    /// The proxies whose `X-Forwarded-For` entries are believed.
    public let trustedProxies: [CIDRRange]

    /// Creates a resolver trusting `trustedProxies`.
    public init(trustedProxies: [CIDRRange] = []) {
        self.trustedProxies = trustedProxies
    }

    /// Creates a resolver from CIDR strings (`["127.0.0.1", "10.0.0.0/8"]`).
    ///
    /// - Throws: ``CIDRRangeError`` for the first invalid entry.
    public init(trustedProxies: [String]) throws(CIDRRangeError) {
        var ranges: [CIDRRange] = []
        for text in trustedProxies { ranges.append(try CIDRRange(text)) }
        self.trustedProxies = ranges
    }

    /// Whether `address` is a trusted proxy.
    public func isTrusted(_ address: IPAddress) -> Bool {
        trustedProxies.contains { $0.contains(address) }
    }

    /// The client identity for a request from `peer` carrying `forwardedFor` header values.
    public func resolve(peer: String?, forwardedFor: [String]) -> String {
        guard let peer, let peerAddress = IPAddress(peer) else { return peer ?? "unknown" }
        guard isTrusted(peerAddress), !forwardedFor.isEmpty else { return peerAddress.description }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { String($0).trimmingWhitespace() }
        var client = peerAddress
        for hop in hops.reversed() {
            guard let address = IPAddress(hop) else {
                // Garbage in the header: stop at the last address we could trust.
                return client.description
            }
            client = address
            if !isTrusted(address) { break }
        }
        return client.description
    }

    /// The client identity of `request` arriving from `peer`.
    public func resolve(_ request: Request, peer: String?) -> String {
        let forwarded = request.headers[values: Self.forwardedForHeader]
        return resolve(peer: peer, forwardedFor: forwarded)
    }

    /// The `X-Forwarded-For` header name.
    public static var forwardedForHeader: HTTPField.Name { HTTPField.Name("X-Forwarded-For")! }
}

/// Sets ``SpomRequestContextProtocol/clientAddress`` for the rest of the chain (logging, rate
/// limiting, handlers).
public struct ClientIdentityMiddleware<Context: SpomRequestContextProtocol>: RouterMiddleware {
    let resolver: ClientIdentityResolver

    /// Creates the middleware.
    public init(resolver: ClientIdentityResolver) {
        self.resolver = resolver
    }

    /// Resolves the client and runs the chain.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.clientAddress = resolver.resolve(request, peer: context.peerAddress)
        return try await next(request, context)
    }
}
