import Logging
import ServiceLifecycle

/// Exponential backoff with jitter: `initial`, `initial × multiplier`, ... capped at `maximum`,
/// each delay spread by ±`jitter` so restarted fleets do not retry in step.
public struct BackoffPolicy: Sendable, Equatable {
    /// The first delay.
    public var initial: Duration
    /// The largest delay.
    public var maximum: Duration
    /// The growth factor between attempts (at least 1).
    public var multiplier: Double
    /// The relative spread of each delay, 0 ... 1 (0.2 = ±20 %).
    public var jitter: Double
    /// How many attempts in total, or `nil` to retry until shut down.
    public var maxAttempts: Int?

    /// Creates a policy.
    public init(
        initial: Duration = .seconds(1), maximum: Duration = .seconds(30), multiplier: Double = 2, jitter: Double = 0.2,
        maxAttempts: Int? = nil
    ) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = max(1, multiplier)
        self.jitter = min(max(0, jitter), 1)
        self.maxAttempts = maxAttempts
    }

    /// The delay after failed attempt number `attempt` (1-based), before jitter.
    public func baseDelay(afterAttempt attempt: Int) -> Duration {
        let seconds = Double(initial.components.seconds) + Double(initial.components.attoseconds) / 1e18
        let cap = Double(maximum.components.seconds) + Double(maximum.components.attoseconds) / 1e18
        let grown = seconds * pow(multiplier, Double(max(0, attempt - 1)))
        return .milliseconds(Int64(min(grown, cap) * 1000))
    }

    /// The delay after failed attempt `attempt`, with jitter drawn from `generator`; never above
    /// ``maximum``.
    public func delay<G: RandomNumberGenerator>(afterAttempt attempt: Int, using generator: inout G) -> Duration {
        let base = baseDelay(afterAttempt: attempt)
        guard jitter > 0 else { return base }
        let factor = Double.random(in: (1 - jitter)...(1 + jitter), using: &generator)
        let jittered = base * factor
        return jittered > maximum ? maximum : jittered
    }
}

private func pow(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0
    var remaining = Int(exponent)
    while remaining > 0 {
        result *= base
        remaining -= 1
        if result > 1e12 { break }
    }
    return result
}

/// Startup work retried with backoff that stops promptly on graceful shutdown.
public enum StartupRetry {
    /// Why a retried operation gave up.
    public struct GaveUp: Error, Sendable, CustomStringConvertible {
        /// What was being attempted.
        public let operation: String
        /// How many attempts were made.
        public let attempts: Int
        /// The last error, described.
        public let lastError: String
        /// Whether it stopped because the service is shutting down (rather than attempts ran out).
        public let shuttingDown: Bool

        /// A message naming the operation and the last error.
        public var description: String {
            shuttingDown
                ? "\(operation): stopped by shutdown after \(attempts) attempt(s); last error: \(lastError)"
                : "\(operation): gave up after \(attempts) attempt(s); last error: \(lastError)"
        }
    }

    /// Runs `body` until it succeeds, sleeping with `policy` between failures.
    ///
    /// Sleeps end at once on graceful shutdown (SIGTERM via ServiceGroup) or task cancellation,
    /// so a daemon stuck waiting for a dependency still stops promptly.
    ///
    /// - Throws: ``GaveUp`` when attempts run out or shutdown begins; `CancellationError` when
    ///   the task is cancelled.
    public static func run<T: Sendable>(
        _ operation: String, policy: BackoffPolicy = BackoffPolicy(), logger: Logger,
        _ body: () async throws -> T
    ) async throws -> T {
        var generator = SystemRandomNumberGenerator()
        var attempt = 0
        while true {
            attempt += 1
            let failure: any Error
            do {
                return try await body()
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failure = error
            }
            if let limit = policy.maxAttempts, attempt >= limit {
                throw GaveUp(operation: operation, attempts: attempt, lastError: "\(failure)", shuttingDown: false)
            }
            let delay = policy.delay(afterAttempt: attempt, using: &generator)
            logger.warning(
                "\(operation) failed; retrying",
                metadata: ["attempt": "\(attempt)", "retry_in": "\(delay)", "error": "\(failure)"])
            if Task.isShuttingDownGracefully {
                throw GaveUp(operation: operation, attempts: attempt, lastError: "\(failure)", shuttingDown: true)
            }
            do {
                try await cancelWhenGracefulShutdown {
                    try await Task.sleep(for: delay)
                }
            } catch {
                if Task.isCancelled && !Task.isShuttingDownGracefully { throw CancellationError() }
                throw GaveUp(operation: operation, attempts: attempt, lastError: "\(failure)", shuttingDown: true)
            }
        }
    }
}
