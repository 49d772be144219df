import Foundation
import Logging
import ServiceLifecycle
import SpomStore

#if canImport(Glibc)
import Glibc
#endif

/// One measurement of a filesystem.
struct DiskSample: Sendable {
    var timestampMs: Int64
    var freeBytes: Int64
    var totalBytes: Int64

    /// Measures the filesystem holding `path`.
    static func measure(_ path: String) throws -> DiskSample {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else {
            throw SamplerError(path: path, reason: String(cString: strerror(errno)))
        }
        let block = Int64(info.f_frsize)
        return DiskSample(
            timestampMs: Int64(Date().timeIntervalSince1970 * 1000), freeBytes: Int64(info.f_bavail) * block,
            totalBytes: Int64(info.f_blocks) * block)
    }
}

/// A path could not be measured.
struct SamplerError: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "cannot measure \(path): \(reason)" }
}

/// The monitor's schema: one table of samples.
enum DiskSchema {
    static var migrations: StoreMigrations {
        var migrations = StoreMigrations()
        migrations.register("v1-samples") { db in
            try db.execute(
                sql: """
                    CREATE TABLE samples (
                        id INTEGER PRIMARY KEY,
                        path TEXT NOT NULL,
                        timestamp_ms INTEGER NOT NULL,
                        free_bytes INTEGER NOT NULL,
                        total_bytes INTEGER NOT NULL
                    )
                    """)
        }
        return migrations
    }
}

/// Samples the filesystem every interval and stores a row, until graceful shutdown.
struct DiskSampler: Service {
    let path: String
    let interval: Duration
    let store: SQLiteStore
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            let sample = try DiskSample.measure(path)
            try await store.writer.write { db in
                try db.execute(
                    sql: "INSERT INTO samples (path, timestamp_ms, free_bytes, total_bytes) VALUES (?, ?, ?, ?)",
                    arguments: [path, sample.timestampMs, sample.freeBytes, sample.totalBytes])
            }
            logger.debug("sampled", metadata: ["free_bytes": "\(sample.freeBytes)"])
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break
            }
        }
        logger.info("sampler stopped")
    }
}
