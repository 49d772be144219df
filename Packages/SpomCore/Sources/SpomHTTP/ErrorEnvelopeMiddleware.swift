import Hummingbird
import Logging

/// Turns every error into the JSON error envelope (see ``APIError``).
///
/// - ``APIError``s render as they are.
/// - Hummingbird's own `HTTPError`s (a route not found, a body too large, ...) keep their status
///   and get the envelope; a 404 for a path that exists with other methods becomes a 405 with
///   `Allow` when a ``RouteTable`` is given.
/// - Anything else is an unexpected failure: logged (with the request's method and path) and
///   answered `500 internal` without details.
public struct ErrorEnvelopeMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable?

    /// Creates the middleware; `routes` enables 405 answers.
    public init(routes: RouteTable? = nil) {
        self.routes = routes
    }

    /// Runs the rest of the chain and renders its errors.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.makeResponse()
        } catch let error as HTTPError {
            if error.status == .notFound, let routes {
                let allowed = routes.allowedMethods(forPath: request.uri.path)
                if !allowed.isEmpty, !allowed.contains(request.method) {
                    return APIError.methodNotAllowed(request.method, allowed: allowed).makeResponse()
                }
            }
            return Self.envelope(for: error, request: request).makeResponse()
        } catch {
            context.logger.error(
                "request failed",
                metadata: ["method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            return APIError.internal.makeResponse()
        }
    }

    static func envelope(for error: HTTPError, request: Request) -> APIError {
        let status = error.status
        let message = error.body ?? status.reasonPhrase
        switch status.code {
        case 404: return .notFound(error.body ?? "no route for \(request.method.rawValue) \(request.uri.path)")
        case 401: return .unauthorized(message)
        case 429: return APIError(status: status, code: "rate_limited", message: message, headers: error.headers)
        case 503: return APIError(status: status, code: "unavailable", message: message, headers: error.headers)
        case 400..<500:
            let code = status.reasonPhrase.lowercased().split(separator: " ").joined(separator: "_")
            return APIError(status: status, code: code.isEmpty ? "bad_request" : code, message: message, headers: error.headers)
        default:
            return APIError(status: status, code: status.code >= 500 ? "internal" : "error", message: message, headers: error.headers)
        }
    }
}
