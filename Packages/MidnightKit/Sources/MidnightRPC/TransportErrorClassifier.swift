import AsyncHTTPClient
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps NIO / AsyncHTTPClient errors onto ``NodeRPCError/TransportFailure`` by type and errno,
/// never by message text (v1 matched message text and so never retried).
enum TransportErrorClassifier {
    /// The transport failure for `error`, or `nil` when `error` is a configuration problem
    /// (invalid URL) rather than a transport failure.
    static func classify(_ error: any Error) -> NodeRPCError.TransportFailure? {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .deadlineExceeded, .readTimeout, .writeTimeout, .getConnectionFromPoolTimeout,
                .tlsHandshakeTimeout:
                return .timedOut
            case .remoteConnectionClosed:
                return .connectionClosed
            case .invalidURL, .emptyHost, .emptyScheme, .missingSocketPath:
                return nil
            default:
                return .other
            }
        }
        if let error = error as? NIOConnectionError {
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return .nameResolution
            }
            // Prefer the most telling failure among the addresses tried.
            let failures = error.connectionErrors.compactMap { classify($0.error) }
            for preferred in [NodeRPCError.TransportFailure.connectionRefused, .hostUnreachable, .timedOut] {
                if failures.contains(preferred) { return preferred }
            }
            return failures.first ?? .other
        }
        if let error = error as? IOError {
            return classify(errno: error.errnoCode)
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return .timedOut
            case .eof, .ioOnClosedChannel, .alreadyClosed, .inputClosed, .outputClosed: return .connectionClosed
            default: return .other
            }
        }
        return .other
    }

    static func classify(errno code: CInt) -> NodeRPCError.TransportFailure {
        switch code {
        case ECONNREFUSED: .connectionRefused
        case ECONNRESET, EPIPE, ECONNABORTED: .connectionReset
        case ETIMEDOUT: .timedOut
        case EHOSTUNREACH, ENETUNREACH, EHOSTDOWN, ENETDOWN, EADDRNOTAVAIL: .hostUnreachable
        default: .other
        }
    }
}
