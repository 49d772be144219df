import Foundation
import Logging
import ServiceLifecycle
import SpomDaemon

/// Waits, with backoff, until the watched path exists.
struct StartupGate: Sendable {
    let path: String
    let policy: BackoffPolicy
    let logger: Logger

    func wait() async throws {
        try await StartupRetry.run("waiting for \(path)", policy: policy, logger: logger) {
            _ = try DiskSample.measure(path)
        }
    }
}

/// Runs the startup gate, then the sampler, as one service (so signals during startup are
/// handled by the same ServiceGroup).
struct SequencedService: Service {
    let first: StartupGate
    let then: DiskSampler

    func run() async throws {
        do {
            try await first.wait()
        } catch let error as StartupRetry.GaveUp where error.shuttingDown {
            first.logger.info("shutdown requested during startup")
            return
        }
        try await then.run()
    }
}
