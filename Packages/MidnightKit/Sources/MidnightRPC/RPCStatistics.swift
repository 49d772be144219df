import Synchronization

/// Counters of one JSON-RPC method, for metrics (`mvm_rpc_requests_total{method}`,
/// `mvm_rpc_request_failures_total{method}`).
public struct MethodStatistics: Sendable, Equatable {
    /// Calls made (a batch item counts as one call; retries do not count again).
    public var requests: UInt64 = 0
    /// Calls that finally failed (after any retries).
    public var failures: UInt64 = 0
    /// Extra attempts made because of transient failures.
    public var retries: UInt64 = 0
    /// Total wall time spent in these calls, including retries, in seconds.
    public var totalSeconds: Double = 0

    /// Creates zeroed counters.
    public init() {}
}

/// Thread-safe per-method request statistics of one ``NodeClient``.
public final class RPCStatistics: Sendable {
    private let counters = Mutex<[String: MethodStatistics]>([:])

    /// Creates empty statistics.
    public init() {}

    /// A copy of the counters, keyed by method name.
    public func snapshot() -> [String: MethodStatistics] {
        counters.withLock { $0 }
    }

    /// Total calls over all methods.
    public var totalRequests: UInt64 { counters.withLock { $0.values.reduce(0) { $0 + $1.requests } } }

    /// Total failed calls over all methods.
    public var totalFailures: UInt64 { counters.withLock { $0.values.reduce(0) { $0 + $1.failures } } }

    func record(method: String, failed: Bool, seconds: Double) {
        counters.withLock { all in
            var entry = all[method, default: MethodStatistics()]
            entry.requests += 1
            if failed { entry.failures += 1 }
            entry.totalSeconds += seconds
            all[method] = entry
        }
    }

    func recordRetry(method: String) {
        counters.withLock { $0[method, default: MethodStatistics()].retries += 1 }
    }
}
