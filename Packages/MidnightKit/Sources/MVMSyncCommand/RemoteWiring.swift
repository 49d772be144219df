import Foundation
import Logging
import MidnightConfig
import MidnightRemote
import MidnightStatus
import ServiceLifecycle
import SpomRemote
import MVMCommandSupport

/// Puts the remote database push (PostgreSQL) or replica (SQLite) into the sync daemon when
/// `[database.remote] enabled = true` (off by default).
///
/// The remote never holds up the sync: it reads the database through its own read-only
/// connection, retries a failing server with backoff on its own, and its service only ends at
/// shutdown. A configuration it can't use (bad URL, missing password variable or file) is
/// logged as an error and recorded in the status file (`mvm remote status` shows it); the sync
/// runs on without a remote.
package enum RemoteWiring {
    /// The services to run beside the sync engine (none when the remote is off or unusable).
    static func services(config: MVMConfig, logger: Logger) -> [any Service] {
        let settings = MidnightRemoteSettings(config: config)
        guard settings.enabled else { return [] }
        var log = logger
        log[metadataKey: "component"] = "remote"
        do {
            guard let remote = try MidnightRemote.make(
                settings: settings, databasePath: config.database.path, localChain: config.integration.chainID,
                appVersion: "mvm \(MVMVersion.text)", logger: log)
            else { return [] }
            log.info("remote database enabled", metadata: [
                "type": "\(settings.kind.rawValue)", "destination": "\(settings.kind == .postgresql ? settings.maskedURL : settings.path ?? "")",
                "interval_s": "\(settings.syncIntervalSecs)",
            ])
            return [remote.service]
        } catch {
            log.error("remote database disabled for this run: \(error)", metadata: ["hint": "fix [database.remote] and restart the sync"])
            MidnightRemote.recordFailure(error, settings: settings, databasePath: config.database.path)
            return []
        }
    }

    /// The remote push's state for `mvm status`, from the status file the sync daemon writes
    /// (nil when the remote is disabled; state `unknown` when no daemon has reported yet).
    package static func lag(config: MVMConfig, nowMs: Int64 = Int64(Date().timeIntervalSince1970 * 1000)) -> StatusReport.Remote? {
        let settings = MidnightRemoteSettings(config: config)
        guard settings.enabled else { return nil }
        return RemoteLagFile.read(databasePath: config.database.path, nowMs: nowMs)
            ?? StatusReport.Remote(
                kind: settings.kind.rawValue, destination: settings.kind == .postgresql ? settings.maskedURL : settings.path,
                state: "unknown", watermarkBlock: nil, lagRows: nil, lagSeconds: nil, lastError: nil)
    }
}
