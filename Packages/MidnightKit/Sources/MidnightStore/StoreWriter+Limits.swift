import GRDB

extension StoreWriter {
    /// SQLite's own ceiling on the page count, restored by `limitSize(maxPages: nil)`.
    static let uncappedPageCount = 1_073_741_823

    /// Caps the database file at `maxPages` pages (SQLite `max_page_count`; new files use 1 KiB
    /// pages), or lifts the cap when nil. A write that would grow the file past the cap fails with
    /// ``StoreError/storageFull(path:operation:)`` and is rolled back, exactly like a full disk, so
    /// tests can exercise that path without filling a real disk. The cap holds for this writer's
    /// connection only and cannot go below the file's current size (SQLite then keeps the size).
    public func limitSize(maxPages: Int?) throws {
        let pages = max(1, min(maxPages ?? Self.uncappedPageCount, Self.uncappedPageCount))
        try MidnightDatabase.wrap("setting the size cap", path) {
            try queue.writeWithoutTransaction { db in
                _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages)")
            }
        }
    }

    /// The file's current size in pages (for tests that cap it just above what is stored).
    public func pageCount() throws -> Int {
        try MidnightDatabase.wrap("reading the page count", path) {
            try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
        }
    }
}
