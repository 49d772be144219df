import Hummingbird
import Logging
import Synchronization

/// Everything SpomHTTP's standard middleware stack needs to know.
public struct HTTPServerOptions: Sendable {
    /// Where to listen.
    public var bind: HTTPBindAddress
    /// The API key to require, or `nil` for no auth.
    public var apiKey: APIKey?
    /// Paths served without the key and without rate limiting (health checks).
    public var exemptPaths: Set<String>
    /// CORS policy, or `nil` to send no CORS headers.
    public var cors: CORSPolicy?
    /// Per-client rate limit, or `nil` for none.
    public var rateLimit: RateLimitPolicy?
    /// Proxies whose `X-Forwarded-For` is believed when identifying clients.
    public var trustedProxies: [CIDRRange]
    /// Level for logging successful requests (errors log higher).
    public var requestLogLevel: Logger.Level
    /// The `Server` header value, or `nil` for none.
    public var serverName: String?

    /// Creates options; only `bind` is required.
    public init(
        bind: HTTPBindAddress,
        apiKey: APIKey? = nil,
        exemptPaths: Set<String> = [],
        cors: CORSPolicy? = nil,
        rateLimit: RateLimitPolicy? = nil,
        trustedProxies: [CIDRRange] = [],
        requestLogLevel: Logger.Level = .info,
        serverName: String? = nil
    ) {
        self.bind = bind
        self.apiKey = apiKey
        self.exemptPaths = exemptPaths
        self.cors = cors
        self.rateLimit = rateLimit
        self.trustedProxies = trustedProxies
        self.requestLogLevel = requestLogLevel
        self.serverName = serverName
    }
}

/// The port a server actually bound (useful with port 0), reported by `onServerRunning`.
public final class BoundPort: Sendable {
    private let value = Mutex<Int?>(nil)

    /// Creates an empty box.
    public init() {}

    /// The bound port, once the server runs.
    public var port: Int? { value.withLock { $0 } }

    /// Records the bound port.
    public func set(_ port: Int) { value.withLock { $0 = port } }

    /// Waits (polling, bounded by `timeout`) for the server to report its port.
    ///
    /// - Throws: ``HTTPServerError/notRunning(after:)`` when it does not start in time.
    public func wait(timeout: Duration = .seconds(10)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let port { return port }
            try await Task.sleep(for: .milliseconds(5))
        }
        if let port { return port }
        throw HTTPServerError.notRunning(after: timeout)
    }
}

/// Errors of the server helpers.
public enum HTTPServerError: Error, Sendable, CustomStringConvertible {
    /// The server did not report a bound port in time.
    case notRunning(after: Duration)

    /// A readable message.
    public var description: String {
        switch self {
        case .notRunning(let after): "HTTP server did not start listening within \(after)"
        }
    }
}

/// Builds SpomHTTP servers: a router with the standard middleware stack, and a Hummingbird
/// `Application` (a ServiceLifecycle `Service`) listening on the configured address.
///
/// ```swift
/// let routes = RouteTable()
/// let router = SpomHTTPServer.makeRouter(options: options, routes: routes)
/// routes.route(.get, "/api/v1/status", on: router) { _, _ in try JSONOutput.response(status) }
/// router.addMetricsRoute(routes: routes) { exposition().render() }
/// let app = SpomHTTPServer.makeApplication(router: router, options: options, logger: logger)
/// let group = ServiceGroup(services: [app], gracefulShutdownSignals: [.sigterm], logger: logger)
/// ```
public enum SpomHTTPServer {
    /// A router for ``SpomRequestContext`` with ``installMiddleware(on:options:routes:)`` applied.
    /// Add routes after this call (Hummingbird applies middleware to routes added later).
    public static func makeRouter(options: HTTPServerOptions, routes: RouteTable) -> Router<SpomRequestContext> {
        let router = Router(context: SpomRequestContext.self)
        installMiddleware(on: router, options: options, routes: routes)
        return router
    }

    /// Adds the standard middleware, outermost first: client identity, request log, CORS (when
    /// configured), error envelope (405 via `routes`), rate limit (when configured), API key auth
    /// (when a key is set). Call it before adding routes.
    public static func installMiddleware<Context: SpomRequestContextProtocol>(
        on router: Router<Context>, options: HTTPServerOptions, routes: RouteTable
    ) {
        router.add(middleware: ClientIdentityMiddleware(resolver: ClientIdentityResolver(trustedProxies: options.trustedProxies)))
        router.add(middleware: RequestLogMiddleware(level: options.requestLogLevel))
        if let cors = options.cors { router.add(middleware: CORSMiddleware(policy: cors)) }
        router.add(middleware: ErrorEnvelopeMiddleware(routes: routes))
        if let rateLimit = options.rateLimit {
            router.add(middleware: RateLimitMiddleware(limiter: RateLimiter(policy: rateLimit), exemptPaths: options.exemptPaths))
        }
        if let key = options.apiKey {
            router.add(middleware: APIKeyAuthMiddleware(key: key, exemptPaths: options.exemptPaths))
        }
    }

    /// An application serving `router` on `options.bind`; `onRunning` receives the bound port.
    public static func makeApplication<Context: SpomRequestContextProtocol>(
        router: Router<Context>,
        options: HTTPServerOptions,
        logger: Logger,
        boundPort: BoundPort? = nil,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> Application<RouterResponder<Context>> where Context.Source == ApplicationRequestContextSource {
        Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(options.bind.host, port: options.bind.port),
                serverName: options.serverName
            ),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.bind.port
                boundPort?.set(port)
                await onRunning(port)
            },
            logger: logger
        )
    }
}
