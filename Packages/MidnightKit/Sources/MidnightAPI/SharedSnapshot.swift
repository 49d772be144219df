import Dispatch
import Synchronization

/// A value computed from the database and shared by concurrent requests for at most `maxAge`.
///
/// The data behind `/health`, `/status` and `/metrics` changes once per block (seconds), while a
/// busy client or a load balancer asks many times a second: recomputing it per request (table scans
/// for the statistics and the epoch summary) made those endpoints slow and serialised everything
/// else behind them. Here:
/// - a fresh value (younger than `maxAge`) is returned as it is;
/// - a stale value is returned to everybody while one background refresh recomputes it
///   (stale-while-revalidate: no request waits for the scans once a value exists). The refresh
///   runs on a queue of its own, not on the Swift concurrency pool that serves requests: on two
///   cores, a handler thread busy for 10-20 ms each second stalled half the server and showed in
///   every endpoint's p99;
/// - with no value yet, callers wait for one computation (`computing`) instead of all scanning.
/// Failures are never cached: the entry is dropped so that the next request tries again (a missing
/// database answers 503 until the file appears, then 200 at once).
final class SharedSnapshot<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var computedAt: ContinuousClock.Instant?
        var refreshing = false
    }

    /// How long a computed value is served without recomputing.
    let maxAge: Duration
    private let state = Mutex(State())
    /// Held while computing a first value, so that concurrent first callers compute once.
    private let computing = Mutex(())

    /// Creates an empty snapshot.
    init(maxAge: Duration) {
        self.maxAge = maxAge
    }

    private enum Decision {
        case use(Value)
        case refresh(stale: Value)
        case computeFirst
    }

    /// The shared value, computing it with `compute` when missing or older than ``maxAge``.
    func value(_ compute: @escaping @Sendable () throws -> Value) throws -> Value {
        let now = ContinuousClock.now
        let decision: Decision = state.withLock { state in
            guard let value = state.value, let at = state.computedAt else { return .computeFirst }
            if now - at < maxAge || state.refreshing { return .use(value) }
            state.refreshing = true
            return .refresh(stale: value)
        }
        switch decision {
        case .use(let value):
            return value
        case .refresh(let stale):
            sharedRefreshQueue.async { _ = try? self.store(compute) }
            return stale
        case .computeFirst:
            return try computing.withLock { _ in
                let existing: Value? = state.withLock { $0.value }
                if let existing { return existing }
                return try store(compute)
            }
        }
    }

    /// Computes, records (or drops the entry on failure) and clears the refreshing flag.
    private func store(_ compute: () throws -> Value) throws -> Value {
        do {
            let value = try compute()
            let finished = ContinuousClock.now
            state.withLock { $0 = State(value: value, computedAt: finished, refreshing: false) }
            return value
        } catch {
            state.withLock { $0 = State() }
            throw error
        }
    }
}

/// The one queue that refreshes every ``SharedSnapshot`` in the background (a thread outside the
/// request handlers' pool).
private let sharedRefreshQueue = DispatchQueue(label: "mvm-api.snapshot-refresh", qos: .utility)
