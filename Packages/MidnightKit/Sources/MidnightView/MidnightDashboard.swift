import Foundation
import Logging
import MidnightStatus
import SpomTheme
import SpomTUI
import Synchronization

/// The dashboard's entry point, used by `mvm view`, `mvm-view` and `mvm demo`:
///
/// ```swift
/// let dashboard = MidnightDashboard(databasePath: "mvm.db", statusChecker: checker,
///                                   refreshIntervalMs: 2000, themeName: "midnight", logger: logger)
/// try await dashboard.run()          // opens the terminal, returns when the user quits
/// ```
public struct MidnightDashboard: Sendable {
    /// The database the sync daemon writes.
    public var databasePath: String
    /// Asks the node for its status; nil shows the database only.
    public var statusChecker: StatusChecker?
    /// How often data is refreshed in the background (config `refresh_interval_ms`).
    public var refreshIntervalMs: Int
    /// "midnight" (dark, default) or "midday" (light).
    public var themeName: String
    /// node_exporter's metrics URL (`rpc.node_exporter_url`) for the System panel; nil shows
    /// "node_exporter not configured".
    public var nodeExporterURL: String?
    /// Where to write per-frame timings when the dashboard quits (default: the
    /// `MVM_VIEW_FRAME_LOG` environment variable; nil writes nothing). Used by `Scripts/bench-view`.
    public var frameLogPath: String? = ProcessInfo.processInfo.environment["MVM_VIEW_FRAME_LOG"]
    /// Where diagnostics go (never to the screen).
    public var logger: Logger
    /// Called once, after the first frame with data has been drawn: start-up is over, so the
    /// command can give back what start-up used (`mvm-view` passes `MemoryRelief.settle`).
    public var onSettled: (@Sendable () -> Void)?

    /// Creates the dashboard.
    public init(databasePath: String, statusChecker: StatusChecker? = nil, refreshIntervalMs: Int = 2000,
                themeName: String = "midnight", nodeExporterURL: String? = nil, logger: Logger) {
        self.nodeExporterURL = nodeExporterURL
        self.databasePath = databasePath
        self.statusChecker = statusChecker
        self.refreshIntervalMs = refreshIntervalMs
        self.themeName = themeName
        self.logger = logger
    }

    /// The dark theme (v1's Midnight).
    public static let midnight = Theme.dark(name: "Midnight")
    /// The light theme (v1's Midday), which paints its own background.
    public static let midday = Theme.light(name: "Midday")

    /// Whether `themeName` selects the light theme.
    public var startsLight: Bool {
        let name = themeName.lowercased()
        return name == "midday" || name == "light" || name == "day"
    }

    /// Opens the terminal, runs until the user quits, and restores the terminal.
    public func run() async throws {
        let session = try TerminalSession(theme: startsLight ? Self.midday : Self.midnight)
        defer { session.close() }
        await run(terminal: session)
    }

    /// Runs the dashboard on an open terminal session: draws about once a second, or at once on a
    /// key, a resize or new data, while a background task refreshes the data every
    /// ``refreshIntervalMs``. Returns when the user quits.
    public func run(terminal: TerminalSession) async {
        let loader = DashboardLoader(databasePath: databasePath, checker: statusChecker, systemURL: nodeExporterURL, logger: logger)
        let latest = Mutex<DashboardSnapshot?>(nil)
        let interval = UInt64(max(200, refreshIntervalMs))
        let refresher = Task.detached {
            while !Task.isCancelled {
                let snapshot = await loader.load()
                latest.withLock { $0 = snapshot }
                try? await Task.sleep(for: .milliseconds(interval))
            }
        }
        defer { refresher.cancel() }
        let stale = max(30, Double(interval) * 3 / 1000)
        var app = DashboardApp(state: DashboardState(lightTheme: startsLight, staleAfterSeconds: stale),
                               snapshot: DashboardSnapshot(statusConfigured: statusChecker != nil, systemURL: nodeExporterURL))
        var grid = CellGrid(size: terminal.size)
        var frameLog = FrameLog(path: frameLogPath)
        defer { frameLog?.write() }
        var lastSecond = UInt64.max
        var reason: FrameLog.Reason? = .data
        var settled = false
        while !app.state.shouldQuit {
            var fresh = false
            if let snapshot = latest.withLock({ value -> DashboardSnapshot? in defer { value = nil }; return value }) {
                app.update(snapshot: snapshot)
                reason = reason ?? .data
                fresh = true
            }
            let nowMs = DashboardLoader.nowMs()
            // Ages are shown in whole seconds: redraw when one has passed, not on every wake-up.
            if reason == nil, nowMs / 1000 != lastSecond { reason = .tick }
            if let why = reason {
                if grid.size != terminal.size { grid.resize(to: terminal.size) }
                app.setNow(ms: nowMs)
                let start = DispatchTime.now().uptimeNanoseconds
                app.render(into: &grid)
                let rendered = DispatchTime.now().uptimeNanoseconds
                // Hands back the previous frame's storage, so the next frame draws in place.
                terminal.present(swapping: &grid)
                let presented = DispatchTime.now().uptimeNanoseconds
                frameLog?.record(why, columns: grid.width, rows: grid.height, renderNs: rendered - start, presentNs: presented - rendered)
                lastSecond = nowMs / 1000
                reason = nil
                if fresh && !settled {
                    settled = true
                    onSettled?()
                }
            }
            guard let key = terminal.readKey(timeoutMilliseconds: 250) else {
                await Task.yield()
                continue
            }
            reason = .key
            if key == .resize {
                _ = terminal.updateSize()
                terminal.invalidate()
                reason = .resize
                continue
            }
            for effect in app.handle(key) {
                switch effect {
                case .quit: break
                case .copy(let text): terminal.copyToClipboard(text)
                case .setLightTheme(let light): terminal.setTheme(light ? Self.midday : Self.midnight)
                }
            }
        }
    }
}
