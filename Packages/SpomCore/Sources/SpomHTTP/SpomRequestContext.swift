import Foundation
import Hummingbird
import NIOCore

/// What SpomHTTP's middleware needs from a request context: the peer's address and a slot for
/// the client identity that the rate limiter resolved (peer, or X-Forwarded-For from a trusted
/// proxy). Apps with their own context conform to it; most just use ``SpomRequestContext``.
public protocol SpomRequestContextProtocol: RequestContext {
    /// The IP address of the TCP peer (`nil` for non-IP sockets).
    var peerAddress: String? { get }
    /// The client identity resolved by ``ClientIdentityResolver`` (set by middleware).
    var clientAddress: String? { get set }
}

/// The request context of SpomHTTP servers: remembers the peer address and encodes responses
/// with ``JSONOutput``'s settings (snake_case, sorted keys).
public struct SpomRequestContext: SpomRequestContextProtocol, RemoteAddressRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer's socket address.
    public let remoteAddress: SocketAddress?
    /// The TCP peer's IP address.
    public var peerAddress: String? { remoteAddress?.ipAddress }
    /// The resolved client identity (peer, or the forwarded address when the peer is a trusted proxy).
    public var clientAddress: String?

    /// Creates the context for a request arriving on `source.channel`.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The encoder for `ResponseEncodable` results: ``JSONOutput/makeEncoder()``.
    public var responseEncoder: JSONEncoder { JSONOutput.makeEncoder() }
}
