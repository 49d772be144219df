import Foundation
import GRDB
import Logging
import ServiceLifecycle
import Synchronization

/// A consistent copy of a SQLite database written to another path with SQLite's online backup.
///
/// The copy is written to `<destination>.tmp-<pid>`, switched to rollback-journal mode (one
/// self-contained file), checked with `PRAGMA quick_check`, and renamed over the destination,
/// so readers of the destination only ever see a complete copy. The source is read through a
/// read-only connection and its writer is never blocked for longer than a backup step.
public struct SQLiteReplica: Sendable {
    /// The live database.
    public let sourcePath: String
    /// Where the copy goes.
    public let destinationPath: String

    /// What one copy did.
    public struct Report: Sendable, Hashable {
        /// Bytes in the copy.
        public var bytes: Int64
        /// Wall time, seconds.
        public var seconds: Double
        /// When it finished (Unix ms).
        public var finishedMs: Int64
    }

    /// Creates a replica description.
    public init(sourcePath: String, destinationPath: String) {
        self.sourcePath = sourcePath
        self.destinationPath = destinationPath
    }

    /// Copies now.
    @discardableResult
    public func copy() throws(RemoteError) -> Report {
        let start = ContinuousClock.now
        guard FileManager.default.fileExists(atPath: sourcePath) else {
            throw .localDatabase(path: sourcePath, operation: "opening for the replica", message: "no such file")
        }
        let destination = URL(fileURLWithPath: destinationPath)
        do {
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw .replica(path: destinationPath, operation: "creating its directory", message: "\(error)")
        }
        let temporary = destinationPath + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
        do {
            var sourceConfig = Configuration()
            sourceConfig.readonly = true
            sourceConfig.busyMode = .timeout(10)
            let source = try DatabaseQueue(path: sourcePath, configuration: sourceConfig)
            let target = try DatabaseQueue(path: temporary)
            try source.backup(to: target)
            try target.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                let check = try String.fetchOne(db, sql: "PRAGMA quick_check") ?? "no answer"
                guard check == "ok" else {
                    throw RemoteError.replica(path: destinationPath, operation: "checking the copy", message: check)
                }
            }
            try target.close()
            try source.close()
        } catch let error as RemoteError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .replica(path: destinationPath, operation: "copying \(sourcePath)", message: "\(error)")
        }
        guard rename(temporary, destinationPath) == 0 else {
            let message = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw .replica(path: destinationPath, operation: "renaming the finished copy into place", message: message)
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: destinationPath)[.size] as? NSNumber)?.int64Value ?? 0
        let elapsed = ContinuousClock.now - start
        return Report(bytes: bytes, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, finishedMs: nowMs())
    }
}

/// Status of a ``SQLiteReplicaService``.
public struct ReplicaStatus: Sendable, Codable, Hashable {
    /// Reads a status file written by a running replica service.
    public static func read(from path: String) throws(RemoteError) -> ReplicaStatus {
        do {
            return try JSONDecoder().decode(ReplicaStatus.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .localDatabase(path: path, operation: "reading the replica status file", message: "\(error)")
        }
    }

    /// A status with no copy yet, or with the error that kept the service from starting.
    public init(destination: String, error: String? = nil) {
        self.destination = destination
        self.copies = 0
        self.lastError = error
        self.lastErrorMs = error == nil ? nil : nowMs()
    }

    /// Writes the status as JSON to `path` atomically (failures are ignored: it is informational).
    public func write(to path: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let data = try? encoder.encode(self) { try? data.write(to: URL(fileURLWithPath: path), options: .atomic) }
    }

    /// Where the copy goes.
    public var destination: String
    /// When the last copy finished (Unix ms).
    public var lastCopyMs: Int64?
    /// Its size in bytes.
    public var lastCopyBytes: Int64?
    /// Its duration, seconds.
    public var lastCopySeconds: Double?
    /// Copies made since start.
    public var copies: Int64
    /// The last error, nil after a success.
    public var lastError: String?
    /// When it happened (Unix ms).
    public var lastErrorMs: Int64?
}

/// Copies the database on an interval (the `sqlite_replica` remote type).
public final class SQLiteReplicaService: Service, Sendable {
    /// The replica written.
    public let replica: SQLiteReplica
    let interval: Duration
    let logger: Logger
    let statusFile: String?
    private let state: Mutex<ReplicaStatus>

    /// Creates the service; with `statusFile`, the status is written there as JSON after every copy.
    public init(replica: SQLiteReplica, interval: Duration, statusFile: String? = nil, logger: Logger) {
        self.replica = replica
        self.interval = interval
        self.logger = logger
        self.statusFile = statusFile
        self.state = Mutex(ReplicaStatus(destination: replica.destinationPath))
    }

    private func writeStatusFile() {
        guard let statusFile else { return }
        status().write(to: statusFile)
    }

    /// The current status.
    public func status() -> ReplicaStatus { state.withLock { $0 } }

    /// Copies once now and records the outcome in the status.
    @discardableResult
    public func copyNow() throws(RemoteError) -> SQLiteReplica.Report {
        do {
            let report = try replica.copy()
            state.withLock {
                $0.lastCopyMs = report.finishedMs
                $0.lastCopyBytes = report.bytes
                $0.lastCopySeconds = report.seconds
                $0.copies += 1
                $0.lastError = nil
            }
            writeStatusFile()
            return report
        } catch {
            state.withLock {
                $0.lastError = error.description
                $0.lastErrorMs = nowMs()
            }
            writeStatusFile()
            throw error
        }
    }

    /// Copies on the interval until shut down; failures are logged and retried next interval.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let report = try self.copyNow()
                    self.logger.debug("replica written", metadata: ["path": "\(self.replica.destinationPath)", "bytes": "\(report.bytes)"])
                } catch {
                    self.logger.warning("replica copy failed", metadata: ["error": "\(error)"])
                }
                do { try await Task.sleep(for: self.interval) } catch { break }
            }
        }
    }
}
