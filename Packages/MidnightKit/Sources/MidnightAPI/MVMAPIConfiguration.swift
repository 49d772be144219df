import MidnightChain
import SpomHTTP

/// Everything ``MVMAPIServer`` needs: where the database is, where to listen, and the security
/// and metrics settings (the `[api]` and `[integration]` configuration sections).
public struct MVMAPIConfiguration: Sendable {
    /// The sync daemon's SQLite database; opened read-only. It may not exist yet (answers 503).
    public var databasePath: String
    /// The chain label of the rows to serve and of the metrics' `chain` label.
    public var chain: String
    /// Where to listen; port 0 asks for an ephemeral port (see ``MVMAPIServer/boundPort``).
    public var bind: HTTPBindAddress
    /// The API key every endpoint except `/api/v1/health` and `/api/v1/live` requires; nil = auth off.
    public var apiKey: APIKey?
    /// Origins answered with CORS headers (exact match, `*` for any); empty = no CORS headers.
    public var corsOrigins: [String]
    /// Whether `GET /metrics` is served.
    public var metricsEnabled: Bool
    /// Export validator series for every known validator instead of only ours (unbounded cardinality).
    public var metricsAllValidators: Bool
    /// `/health` is 503 when the sync daemon's last progress is older than this.
    public var maxProgressAgeMs: UInt64
    /// Optional per-client rate limit.
    public var rateLimit: RateLimitPolicy?
    /// Proxies whose `X-Forwarded-For` identifies the client for the rate limiter.
    public var trustedProxies: [CIDRRange]
    /// The version reported by `mvm_build_info`.
    public var version: String
    /// `[integration] instance_name`: added as the `instance_name` label to every metric when set,
    /// so that several monitors feeding one Prometheus stay apart.
    public var instanceName: String?
    /// The Cardano epoch calendar (from `[chain] network`), for `mvm_mainchain_epoch_progress`;
    /// nil leaves that series out.
    public var mainchainTiming: MainchainTiming?

    /// Creates a configuration; only the database path is required.
    public init(
        databasePath: String,
        chain: String = "midnight",
        bind: HTTPBindAddress = HTTPBindAddress(host: "127.0.0.1", port: 8080),
        apiKey: APIKey? = nil,
        corsOrigins: [String] = [],
        metricsEnabled: Bool = true,
        metricsAllValidators: Bool = false,
        maxProgressAgeMs: UInt64 = 120_000,
        rateLimit: RateLimitPolicy? = nil,
        trustedProxies: [CIDRRange] = [],
        version: String = "dev",
        instanceName: String? = nil,
        mainchainTiming: MainchainTiming? = nil
    ) {
        self.databasePath = databasePath
        self.chain = chain
        self.bind = bind
        self.apiKey = apiKey
        self.corsOrigins = corsOrigins
        self.metricsEnabled = metricsEnabled
        self.metricsAllValidators = metricsAllValidators
        self.maxProgressAgeMs = maxProgressAgeMs
        self.rateLimit = rateLimit
        self.trustedProxies = trustedProxies
        self.version = version
        self.instanceName = instanceName
        self.mainchainTiming = mainchainTiming
    }
}
