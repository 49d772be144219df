import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SpomHTTP

/// The MVM REST API and Prometheus endpoint: one initializer, then ``run()``.
///
/// ```swift
/// let server = MVMAPIServer(configuration: MVMAPIConfiguration(databasePath: "mvm.db"), logger: logger)
/// try await server.runUntilSignalled()          // standalone: stops on SIGTERM / SIGINT
/// // or put `server` (a ServiceLifecycle Service) into your own ServiceGroup.
/// let port = try await server.boundPort.wait()  // the port actually bound (useful with port 0)
/// ```
///
/// Serves `/api/v1/{live,health,status,blocks,validators,epochs}` and `/metrics` (see docs/api.md)
/// from the database opened read-only; a missing database answers 503, not a crash.
public struct MVMAPIServer: Service, Sendable {
    /// The configuration served.
    public let configuration: MVMAPIConfiguration
    /// The port the server listens on, once it runs.
    public let boundPort: BoundPort
    private let application: Application<RouterResponder<SpomRequestContext>>

    /// Builds the server (nothing listens until ``run()``).
    ///
    /// - Parameters:
    ///   - configuration: database, bind address, key, CORS, metrics settings.
    ///   - logger: request and failure logs (never contain the API key).
    ///   - nowMs: the clock for health freshness, Unix ms (tests may pin it).
    public init(
        configuration: MVMAPIConfiguration,
        logger: Logger,
        nowMs: @escaping @Sendable () -> UInt64 = { UInt64(max(0, Date().timeIntervalSince1970 * 1000)) }
    ) {
        self.configuration = configuration
        let prefix = APIRoutes.prefix
        let options = HTTPServerOptions(
            bind: configuration.bind,
            apiKey: configuration.apiKey,
            exemptPaths: [prefix + "/health", prefix + "/live"],
            cors: configuration.corsOrigins.isEmpty ? nil : CORSPolicy(allowedOrigins: configuration.corsOrigins),
            rateLimit: configuration.rateLimit,
            trustedProxies: configuration.trustedProxies,
            // One line per successful request at info cost more than the request itself under
            // load; successes log at debug (errors still log at notice / error).
            requestLogLevel: .debug,
            serverName: "mvm-api/\(configuration.version)")
        let table = RouteTable()
        let router = SpomHTTPServer.makeRouter(options: options, routes: table)
        let handlers = APIRoutes(
            database: DatabaseHandle(path: configuration.databasePath, chain: configuration.chain),
            configuration: configuration, nowMs: nowMs, snapshots: APISnapshots(), responses: ResponseCache())
        handlers.register(on: router, routes: table)
        if configuration.metricsEnabled {
            router.addMetricsRoute("/metrics", routes: table) { handlers.metricsText() }
        }
        let bound = BoundPort()
        self.boundPort = bound
        var serverLogger = logger
        serverLogger[metadataKey: "component"] = "api"
        let listeningLogger = serverLogger
        self.application = SpomHTTPServer.makeApplication(
            router: router, options: options, logger: serverLogger, boundPort: bound
        ) { port in
            listeningLogger.info("API listening", metadata: ["bind": "\(configuration.bind.host):\(port)", "auth": "\(configuration.apiKey != nil)"])
        }
    }

    /// Runs until cancelled or until the enclosing ServiceGroup shuts down gracefully.
    public func run() async throws {
        try await application.run()
    }

    /// Runs standalone in its own ServiceGroup, stopping gracefully on SIGTERM and SIGINT
    /// (or only on task cancellation when `handleSignals` is false, as tests do).
    public func runUntilSignalled(handleSignals: Bool = true) async throws {
        if handleSignals {
            try await application.runService()
        } else {
            try await application.runService(gracefulShutdownSignals: [])
        }
    }
}
