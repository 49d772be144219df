import Synchronization

/// Runs remote work with a deadline that holds even when the work never returns.
///
/// A task group can't do this: it waits for every child, and a PostgresNIO call parked on a
/// future that nobody completes ignores cancellation. Here the work runs in its own task and the
/// caller is resumed by whichever comes first, the work or the timer; work that loses the race is
/// cancelled and left to finish (or not) on its own, and `onTimeout` runs (e.g. closes the
/// connection so the stuck call fails).
enum Deadline {
    /// The outcome of `body`, or `.timeout` after `timeout`.
    static func run<T: Sendable>(
        _ timeout: Duration,
        timeoutError: @escaping @Sendable () -> RemoteError,
        cancelledError: (@Sendable () -> RemoteError)? = nil,
        onTimeout: @escaping @Sendable () async -> Void = {},
        _ body: @escaping @Sendable () async throws(RemoteError) -> T
    ) async throws(RemoteError) -> T {
        let gate = Gate<T>()
        let result: Result<T, RemoteError> = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, RemoteError>, Never>) in
                gate.arm(continuation)
                let work = Task {
                    let outcome: Result<T, RemoteError>
                    do throws(RemoteError) { outcome = .success(try await body()) } catch { outcome = .failure(error) }
                    gate.finish(outcome)
                }
                let timer = Task {
                    do { try await Task.sleep(for: timeout) } catch { return }
                    if gate.finish(.failure(timeoutError())) {
                        work.cancel()
                        await onTimeout()
                    }
                }
                gate.onFinish { timer.cancel() }
            }
        } onCancel: {
            gate.finish(.failure(cancelledError?() ?? timeoutError()))
        }
        return try result.get()
    }

    /// Resumes the caller exactly once.
    private final class Gate<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Result<T, RemoteError>, Never>?
            var pending: Result<T, RemoteError>?
            var done = false
            var cleanup: (@Sendable () -> Void)?
        }
        private let state = Mutex(State())

        func arm(_ continuation: CheckedContinuation<Result<T, RemoteError>, Never>) {
            let early: Result<T, RemoteError>? = state.withLock { state in
                if let pending = state.pending { state.pending = nil; return pending }
                state.continuation = continuation
                return nil
            }
            if let early { continuation.resume(returning: early) }
        }

        func onFinish(_ cleanup: @escaping @Sendable () -> Void) {
            let now = state.withLock { state -> Bool in
                if state.done { return true }
                state.cleanup = cleanup
                return false
            }
            if now { cleanup() }
        }

        /// Delivers `outcome` if nothing was delivered yet; returns whether it was.
        @discardableResult
        func finish(_ outcome: Result<T, RemoteError>) -> Bool {
            let (continuation, cleanup, delivered) = state.withLock { state -> (CheckedContinuation<Result<T, RemoteError>, Never>?, (@Sendable () -> Void)?, Bool) in
                guard !state.done else { return (nil, nil, false) }
                state.done = true
                let continuation = state.continuation
                state.continuation = nil
                if continuation == nil { state.pending = outcome }
                let cleanup = state.cleanup
                state.cleanup = nil
                return (continuation, cleanup, true)
            }
            continuation?.resume(returning: outcome)
            cleanup?()
            return delivered
        }
    }
}

extension Duration {
    /// The duration in seconds, as a Double (for messages and status).
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
