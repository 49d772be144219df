import Foundation
import Logging
import MidnightStore
import ServiceLifecycle
import SpomRemote

/// MVM's remote database: builds the push (PostgreSQL) or replica (SQLite) service from the
/// configuration and reports its status.
///
/// ```swift
/// if let remote = try MidnightRemote.make(settings: .init(config: config), databasePath: config.database.path, logger: logger) {
///     services.append(remote.service)            // run it in the daemon's ServiceGroup
///     let status = await remote.status()         // for `mvm status` / metrics
/// }
/// ```
public struct MidnightRemote: Sendable {
    /// What runs.
    public enum Runner: Sendable {
        /// The PostgreSQL push.
        case postgresql(RemotePushService)
        /// The SQLite replica.
        case sqliteReplica(SQLiteReplicaService)
    }

    /// The service to run.
    public let runner: Runner
    /// The settings it was made from.
    public let settings: MidnightRemoteSettings

    /// The service, for a ServiceGroup.
    public var service: any Service {
        switch runner {
        case .postgresql(let service): return service
        case .sqliteReplica(let service): return service
        }
    }

    /// Where a running service writes its status for other processes: `<database>.remote-status.json`.
    public static func statusFilePath(databasePath: String) -> String { databasePath + ".remote-status.json" }

    /// Builds the service, or nil when the remote is disabled.
    ///
    /// - Parameters:
    ///   - localChain: the chain label of the local rows (MidnightStore's `chain`, default "midnight").
    ///   - statusFile: where to write the status; defaults to ``statusFilePath(databasePath:)``.
    ///   - writesStatusFile: false for one-shot pushes (`mvm remote push`) that must not overwrite
    ///     the running daemon's status.
    /// Throws for an unusable URL or a missing password variable / file (masked messages).
    public static func make(
        settings: MidnightRemoteSettings, databasePath: String, localChain: String = StoreSchema.defaultChain,
        appVersion: String = "mvm", statusFile: String? = nil, writesStatusFile: Bool = true, environment: [String: String]? = nil,
        interval: Duration? = nil, logger: Logger
    ) throws(RemoteError) -> MidnightRemote? {
        guard settings.enabled else { return nil }
        let every = interval ?? .seconds(Int64(max(1, settings.syncIntervalSecs)))
        let statusPath = writesStatusFile ? statusFile ?? statusFilePath(databasePath: databasePath) : nil
        switch settings.kind {
        case .postgresql:
            let configuration = RemotePushConfiguration(
                target: try settings.target(environment: environment), schema: MidnightRemoteSchema.schema, localPath: databasePath,
                instanceName: settings.instanceName, chain: settings.chainID, localChain: localChain, interval: every,
                appVersion: appVersion, statusFile: statusPath)
            let pusher = try RemotePusher(configuration: configuration, logger: logger)
            return MidnightRemote(runner: .postgresql(RemotePushService(pusher: pusher, logger: logger)), settings: settings)
        case .sqliteReplica:
            guard let path = settings.path, !path.isEmpty else {
                throw .replica(path: "", operation: "configuring", message: "database.remote.path is required for sqlite_replica")
            }
            let replica = SQLiteReplica(sourcePath: databasePath, destinationPath: path)
            return MidnightRemote(
                runner: .sqliteReplica(SQLiteReplicaService(replica: replica, interval: every, statusFile: statusPath, logger: logger)),
                settings: settings)
        }
    }

    /// Records in the status file that the remote could not start (an unusable configuration),
    /// so `mvm remote status` and `mvm status` show why nothing is pushed.
    public static func recordFailure(_ error: any Error, settings: MidnightRemoteSettings, databasePath: String, statusFile: String? = nil) {
        let path = statusFile ?? statusFilePath(databasePath: databasePath)
        switch settings.kind {
        case .postgresql:
            RemotePushStatus.failedToStart(
                target: settings.maskedURL, instanceName: settings.instanceName, chain: settings.chainID, error: "\(error)",
                tables: MidnightRemoteSchema.tables.map(\.name)
            ).write(to: path)
        case .sqliteReplica:
            ReplicaStatus(destination: settings.path ?? "", error: "\(error)").write(to: path)
        }
    }

    /// The live status of this process's service.
    public func status() async -> MidnightRemoteStatus {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        switch runner {
        case .postgresql(let service): return MidnightRemoteStatus(push: await service.pusher.status(), nowMs: now)
        case .sqliteReplica(let service): return MidnightRemoteStatus(replica: service.status(), nowMs: now)
        }
    }

    /// One push now (`mvm remote push [--full]`) or one replica copy; returns rows written
    /// (0 for a replica copy).
    @discardableResult
    public func pushNow(full: Bool = false) async throws(RemoteError) -> Int64 {
        switch runner {
        case .postgresql(let service):
            return try await service.pusher.push(full: full).rowsWritten
        case .sqliteReplica(let service):
            try service.copyNow()
            return 0
        }
    }

    /// Closes the PostgreSQL connection after `pushNow` in a one-shot command.
    public func close() async {
        if case .postgresql(let service) = runner { await service.pusher.close() }
    }
}
