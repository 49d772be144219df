import Synchronization

/// Wakes waiting workers early: ``wait(since:timeout:)`` returns when the signal fired after the
/// generation the caller saw, when `timeout` passes, or when the task is cancelled.
final class WakeSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var nextID: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// The current generation; read it before checking for work, pass it to ``wait(since:timeout:)``.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// Wakes every waiter.
    func fire() {
        let waiters = state.withLock { state in
            state.generation &+= 1
            defer { state.waiters = [:] }
            return state.waiters
        }
        for waiter in waiters.values { waiter.resume() }
    }

    /// Waits for a fire after `since`, for `timeout`, or until cancelled, whichever is first.
    func wait(since: UInt64, timeout: Duration) async {
        guard timeout > .zero else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { await self.waitForFire(since: since) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForFire(since: UInt64) async {
        let id = state.withLock { state in
            state.nextID &+= 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.generation != since || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
