import Logging
import MidnightRPC

/// A client configuration for tests: short timeouts and fast retries.
func fastClientConfiguration(
    _ url: String,
    timeout: Duration = .seconds(5),
    retries: Int = 3,
    initialDelay: Duration = .milliseconds(10),
    maxDelay: Duration = .milliseconds(200),
    maxBatchSize: Int = 100
) -> NodeClientConfiguration {
    NodeClientConfiguration(
        url: url,
        timeout: timeout,
        retry: RetryPolicy(maxRetries: retries, initialDelay: initialDelay, maxDelay: maxDelay),
        maxBatchSize: maxBatchSize,
        reconnect: ReconnectPolicy(initialDelay: .milliseconds(20), maxDelay: .milliseconds(200), maxAttempts: 50)
    )
}

let testLogger: Logger = {
    var logger = Logger(label: "rpc-test")
    logger.logLevel = .critical
    return logger
}()

/// Runs `body` with a client that is always shut down.
func withClient<T: Sendable>(_ configuration: NodeClientConfiguration, _ body: (NodeClient) async throws -> T) async throws -> T {
    try await withNodeClient(configuration, logger: testLogger, body)
}

/// Runs `body` and returns the ``NodeRPCError`` it threw (nil when it did not throw one).
func rpcError<T>(_ body: () async throws -> T) async -> NodeRPCError? {
    do {
        _ = try await body()
        return nil
    } catch let error as NodeRPCError {
        return error
    } catch {
        return nil
    }
}
