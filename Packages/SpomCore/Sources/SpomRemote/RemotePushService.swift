import Logging
import ServiceLifecycle

/// Runs a ``RemotePusher`` on its interval as a ServiceLifecycle service.
///
/// It never touches the application's writer: it reads through its own read-only SQLite
/// connection. A failed cycle (server down, wrong password, timeout) is logged with the masked
/// error and retried after a delay that doubles per consecutive failure (with jitter) up to
/// `retryMaximum`; the next successful cycle catches up everything that changed meanwhile.
/// Graceful shutdown stops the loop between statements and closes the connection.
public struct RemotePushService: Service {
    /// The pusher this service drives (ask it for `status()`).
    public let pusher: RemotePusher
    let logger: Logger

    /// Creates the service.
    public init(pusher: RemotePusher, logger: Logger) {
        self.pusher = pusher
        self.logger = logger
    }

    /// Loops until cancelled or shut down gracefully.
    public func run() async throws {
        let config = pusher.configuration
        logger.info("remote push started", metadata: [
            "target": "\(config.target.maskedURL)", "instance": "\(config.instanceName)",
            "interval_s": "\(config.interval.components.seconds)",
        ])
        await cancelWhenGracefulShutdown {
            var failures = 0
            while !Task.isCancelled {
                let delay: Duration
                do {
                    try await pusher.push()
                    if failures > 0 { logger.notice("remote push recovered", metadata: ["failed_cycles": "\(failures)"]) }
                    failures = 0
                    delay = config.interval
                } catch {
                    failures += 1
                    delay = RetryDelay.after(failures: failures, initial: config.retryInitial, maximum: min(config.retryMaximum, max(config.interval, config.retryInitial)))
                    logger.warning("remote push failed; will retry", metadata: [
                        "error": "\(error)", "attempt": "\(failures)", "retry_in_ms": "\(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)",
                    ])
                }
                do { try await Task.sleep(for: delay) } catch { break }
            }
        }
        await pusher.close()
        logger.info("remote push stopped")
    }
}

/// Exponential backoff with jitter.
public enum RetryDelay {
    /// `initial x 2^(failures-1)`, capped at `maximum`, then scaled by a random 0.75…1.25.
    public static func after(failures: Int, initial: Duration, maximum: Duration) -> Duration {
        let exponent = min(max(failures - 1, 0), 30)
        var delay = initial * (1 << exponent)
        if delay > maximum { delay = maximum }
        return delay * Double.random(in: 0.75...1.25)
    }
}
