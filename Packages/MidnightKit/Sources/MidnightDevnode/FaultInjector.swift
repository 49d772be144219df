import Synchronization

/// What to do with one HTTP request.
enum FaultDecision: Sendable, Equatable {
    case answer
    case drop
    case serverError
    case malformed
}

/// The current faults and the deterministic generator that applies them.
final class FaultInjector: Sendable {
    private let faults: Mutex<DevnodeFaults>
    private let counter = Atomic<UInt64>(0)
    private let seed: UInt64

    init(seed: UInt64, faults: DevnodeFaults) {
        self.seed = seed
        self.faults = Mutex(faults)
    }

    /// The faults in force.
    var current: DevnodeFaults { faults.withLock { $0 } }

    /// Replaces the faults.
    func set(_ new: DevnodeFaults) { faults.withLock { $0 = new } }

    /// The fate of the next HTTP request (drawn from `(seed, request number)`).
    func decide() -> (FaultDecision, latencyMs: Int) {
        let f = current
        guard f.hasHTTPFaults else { return (.answer, 0) }
        let n = counter.add(1, ordering: .relaxed).newValue
        let r = SplitMix64.unit(seed: seed, tag: .faults, n)
        var edge = f.dropConnectionRate
        if r < edge { return (.drop, f.latencyMs) }
        edge += f.http5xxRate
        if r < edge { return (.serverError, f.latencyMs) }
        edge += f.malformedJSONRate
        if r < edge { return (.malformed, f.latencyMs) }
        return (.answer, f.latencyMs)
    }
}
