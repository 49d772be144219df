import HTTPTypes
import Hummingbird

/// Requires the API key on every request except exempt paths and CORS preflights.
///
/// The key is accepted as `Authorization: Bearer <key>` or `X-API-Key: <key>` and compared in
/// constant time. A missing or wrong key answers `401` in the error envelope with
/// `WWW-Authenticate: Bearer`; the key is never logged. With `key == nil` the middleware lets
/// everything through (auth off).
public struct APIKeyAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The `X-API-Key` header name.
    public static var apiKeyHeader: HTTPField.Name { HTTPField.Name("X-API-Key")! }

    let key: APIKey?
    let exemptPaths: Set<String>

    /// Creates the middleware.
    /// - Parameters:
    ///   - key: the key to require; `nil` turns auth off.
    ///   - exemptPaths: exact paths served without a key (for example `/health`, `/api/v1/health`).
    public init(key: APIKey?, exemptPaths: Set<String> = []) {
        self.key = key
        self.exemptPaths = exemptPaths
    }

    /// Checks the key, then runs the rest of the chain.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key, !exemptPaths.contains(request.uri.path), !CORSMiddlewareSupport.isPreflight(request) else {
            return try await next(request, context)
        }
        guard let presented = Self.presentedKey(request) else {
            throw APIError.unauthorized("API key required: send Authorization: Bearer <key> or X-API-Key: <key>")
        }
        guard key.matches(presented) else {
            throw APIError.unauthorized("invalid API key")
        }
        return try await next(request, context)
    }

    /// The key a request presents, from `Authorization: Bearer` or `X-API-Key`.
    static func presentedKey(_ request: Request) -> Substring? {
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                return parts[1].drop { $0 == " " }
            }
        }
        if let header = request.headers[apiKeyHeader] { return Substring(header) }
        return nil
    }
}
