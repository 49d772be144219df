import Hummingbird
import Synchronization

/// Token-bucket rate limit settings: `burst` requests at once, refilled at `requestsPerSecond`.
public struct RateLimitPolicy: Sendable, Equatable {
    /// Sustained requests per second per client.
    public var requestsPerSecond: Double
    /// Bucket size: requests allowed in a burst.
    public var burst: Int

    /// Creates a policy.
    public init(requestsPerSecond: Double, burst: Int) {
        self.requestsPerSecond = max(requestsPerSecond, 0.001)
        self.burst = max(burst, 1)
    }
}

/// Per-client token buckets, shared by all requests.
public final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    /// The limit applied to each client.
    public let policy: RateLimitPolicy
    private let buckets = Mutex<[String: Bucket]>([:])
    private let maxClients: Int

    /// Creates a limiter; at most `maxClients` buckets are kept (idle full ones are dropped first).
    public init(policy: RateLimitPolicy, maxClients: Int = 10_000) {
        self.policy = policy
        self.maxClients = maxClients
    }

    /// Takes one token for `client`.
    ///
    /// - Returns: `nil` when allowed, else the seconds until a token is available.
    public func acquire(_ client: String, now: ContinuousClock.Instant = .now) -> Double? {
        buckets.withLock { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: Double(policy.burst), updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(Double(policy.burst), bucket.tokens + max(0, seconds) * policy.requestsPerSecond)
            bucket.updated = now
            defer { buckets[client] = bucket }
            if buckets.count >= maxClients && buckets[client] == nil { prune(&buckets, now: now) }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return (1 - bucket.tokens) / policy.requestsPerSecond
        }
    }

    /// Drops buckets that would be full by now (their clients are idle), or everything if none.
    private func prune(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant) {
        let refill = Duration.seconds(Double(policy.burst) / policy.requestsPerSecond)
        buckets = buckets.filter { now - $0.value.updated < refill }
        if buckets.count >= maxClients { buckets.removeAll(keepingCapacity: true) }
    }
}

/// Answers `429` (with `Retry-After`) when a client exceeds its ``RateLimitPolicy``.
///
/// The client is ``SpomRequestContextProtocol/clientAddress`` when set (see
/// ``ClientIdentityMiddleware``), else the peer address. Exempt paths (health checks) are
/// never limited.
public struct RateLimitMiddleware<Context: SpomRequestContextProtocol>: RouterMiddleware {
    let limiter: RateLimiter
    let exemptPaths: Set<String>

    /// Creates the middleware.
    public init(limiter: RateLimiter, exemptPaths: Set<String> = []) {
        self.limiter = limiter
        self.exemptPaths = exemptPaths
    }

    /// Takes a token or answers 429.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if !exemptPaths.contains(request.uri.path) {
            let client = context.clientAddress ?? context.peerAddress ?? "unknown"
            if let wait = limiter.acquire(client) {
                throw APIError.rateLimited(retryAfterSeconds: Int(wait.rounded(.up)))
            }
        }
        return try await next(request, context)
    }
}
