import Foundation
import GRDB
@testable import MidnightStore
import SpomTesting
import Testing

@Suite struct StoreMemoryTests {
    /// `sqlite3_db_status`, looked up at run time so the test needs no SQLite module of its own.
    private typealias DBStatus = @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?, Int32) -> Int32
    private static let dbStatus: DBStatus? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sqlite3_db_status")
        .map { unsafeBitCast($0, to: DBStatus.self) }
    /// `SQLITE_DBSTATUS_CACHE_USED`: bytes of page cache held by one connection.
    private static let cacheUsed: Int32 = 1

    private func pageCacheBytes(_ writer: StoreWriter) throws -> Int32 {
        let status = try #require(Self.dbStatus)
        return try writer.queue.inDatabase { db in
            var current: Int32 = 0
            var highwater: Int32 = 0
            #expect(status(db.sqliteConnection, Self.cacheUsed, &current, &highwater, 0) == 0)
            return current
        }
    }

    /// After a bulk write the connection's page cache is full; `releaseMemory()` empties it (the
    /// sync engine calls it when a catch-up reaches the tip), and the data stays readable.
    @Test func releaseMemoryEmptiesThePageCacheAfterABulkWrite() throws {
        let dir = try TemporaryDirectory(prefix: "store-memory")
        defer { dir.remove() }
        let writer = try Fixture.writer(dir)
        for start in stride(from: UInt64(1), through: 4_001, by: 1_000) {
            _ = try writer.insertBlocks((start..<start + 1_000).map { Fixture.block($0, author: Int($0 % 7)) })
        }
        let full = try pageCacheBytes(writer)
        #expect(full > 256 * 1024)

        writer.releaseMemory()
        let released = try pageCacheBytes(writer)
        #expect(released < full / 4)
        #expect(try writer.reader.lastBlock()?.number == 5_000)
    }
}
