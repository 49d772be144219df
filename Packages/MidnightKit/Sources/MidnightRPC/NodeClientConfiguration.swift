import Foundation

/// Settings of a ``NodeClient``: where the node is and how patiently to talk to it.
///
/// The defaults match v1's config keys: `rpc.url` (`http://localhost:9944`), `rpc.timeout_ms`
/// (30000), `rpc.max_retries` (3), `rpc.retry_initial_delay_ms` (1000), `rpc.retry_max_delay_ms`
/// (30000).
public struct NodeClientConfiguration: Sendable, Equatable {
    /// The node's HTTP JSON-RPC URL (`http://` or `https://`); WebSocket uses the same host and port.
    public var url: String
    /// Deadline for one HTTP request (one attempt), from `rpc.timeout_ms`.
    public var timeout: Duration
    /// Retry policy for transient failures.
    public var retry: RetryPolicy
    /// Most calls sent in one batch POST before the node tells us its own limit.
    public var maxBatchSize: Int
    /// Largest response body accepted, in bytes (the node's own default limit is 15 MB).
    public var maxResponseBytes: Int
    /// Reconnect policy of WebSocket head subscriptions.
    public var reconnect: ReconnectPolicy

    /// Creates a configuration; every value but `url` has v1's default.
    public init(
        url: String = "http://localhost:9944",
        timeout: Duration = .milliseconds(30_000),
        retry: RetryPolicy = RetryPolicy(),
        maxBatchSize: Int = 100,
        maxResponseBytes: Int = 64 * 1024 * 1024,
        reconnect: ReconnectPolicy = ReconnectPolicy()
    ) {
        self.url = url
        self.timeout = timeout
        self.retry = retry
        self.maxBatchSize = max(1, maxBatchSize)
        self.maxResponseBytes = maxResponseBytes
        self.reconnect = reconnect
    }

    /// Creates a configuration from v1's millisecond config keys (`rpc.timeout_ms`,
    /// `rpc.max_retries`, `rpc.retry_initial_delay_ms`, `rpc.retry_max_delay_ms`).
    public init(url: String, timeoutMs: UInt64, maxRetries: Int, retryInitialDelayMs: UInt64, retryMaxDelayMs: UInt64) {
        self.init(
            url: url,
            timeout: .milliseconds(Int64(clamping: timeoutMs)),
            retry: RetryPolicy(
                maxRetries: maxRetries,
                initialDelay: .milliseconds(Int64(clamping: retryInitialDelayMs)),
                maxDelay: .milliseconds(Int64(clamping: retryMaxDelayMs))
            )
        )
    }
}

/// Exponential backoff with jitter for transient failures (transport errors, HTTP 5xx, HTTP 429).
public struct RetryPolicy: Sendable, Equatable {
    /// Retries after the first attempt (0 = never retry).
    public var maxRetries: Int
    /// Delay before the first retry.
    public var initialDelay: Duration
    /// Upper bound of any delay, including a server's `Retry-After`; a longer `Retry-After` fails
    /// the call instead of sleeping.
    public var maxDelay: Duration
    /// Growth factor per retry.
    public var multiplier: Double

    /// Creates a policy (defaults: 3 retries, 1 s, doubling, at most 30 s).
    public init(
        maxRetries: Int = 3,
        initialDelay: Duration = .milliseconds(1000),
        maxDelay: Duration = .milliseconds(30_000),
        multiplier: Double = 2
    ) {
        self.maxRetries = max(0, maxRetries)
        self.initialDelay = initialDelay
        self.maxDelay = max(initialDelay, maxDelay)
        self.multiplier = max(1, multiplier)
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxRetries: 0)

    /// The delay before retry number `retry` (1-based): `initial * multiplier^(retry-1)`, capped at
    /// `maxDelay`, then scaled by a random factor in 0.5...1.0 so that clients do not retry in step.
    public func delay(forRetry retry: Int) -> Duration {
        let initialMs = initialDelay.milliseconds
        let capMs = maxDelay.milliseconds
        let exponent = Double(max(0, retry - 1))
        let raw = min(capMs, initialMs * pow(multiplier, min(exponent, 60)))
        let jittered = raw * Double.random(in: 0.5...1.0)
        return .milliseconds(Int64(jittered.rounded()))
    }
}

/// Reconnect policy of WebSocket subscriptions: exponential backoff with jitter, bounded.
public struct ReconnectPolicy: Sendable, Equatable {
    /// Delay before the first reconnect attempt.
    public var initialDelay: Duration
    /// Upper bound of the delay between attempts.
    public var maxDelay: Duration
    /// Consecutive failed attempts after which the subscription gives up (`nil` = never).
    public var maxAttempts: Int?

    /// Creates a policy (defaults: 500 ms doubling up to 30 s, never give up).
    public init(initialDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30), maxAttempts: Int? = nil) {
        self.initialDelay = initialDelay
        self.maxDelay = max(initialDelay, maxDelay)
        self.maxAttempts = maxAttempts
    }

    /// The delay before attempt `attempt` (1-based) with the same jitter as ``RetryPolicy``.
    public func delay(forAttempt attempt: Int) -> Duration {
        RetryPolicy(maxRetries: 1, initialDelay: initialDelay, maxDelay: maxDelay).delay(forRetry: attempt)
    }
}

extension Duration {
    /// This duration in (fractional) milliseconds.
    var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
