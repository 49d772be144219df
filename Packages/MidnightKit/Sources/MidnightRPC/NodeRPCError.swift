import Foundation

/// Why a call to the node failed. Every error names the node URL and the JSON-RPC method, keeps
/// the underlying cause, and renders one sentence that says what to check.
public struct NodeRPCError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public enum Kind: Sendable {
        /// No HTTP response at all: the socket could not be opened, timed out or was closed.
        case transport(TransportFailure)
        /// The node answered with a non-2xx HTTP status. `retryAfter` is the server's
        /// `Retry-After` (429/503), when it sent one.
        case httpStatus(code: Int, bodyExcerpt: String, retryAfter: Duration?)
        /// The node answered with a JSON-RPC error object.
        case rpc(code: Int, message: String, data: JSONValue?)
        /// The node no longer has the state this call needs (pruned: "State already discarded",
        /// "UnknownBlock"). Callers mark the affected blocks unattributed with this reason.
        case stateUnavailable(code: Int, message: String)
        /// The response was not JSON-RPC at all (not JSON, no `result` and no `error`, wrong id).
        case malformedResponse(detail: String, bodyExcerpt: String)
        /// The result did not decode into the expected model; `path` is the field path inside
        /// `result` (for example `block.header.number`).
        case decoding(path: String, detail: String)
        /// The result was `null` where a value is required.
        case nullResult
        /// A batch response carried no item for this call.
        case missingFromBatch
        /// None of the methods that can answer this question is offered by the node.
        case methodUnavailable(tried: [String])
        /// The configured URL is not an `http://` or `https://` URL.
        case invalidURL(detail: String)
        /// The client was already shut down.
        case clientShutDown
    }

    /// How the transport failed, classified from NIO / AsyncHTTPClient error types.
    public enum TransportFailure: String, Sendable, Equatable {
        /// Nothing listens on the port (ECONNREFUSED).
        case connectionRefused = "connection refused"
        /// The connection or the whole request exceeded its deadline.
        case timedOut = "timed out"
        /// The peer reset the connection (ECONNRESET, EPIPE).
        case connectionReset = "connection reset"
        /// The peer closed the connection before the response was complete.
        case connectionClosed = "connection closed"
        /// The host or network cannot be reached (EHOSTUNREACH, ENETUNREACH).
        case hostUnreachable = "host unreachable"
        /// The host name did not resolve.
        case nameResolution = "host name did not resolve"
        /// Another I/O failure.
        case other = "I/O error"
    }

    /// What went wrong.
    public let kind: Kind
    /// The node URL the call went to.
    public let url: String
    /// The JSON-RPC method (`"batch"` for a failed batch POST as a whole).
    public let method: String
    /// The underlying error (NIO, AsyncHTTPClient, `DecodingError`), when there is one.
    public let cause: (any Error)?
    /// How many attempts were made before giving up (1 = no retry).
    public internal(set) var attempts: Int

    /// Creates an error.
    public init(_ kind: Kind, url: String, method: String, cause: (any Error)? = nil, attempts: Int = 1) {
        self.kind = kind
        self.url = url
        self.method = method
        self.cause = cause
        self.attempts = attempts
    }

    /// The JSON-RPC error code, when the node answered with one.
    public var rpcCode: Int? {
        switch kind {
        case .rpc(let code, _, _), .stateUnavailable(let code, _): code
        default: nil
        }
    }

    /// The HTTP status, when the node answered with a non-2xx one.
    public var httpStatus: Int? {
        if case .httpStatus(let code, _, _) = kind { code } else { nil }
    }

    /// The transport failure, when the call never got an HTTP response.
    public var transportFailure: TransportFailure? {
        if case .transport(let failure) = kind { failure } else { nil }
    }

    /// Whether this is the pruned-state case.
    public var isStateUnavailable: Bool {
        if case .stateUnavailable = kind { true } else { false }
    }

    /// Whether the method does not exist on the node (JSON-RPC -32601).
    public var isMethodNotFound: Bool { rpcCode == JSONRPCErrorCode.methodNotFound }

    /// Whether trying again later may succeed: transport failures, HTTP 5xx, HTTP 429/408,
    /// malformed responses and the JSON-RPC "server is busy" error. Never method-not-found,
    /// invalid params, parse errors, other 4xx, decoding errors or pruned state.
    public var isTransient: Bool {
        switch kind {
        case .transport: true
        case .httpStatus(let code, _, _): code >= 500 || code == 429 || code == 408
        case .rpc(let code, _, _): code == JSONRPCErrorCode.serverIsBusy
        case .malformedResponse: true
        case .stateUnavailable, .decoding, .nullResult, .missingFromBatch, .methodUnavailable, .invalidURL,
            .clientShutDown:
            false
        }
    }

    /// One sentence naming the URL, the method and what to check.
    public var description: String {
        let tries = attempts > 1 ? " (after \(attempts) attempts)" : ""
        switch kind {
        case .transport(let failure):
            switch failure {
            case .connectionRefused, .hostUnreachable, .nameResolution:
                return "node unreachable at \(url): \(failure.rawValue) calling \(method)\(tries)"
                    + " — is the node running, is --rpc-url right?"
            case .timedOut:
                return "node at \(url) did not answer \(method) in time\(tries)"
                    + " — is the node overloaded or still syncing? raise rpc.timeout_ms if it is just slow"
            case .connectionReset, .connectionClosed:
                return "node at \(url) dropped the connection during \(method): \(failure.rawValue)\(tries)"
                    + " — did the node restart?"
            case .other:
                return "I/O error talking to the node at \(url) during \(method)\(tries): \(causeText)"
            }
        case .httpStatus(let code, let body, let retryAfter):
            var text = "node at \(url) answered \(method) with HTTP \(code)\(tries)"
            if let retryAfter { text += " (Retry-After \(Self.format(retryAfter)))" }
            if !body.isEmpty { text += ": \(body)" }
            if code == 429 { text += " — the node rate-limits RPC (--rpc-rate-limit)" }
            if code == 401 || code == 403 { text += " — is a proxy in front of the node refusing us?" }
            return text
        case .rpc(let code, let message, let data):
            var text = "node at \(url) rejected \(method): JSON-RPC error \(code): \(message)"
            if let data, !data.isNull { text += " (\(data.stringValue ?? data.jsonText))" }
            switch code {
            case JSONRPCErrorCode.methodNotFound:
                text += " — this node does not offer \(method) (another node generation,"
                    + " or unsafe methods disabled: --rpc-methods=unsafe)"
            case JSONRPCErrorCode.invalidParams:
                text += " — the node expects different parameters for \(method)"
            default: break
            }
            return text
        case .stateUnavailable(_, let message):
            return "node at \(url) no longer has the state \(method) needs (\(message))"
                + " — the node prunes old state; use an archive node (--state-pruning archive) for history"
        case .malformedResponse(let detail, let body):
            return "node at \(url) sent a response to \(method) that is not valid JSON-RPC\(tries): \(detail)"
                + (body.isEmpty ? "" : "; body starts: \(body)")
        case .decoding(let path, let detail):
            return "could not read the result of \(method) from \(url) at `\(path.isEmpty ? "result" : path)`: \(detail)"
                + " — an unexpected node version?"
        case .nullResult:
            return "node at \(url) returned null for \(method) where a value is required"
                + " (unknown block or hash?)"
        case .missingFromBatch:
            return "node at \(url) left \(method) out of its batch response"
        case .methodUnavailable(let tried):
            return "node at \(url) offers none of \(tried.joined(separator: ", ")) — unsupported node generation?"
        case .invalidURL(let detail):
            return "invalid node URL \(url): \(detail) — --rpc-url must look like http://127.0.0.1:9944"
        case .clientShutDown:
            return "the node client for \(url) was already shut down (\(method))"
        }
    }

    private var causeText: String {
        guard let cause else { return "unknown" }
        return String(describing: cause)
    }

    static func format(_ duration: Duration) -> String {
        let ms = duration.milliseconds
        return ms >= 1000 ? "\((ms / 1000).formatted(.number.precision(.fractionLength(0...1)))) s" : "\(Int(ms)) ms"
    }
}

/// JSON-RPC error codes the client treats specially.
public enum JSONRPCErrorCode {
    /// Invalid JSON was received by the server.
    public static let parseError = -32700
    /// The JSON sent is not a valid request object.
    public static let invalidRequest = -32600
    /// The method does not exist / is not available.
    public static let methodNotFound = -32601
    /// Invalid method parameters.
    public static let invalidParams = -32602
    /// Internal JSON-RPC error.
    public static let internalError = -32603
    /// jsonrpsee: batches are disabled (`--rpc-disable-batch-requests`).
    public static let batchesNotSupported = -32005
    /// jsonrpsee: the server is busy, try again later.
    public static let serverIsBusy = -32009
    /// jsonrpsee: the batch exceeded `--rpc-max-batch-request-len`.
    public static let batchTooLarge = -32010
}
