import Foundation
import Hummingbird

/// An error that an HTTP handler or middleware throws to answer with the one JSON error envelope:
///
/// ```json
/// {"error":{"code":"bad_parameter","message":"parameter limit: must be an integer in 1...1000, got \"abc\""}}
/// ```
///
/// Every error response of a SpomHTTP server has this shape, including unknown routes (404),
/// wrong methods (405 with `Allow`), rate limiting (429 with `Retry-After`) and internal errors.
public struct APIError: Error, HTTPResponseError, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A stable machine-readable code (`bad_parameter`, `not_found`, ...).
    public var code: String
    /// A human-readable message; never contains secrets.
    public var message: String
    /// Extra response headers (`Allow`, `Retry-After`, `WWW-Authenticate`).
    public var headers: HTTPFields

    /// Creates an error answered with `status`, `code` and `message`.
    public init(status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    /// 400: the query or path parameter `name` is invalid; the message names it.
    public static func badParameter(_ name: String, _ problem: String) -> APIError {
        APIError(status: .badRequest, code: "bad_parameter", message: "parameter \(name): \(problem)")
    }

    /// 400: the request is malformed in a way not tied to one parameter.
    public static func badRequest(_ message: String) -> APIError {
        APIError(status: .badRequest, code: "bad_request", message: message)
    }

    /// 401: no or wrong API key.
    public static func unauthorized(_ message: String = "missing or invalid API key") -> APIError {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Bearer"
        return APIError(status: .unauthorized, code: "unauthorized", message: message, headers: headers)
    }

    /// 403: the request is understood but refused (for example a CORS preflight from another origin).
    public static func forbidden(_ message: String) -> APIError {
        APIError(status: .forbidden, code: "forbidden", message: message)
    }

    /// 404: nothing at this path (or no such entity).
    public static func notFound(_ message: String = "not found") -> APIError {
        APIError(status: .notFound, code: "not_found", message: message)
    }

    /// 405: the path exists but not for this method; `Allow` lists the methods it accepts.
    public static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> APIError {
        var headers = HTTPFields()
        headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return APIError(
            status: .methodNotAllowed, code: "method_not_allowed",
            message: "method \(method.rawValue) not allowed; allowed: \(allowed.map(\.rawValue).joined(separator: ", "))",
            headers: headers)
    }

    /// 429: too many requests; `Retry-After` says how many seconds to wait.
    public static func rateLimited(retryAfterSeconds: Int) -> APIError {
        var headers = HTTPFields()
        headers[.retryAfter] = String(max(1, retryAfterSeconds))
        return APIError(
            status: .tooManyRequests, code: "rate_limited",
            message: "too many requests; retry after \(max(1, retryAfterSeconds)) s", headers: headers)
    }

    /// 503: the service cannot answer now (database unreadable, data stale, ...).
    public static func unavailable(_ message: String, retryAfterSeconds: Int? = nil) -> APIError {
        var headers = HTTPFields()
        if let retryAfterSeconds { headers[.retryAfter] = String(max(1, retryAfterSeconds)) }
        return APIError(status: .serviceUnavailable, code: "unavailable", message: message, headers: headers)
    }

    /// 500: an unexpected failure; the message is generic, details go to the log.
    public static let `internal` = APIError(status: .internalServerError, code: "internal", message: "internal error")

    /// The envelope JSON bytes.
    public var body: Data {
        ErrorEnvelope(error: .init(code: code, message: message)).jsonData
    }

    /// Renders the envelope with `Content-Type: application/json; charset=utf-8`.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        makeResponse()
    }

    /// Renders the envelope as a response without a request (for middleware that answers early).
    public func makeResponse() -> Response {
        var fields = headers
        fields[.contentType] = JSONOutput.contentType
        let bytes = body
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `status code: message`.
    public var description: String { "\(status.code) \(code): \(message)" }
}

/// The JSON error envelope, for clients that decode it.
public struct ErrorEnvelope: Codable, Sendable, Equatable {
    /// The error details.
    public struct Details: Codable, Sendable, Equatable {
        /// Machine-readable code.
        public var code: String
        /// Human-readable message.
        public var message: String

        /// Creates the details.
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    /// The error.
    public var error: Details

    /// Creates an envelope.
    public init(error: Details) {
        self.error = error
    }

    var jsonData: Data {
        // Two string fields cannot fail to encode; fall back to a fixed body all the same.
        (try? JSONOutput.encode(self)) ?? Data(#"{"error":{"code":"internal","message":"internal error"}}"#.utf8)
    }
}
