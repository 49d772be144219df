import HTTPTypes
import Hummingbird

/// Which cross-origin requests a server answers.
public struct CORSPolicy: Sendable, Equatable {
    /// Origins allowed exactly as written (`https://grafana.example.org`); `*` allows any origin.
    public var allowedOrigins: [String]
    /// Methods announced in preflight answers.
    public var allowedMethods: [HTTPRequest.Method]
    /// Request headers announced in preflight answers.
    public var allowedHeaders: [String]
    /// How long a browser may cache a preflight answer, in seconds.
    public var maxAgeSeconds: Int

    /// Creates a policy; by default read-only methods and the headers the API key needs.
    public init(
        allowedOrigins: [String],
        allowedMethods: [HTTPRequest.Method] = [.get, .head, .options],
        allowedHeaders: [String] = ["Authorization", "X-API-Key", "Content-Type"],
        maxAgeSeconds: Int = 600
    ) {
        self.allowedOrigins = allowedOrigins
        self.allowedMethods = allowedMethods
        self.allowedHeaders = allowedHeaders
        self.maxAgeSeconds = maxAgeSeconds
    }

    /// Whether any origin is allowed.
    public var allowsAnyOrigin: Bool { allowedOrigins.contains("*") }

    /// The `Access-Control-Allow-Origin` value for `origin`, or `nil` when it is not allowed.
    public func allowOriginValue(for origin: String) -> String? {
        if allowsAnyOrigin { return "*" }
        return allowedOrigins.contains(origin) ? origin : nil
    }
}

enum CORSMiddlewareSupport {
    static func isPreflight(_ request: Request) -> Bool {
        request.method == .options && request.headers[.origin] != nil && request.headers[.accessControlRequestMethod] != nil
    }
}

/// Answers CORS for the configured origins only (exact match; `*` only when configured).
///
/// - A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from an allowed
///   origin gets `204` with the allowed methods, headers and max age; from another origin a
///   `403` envelope without CORS headers, so the browser blocks the request.
/// - Other requests run normally; from an allowed origin the response (errors included) carries
///   `Access-Control-Allow-Origin`. Every response carries `Vary: Origin`.
/// Place it outside ``ErrorEnvelopeMiddleware`` so error responses get the headers too.
public struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    let policy: CORSPolicy

    /// Creates the middleware for `policy`.
    public init(policy: CORSPolicy) {
        self.policy = policy
    }

    /// Answers preflights, or runs the chain and adds CORS headers.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let origin = request.headers[.origin]
        if CORSMiddlewareSupport.isPreflight(request), let origin {
            guard let allow = policy.allowOriginValue(for: origin) else {
                var response = APIError.forbidden("origin \(QueryParameters.quote(origin)) is not allowed").makeResponse()
                response.headers[.vary] = "Origin"
                return response
            }
            var headers = HTTPFields()
            headers[.accessControlAllowOrigin] = allow
            headers[.accessControlAllowMethods] = policy.allowedMethods.map(\.rawValue).joined(separator: ", ")
            headers[.accessControlAllowHeaders] = policy.allowedHeaders.joined(separator: ", ")
            headers[.accessControlMaxAge] = String(policy.maxAgeSeconds)
            headers[.vary] = "Origin"
            return Response(status: .noContent, headers: headers)
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            response = error.makeResponse()
        }
        if let origin, let allow = policy.allowOriginValue(for: origin) {
            response.headers[.accessControlAllowOrigin] = allow
            response.headers[.accessControlExposeHeaders] = "Retry-After"
        }
        if !(response.headers[.vary]?.contains("Origin") ?? false) {
            response.headers.append(HTTPField(name: .vary, value: "Origin"))
        }
        return response
    }
}
