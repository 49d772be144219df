#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The node's clock: the wall clock, or a fixed start time that then runs forward in real time.
struct DevnodeClock: Sendable {
    private let startMs: UInt64
    private let started: ContinuousClock.Instant

    init(startMs: UInt64?) {
        self.startMs = startMs ?? DevnodeClock.wallClockMs()
        self.started = .now
    }

    /// Milliseconds since the Unix epoch, as the node sees it.
    var nowMs: UInt64 {
        let elapsed = ContinuousClock.now - started
        let ms = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        return startMs + UInt64(max(0, ms))
    }

    /// The wall clock in Unix milliseconds.
    static func wallClockMs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) * 1000 + UInt64(ts.tv_nsec) / 1_000_000
    }
}
