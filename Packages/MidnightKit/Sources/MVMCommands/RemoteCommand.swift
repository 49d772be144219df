import ArgumentParser
import Foundation
import Logging
import MidnightConfig
import MidnightRemote
import SpomRemote
import MVMCommandSupport

/// `mvm remote status|push [--full]`.
public struct RemoteCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "remote", abstract: "Push the database to the configured remote (PostgreSQL) and show how far behind it is.",
        subcommands: [RemoteStatus.self, RemotePush.self])
    @OptionGroup public var global: GlobalOptions
    public init() {}
}

/// `mvm remote status [--json]`: the running push's state (from the status file the sync daemon
/// writes), and what the PostgreSQL server itself holds for this instance.
public struct RemoteStatus: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the remote push: watermark, lag and last error.")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var database: DatabaseOptions
    @OptionGroup public var output: OutputOptions
    @Flag(name: .customLong("no-server"), help: "Only read the daemon's status file; don't connect to the remote server.")
    public var noServer = false
    public init() {}

    public func run() async throws {
        let format = try output.resolved()
        if format == .csv { throw CommandFailure.usage("remote status has no CSV form", hint: "use --json") }
        let logger = global.logger("mvm.remote")
        var overrides = Overrides()
        overrides.add("database.path", database.dbPath, flag: "--db-path")
        let config = try Settings.load(global: global, overrides: overrides.list).config
        let settings = MidnightRemoteSettings(config: config)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var report = RemoteStatusReport(
            daemon: MidnightRemoteStatus.read(
                settings: settings, statusFile: MidnightRemote.statusFilePath(databasePath: config.database.path), nowMs: now))
        if settings.enabled, settings.kind == .postgresql, !noServer {
            report.server = await RemoteServerView.read(settings: settings, nowMs: now, logger: logger)
        }
        if format == .json {
            try EntityJSON.print(report)
        } else {
            StandardOutput.write(report.lines.joined(separator: "\n"))
        }
    }
}

/// `mvm remote push [--full]`: one push cycle now (or a rewrite of everything with `--full`).
public struct RemotePush: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "push", abstract: "Push new and changed rows now (or everything with --full) to the remote.")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var database: DatabaseOptions
    @Flag(name: .long, help: "Rewrite every row, not only the chunks that changed since the last push.") public var full = false
    public init() {}

    public func run() async throws {
        let logger = global.logger("mvm.remote")
        var overrides = Overrides()
        overrides.add("database.path", database.dbPath, flag: "--db-path")
        let config = try Settings.load(global: global, overrides: overrides.list).config
        let settings = MidnightRemoteSettings(config: config)
        guard settings.enabled else {
            throw CommandFailure("the remote database is disabled", hint: "set [database.remote] enabled = true, type and url (see `mvm config example`)")
        }
        guard FileManager.default.fileExists(atPath: config.database.path) else {
            throw CommandFailure("no database at \(config.database.path)", hint: "run `mvm sync` first, or pass -d/--db-path")
        }
        let remote: MidnightRemote
        do {
            guard let made = try MidnightRemote.make(
                settings: settings, databasePath: config.database.path, localChain: config.integration.chainID,
                appVersion: "mvm \(MVMVersion.text)", writesStatusFile: false, logger: logger)
            else { throw CommandFailure("the remote database is disabled") }
            remote = made
        } catch let error as RemoteError {
            throw CommandFailure(error.description, hint: RemoteHints.hint(for: error))
        }
        let started = ContinuousClock.now
        do {
            let rows = try await remote.pushNow(full: full)
            await remote.close()
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            switch settings.kind {
            case .postgresql:
                let rate = seconds > 0 ? Double(rows) / seconds : 0
                StandardOutput.write(
                    "pushed \(rows) rows to \(settings.maskedURL) in \(String(format: "%.2f", seconds)) s (\(String(format: "%.0f", rate)) rows/s)"
                        + (full ? ", full rewrite" : ""))
            case .sqliteReplica:
                StandardOutput.write("replica written to \(settings.path ?? "") in \(String(format: "%.2f", seconds)) s")
            }
        } catch {
            await remote.close()
            throw CommandFailure(error.description, hint: RemoteHints.hint(for: error))
        }
    }
}

/// Hints for remote errors.
enum RemoteHints {
    static func hint(for error: RemoteError) -> String? {
        switch error {
        case .authentication:
            return "check the user in database.remote.url and the password (password_env / password_file)"
        case .connection, .timeout:
            return "check that PostgreSQL runs and database.remote.url points at it; the sync daemon keeps retrying by itself"
        case .passwordEnvironmentMissing, .passwordFile, .invalidURL:
            return "fix [database.remote] (see `mvm config example`)"
        case .remoteSchemaTooNew:
            return "upgrade mvm on this host"
        default:
            return nil
        }
    }
}

/// What `mvm remote status` prints.
struct RemoteStatusReport: Encodable {
    /// The daemon's view (status file), `unknown` when no daemon reported.
    var daemon: MidnightRemoteStatus
    /// What the server holds for this instance (PostgreSQL only; nil with --no-server).
    var server: RemoteServerView?

    var lines: [String] {
        var lines = daemon.lines
        if daemon.enabled && daemon.kind == .postgresql && daemon.consecutiveFailures > 0 {
            lines.append("failing: \(daemon.consecutiveFailures) consecutive push cycles (the daemon retries with backoff)")
        }
        if let server {
            if let error = server.error {
                lines.append("server: unreachable: \(error)")
            } else {
                var line = "server: \(server.instanceName) holds "
                line += server.watermarkBlock.map { "blocks up to \($0)" } ?? "no blocks"
                line += ", \(server.rows.values.reduce(0, +)) rows"
                if let lag = server.lagSeconds { line += ", in sync as of \(String(format: "%.1f", lag)) s ago" }
                lines.append(line)
            }
        }
        return lines
    }
}

/// This instance's push state as the PostgreSQL server records it (`mvm.spom_push_state`).
struct RemoteServerView: Encodable {
    /// `[integration] instance_name`.
    var instanceName: String
    /// Newest block number pushed.
    var watermarkBlock: Int64?
    /// Rows per table.
    var rows: [String: Int64]
    /// The remote equalled the local database as of this time (Unix ms).
    var inSyncAsOfMs: Int64?
    /// Seconds since then.
    var lagSeconds: Double?
    /// Why the server could not be read (password masked).
    var error: String?

    static func read(settings: MidnightRemoteSettings, nowMs: Int64, logger: Logger) async -> RemoteServerView {
        var view = RemoteServerView(instanceName: settings.instanceName, rows: [:])
        do {
            let database = try await RemoteDatabase.connect(try settings.target(), connectTimeout: .seconds(5), logger: logger)
            let all: [RemoteDatabase.PushState]
            do {
                all = try await database.pushStates(namespace: MidnightRemoteSchema.namespace)
            } catch {
                await database.close()
                throw error
            }
            await database.close()
            let states = all.filter { $0.instanceName == settings.instanceName && $0.chain == settings.chainID }
            for state in states { view.rows[state.table] = state.rows }
            view.watermarkBlock = states.first { $0.table == MidnightRemoteSchema.blocks.name }?.watermark
            view.inSyncAsOfMs = states.map(\.inSyncAsOfMs).min()
            view.lagSeconds = view.inSyncAsOfMs.map { max(0, Double(nowMs - $0) / 1000) }
        } catch {
            view.error = "\(error)"
        }
        return view
    }
}
