import Foundation
import Logging
import ServiceLifecycle

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
        let lock = try pidFile.map { try PIDFile.acquire(at: $0, logger: logger) }
        defer { lock?.remove() }
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
        try await group.run()
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
