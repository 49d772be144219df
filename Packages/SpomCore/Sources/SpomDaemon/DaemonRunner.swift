import Foundation
import Logging
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The last shutdown signal received before the ServiceGroup took over signal handling
/// (0 when none). Written from a C signal handler, so it is a lock-free atomic.
private let earlyShutdownSignal = Atomic<Int32>(0)

/// Catches shutdown signals that arrive between process start and the moment ServiceGroup
/// installs its own handling (which replaces these handlers), so none is lost or kills the
/// process with its PID file still in place.
private func installEarlySignalHandlers() {
    for signalNumber in [SIGTERM, SIGINT, SIGQUIT] {
        _ = signal(signalNumber) { received in earlyShutdownSignal.store(received, ordering: .relaxed) }
    }
}

/// Runs a daemon's services until SIGTERM, SIGINT or SIGQUIT, with a PID file and systemd
/// notifications.
///
/// ```swift
/// let runner = DaemonRunner(services: [monitor], pidFile: "/run/app.pid", logger: logger)
/// try await runner.run()   // returns after a graceful shutdown; the PID file is gone
/// ```
///
/// When any service returns or throws, the others are shut down gracefully too.
public struct DaemonRunner: Sendable {
    /// The services to run together.
    public let services: [any Service]
    /// Where to write the PID file, or `nil` for none.
    public let pidFile: String?
    /// The environment (read for `NOTIFY_SOCKET`, `WATCHDOG_USEC`).
    public let environment: [String: String]
    /// The status line sent to systemd with `READY=1`.
    public let readyStatus: String?
    /// The logger for lifecycle messages.
    public let logger: Logger

    /// Creates a runner.
    public init(
        services: [any Service], pidFile: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, readyStatus: String? = nil,
        logger: Logger
    ) {
        self.services = services
        self.pidFile = pidFile
        self.environment = environment
        self.readyStatus = readyStatus
        self.logger = logger
    }

    /// Takes the PID file, runs the services until a shutdown signal (or until one of them
    /// ends), then removes the PID file.
    ///
    /// - Throws: ``PIDFileError`` when another instance runs; otherwise the first error a service
    ///   threw.
    public func run() async throws {
        installEarlySignalHandlers()
        let lock = try pidFile.map { try PIDFile.acquire(at: $0, logger: logger) }
        defer { lock?.remove() }
        if earlyShutdownSignal.load(ordering: .relaxed) != 0 {
            logger.info("shutdown signal received before start; not starting")
            return
        }
        var configured = services.map {
            ServiceGroupConfiguration.ServiceConfiguration(
                service: $0, successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup)
        }
        if let notifier = SystemdNotifier(environment: environment) {
            let service = SystemdService(
                notifier: notifier, watchdog: SystemdNotifier.watchdogInterval(environment: environment),
                readyStatus: readyStatus)
            configured.append(.init(service: service))
        }
        var configuration = ServiceGroupConfiguration(
            services: configured, gracefulShutdownSignals: [.sigterm, .sigint, .sigquit], logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(30)
        let group = ServiceGroup(configuration: configuration)
        logger.info("started", metadata: ["pid": "\(getpid())", "pid_file": "\(pidFile ?? "none")"])
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                // Forward a signal caught by the early handlers to the group.
                while !Task.isCancelled {
                    if earlyShutdownSignal.load(ordering: .relaxed) != 0 {
                        await group.triggerGracefulShutdown()
                        return
                    }
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
            defer { tasks.cancelAll() }
            try await tasks.next()
        }
        logger.info("stopped")
    }
}

/// Tells systemd the daemon is ready, pings the watchdog, and says STOPPING=1 on shutdown.
public struct SystemdService: Service {
    /// Where messages go.
    public let notifier: SystemdNotifier
    /// How often to send `WATCHDOG=1`, or `nil` for never.
    public let watchdog: Duration?
    /// The status line sent with `READY=1`.
    public let readyStatus: String?

    /// Creates the service.
    public init(notifier: SystemdNotifier, watchdog: Duration?, readyStatus: String? = nil) {
        self.notifier = notifier
        self.watchdog = watchdog
        self.readyStatus = readyStatus
    }

    /// Sends READY=1, then watchdog pings until graceful shutdown, then STOPPING=1.
    public func run() async throws {
        notifier.ready(status: readyStatus ?? "running")
        if let watchdog {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                notifier.watchdog()
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: watchdog) }
                } catch {
                    break
                }
            }
        } else {
            try? await gracefulShutdown()
        }
        notifier.stopping()
    }
}
