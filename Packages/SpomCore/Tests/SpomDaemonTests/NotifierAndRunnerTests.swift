import Foundation
import Synchronization
import Logging
import ServiceLifecycle
import SpomDaemon
import SpomTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A service that finishes by itself after `delay`.
struct FinishingService: Service {
    let delay: Duration
    func run() async throws { try await Task.sleep(for: delay) }
}

@Suite("systemd notification, daemon runner, backoff")
struct NotifierAndRunnerTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test("messages reach a filesystem socket and an abstract socket")
    func notify() throws {
        let dir = try TemporaryDirectory(prefix: "sd")
        defer { dir.remove() }
        for address in [dir.path("notify.sock"), "@spom-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"] {
            let listener = try DatagramListener(address)
            let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": address]))
            #expect(notifier.ready(status: "up"))
            #expect(notifier.watchdog())
            #expect(notifier.stopping())
            #expect(listener.drain() == ["READY=1\nSTATUS=up", "WATCHDOG=1", "STOPPING=1"])
        }
        #expect(SystemdNotifier(environment: [:]) == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "relative"]) == nil)
        // A vanished socket is not fatal.
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": dir.path("gone.sock")])?.ready() == false)
    }

    @Test("the watchdog interval is half of WATCHDOG_USEC and only for our PID")
    func watchdogInterval() {
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "4000000"]) == .seconds(2))
        #expect(
            SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "4000000", "WATCHDOG_PID": "\(getpid())"])
                == .seconds(2))
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "4000000", "WATCHDOG_PID": "1"]) == nil)
        #expect(SystemdNotifier.watchdogInterval(environment: [:]) == nil)
    }

    @Test("the runner takes the PID file, notifies systemd, pings the watchdog and cleans up")
    func runner() async throws {
        let dir = try TemporaryDirectory(prefix: "run")
        defer { dir.remove() }
        let listener = try DatagramListener(dir.path("n.sock"))
        let pidPath = dir.path("d.pid")
        let runner = DaemonRunner(
            services: [FinishingService(delay: .milliseconds(400))], pidFile: pidPath,
            environment: ["NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "100000"], readyStatus: "testing",
            logger: logger)
        let task = Task { try await runner.run() }
        #expect(await eventually { FileManager.default.fileExists(atPath: pidPath) })
        #expect(PIDFile.readPID(at: pidPath) == getpid())
        try await task.value
        #expect(!FileManager.default.fileExists(atPath: pidPath))
        let messages = listener.drain()
        #expect(messages.first == "READY=1\nSTATUS=testing")
        #expect(messages.filter { $0 == "WATCHDOG=1" }.count >= 2)
        #expect(messages.last == "STOPPING=1")
    }

    @Test("a runner refuses to start while another holds the PID file")
    func runnerRefuses() async throws {
        let dir = try TemporaryDirectory(prefix: "run")
        defer { dir.remove() }
        let pidPath = dir.path("d.pid")
        let held = try PIDFile.acquire(at: pidPath, logger: logger)
        defer { held.remove() }
        let runner = DaemonRunner(services: [FinishingService(delay: .zero)], pidFile: pidPath, environment: [:], logger: logger)
        await #expect(throws: PIDFileError.self) { try await runner.run() }
        #expect(FileManager.default.fileExists(atPath: pidPath))
    }

    @Test("backoff grows exponentially, is capped, and jitter stays within bounds")
    func backoff() {
        let policy = BackoffPolicy(initial: .milliseconds(100), maximum: .seconds(1), multiplier: 2, jitter: 0.5)
        #expect(policy.baseDelay(afterAttempt: 1) == .milliseconds(100))
        #expect(policy.baseDelay(afterAttempt: 2) == .milliseconds(200))
        #expect(policy.baseDelay(afterAttempt: 4) == .milliseconds(800))
        #expect(policy.baseDelay(afterAttempt: 10) == .seconds(1))
        var generator = SystemRandomNumberGenerator()
        var seen = Set<Duration>()
        for _ in 0..<200 {
            let delay = policy.delay(afterAttempt: 3, using: &generator)
            #expect(delay >= .milliseconds(200) && delay <= .milliseconds(600))
            seen.insert(delay)
        }
        #expect(seen.count > 1)
    }

    @Test("retry succeeds after failures and gives up after maxAttempts")
    func retry() async throws {
        let attempts = Counter()
        let value = try await StartupRetry.run(
            "flaky", policy: BackoffPolicy(initial: .milliseconds(5), maximum: .milliseconds(10)), logger: logger
        ) {
            if attempts.increment() < 3 { throw POSIXError(.ECONNREFUSED) }
            return 42
        }
        #expect(value == 42)
        #expect(attempts.value == 3)
        let error = await #expect(throws: StartupRetry.GaveUp.self) {
            try await StartupRetry.run(
                "never", policy: BackoffPolicy(initial: .milliseconds(1), maxAttempts: 2), logger: logger
            ) { () async throws -> Int in throw POSIXError(.ECONNREFUSED) }
        }
        #expect(error?.attempts == 2)
        #expect(error?.shuttingDown == false)
    }

    @Test("a graceful shutdown ends a long backoff sleep promptly")
    func retryHonoursShutdown() async throws {
        struct Waiting: Service {
            let logger: Logger
            let outcome: Outcome
            func run() async throws {
                do {
                    _ = try await StartupRetry.run(
                        "unreachable", policy: BackoffPolicy(initial: .seconds(60)), logger: logger
                    ) { () async throws -> Int in throw POSIXError(.ECONNREFUSED) }
                } catch let error as StartupRetry.GaveUp {
                    outcome.set(error.shuttingDown)
                }
            }
        }
        let outcome = Outcome()
        let group = ServiceGroup(services: [Waiting(logger: logger, outcome: outcome)], logger: logger)
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Task.sleep(for: .milliseconds(200))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(outcome.value == true)
    }
}

/// A thread-safe counter for closures.
final class Counter: Sendable {
    private let storage = Mutex(0)
    func increment() -> Int { storage.withLock { $0 += 1; return $0 } }
    var value: Int { storage.withLock { $0 } }
}

/// A thread-safe optional flag.
final class Outcome: Sendable {
    private let storage = Mutex<Bool?>(nil)
    func set(_ value: Bool) { storage.withLock { $0 = value } }
    var value: Bool? { storage.withLock { $0 } }
}
