import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Reports catch-up progress: a live line (blocks/s, ETA) on a terminal, plain log lines every
/// few seconds otherwise (journald, files).
final class SyncProgress: Sendable {
    private let logger: Logger
    private let interactive: Bool
    private let state = Mutex(State())

    private struct State {
        var startedAt = ContinuousClock.now
        var lastReport = ContinuousClock.now
        var rate: Double = 0
        var lastDone: UInt64 = 0
        var lastSample = ContinuousClock.now
        var lineShown = false
    }

    init(logger: Logger, interactive: Bool? = nil) {
        self.logger = logger
        self.interactive = interactive ?? (isatty(STDERR_FILENO) == 1)
    }

    /// Blocks per second, smoothed.
    var blocksPerSecond: Double { state.withLock { $0.rate } }

    /// Records that `done` of `total` blocks of this catch-up are stored.
    func update(done: UInt64, total: UInt64, lastBlock: UInt64) {
        let line: String? = state.withLock { s in
            let now = ContinuousClock.now
            let dt = Double((now - s.lastSample).components.attoseconds) / 1e18 + Double((now - s.lastSample).components.seconds)
            if dt >= 0.25, done >= s.lastDone {
                let instant = Double(done - s.lastDone) / dt
                s.rate = s.rate == 0 ? instant : 0.7 * s.rate + 0.3 * instant
                s.lastDone = done
                s.lastSample = now
            }
            let every: Duration = interactive ? .milliseconds(250) : .seconds(10)
            guard now - s.lastReport >= every || done >= total else { return nil }
            s.lastReport = now
            let pct = total == 0 ? 100 : Double(done) / Double(total) * 100
            let eta = s.rate > 0.1 ? Self.format(seconds: Double(total - min(done, total)) / s.rate) : "--"
            s.lineShown = interactive
            return String(
                format: "synced to #%llu — %.1f%% (%llu/%llu) — %.0f blocks/s — ETA %@", lastBlock, pct, done, total,
                s.rate, eta)
        }
        guard let line else { return }
        if interactive {
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(line)".utf8))
        } else {
            logger.info("\(line)")
        }
    }

    /// Ends the live line so that following log lines start on their own line.
    func finish() {
        let shown = state.withLock { s -> Bool in
            defer { s.lineShown = false }
            return s.lineShown
        }
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func format(seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }
}
