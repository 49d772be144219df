import Hummingbird
import Synchronization

/// The routes an app registered, so that a request for a known path with the wrong method gets
/// `405 Method Not Allowed` with an `Allow` header instead of a 404.
///
/// Register routes through ``route(_:_:on:use:)`` (or call ``record(_:_:)`` beside your own
/// registration); ``ErrorEnvelopeMiddleware`` consults the table when the router finds nothing.
/// Paths use Hummingbird's syntax: literal segments, `:name` or `{name}` parameters, `*` (one
/// segment) and `**` (the rest).
public final class RouteTable: Sendable {
    private let routes = Mutex<[(segments: [Substring], method: HTTPRequest.Method)]>([])

    /// Creates an empty table.
    public init() {}

    /// Notes that `method` is served at `path`.
    public func record(_ method: HTTPRequest.Method, _ path: String) {
        let segments = path.split(separator: "/")
        routes.withLock { $0.append((segments: segments, method: method)) }
    }

    /// Registers `handler` for `method` at `path` on `router` and records it.
    @discardableResult
    public func route<Context: RequestContext>(
        _ method: HTTPRequest.Method,
        _ path: String,
        on router: Router<Context>,
        use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator
    ) -> Router<Context> {
        record(method, path)
        return router.on(RouterPath(path), method: method, use: handler)
    }

    /// The methods registered for paths matching `path`, in a stable order (empty when the path
    /// is unknown).
    public func allowedMethods(forPath path: String) -> [HTTPRequest.Method] {
        let request = path.split(separator: "/")
        let methods = routes.withLock { routes in
            routes.filter { Self.matches(pattern: $0.segments, path: request) }.map(\.method)
        }
        var seen = Set<String>()
        return methods.filter { seen.insert($0.rawValue).inserted }.sorted { $0.rawValue < $1.rawValue }
    }

    static func matches(pattern: [Substring], path: [Substring]) -> Bool {
        var index = 0
        for segment in pattern {
            if segment == "**" { return true }
            guard index < path.count else { return false }
            let literal = !(segment == "*" || segment.hasPrefix(":") || (segment.hasPrefix("{") && segment.hasSuffix("}")))
            if literal && segment != path[index] { return false }
            index += 1
        }
        return index == path.count
    }
}
