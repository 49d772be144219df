import Foundation
import GRDB
import SpomStore
import SpomTesting
import Testing

func sampleMigrations(extra: Bool = false) -> StoreMigrations {
    var migrations = StoreMigrations()
    migrations.register("v1-samples") { db in
        try db.execute(sql: "CREATE TABLE samples (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, value INTEGER NOT NULL)")
    }
    migrations.register("v2-index") { db in
        try db.execute(sql: "CREATE INDEX samples_ts ON samples(ts)")
    }
    if extra {
        migrations.register("v3-note") { db in
            try db.execute(sql: "ALTER TABLE samples ADD COLUMN note TEXT")
        }
    }
    return migrations
}

@Suite("SQLite store")
struct SQLiteStoreTests {
    @Test("a new database is in WAL mode with synchronous=NORMAL and a 30 s busy timeout")
    func pragmas() throws {
        let dir = try TemporaryDirectory(prefix: "store")
        defer { dir.remove() }
        let store = try SQLiteStore.open(path: dir.path("sub/app.db"), migrations: sampleMigrations())
        let (mode, sync, busy) = try store.writer.write { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                try Int.fetchOne(db, sql: "PRAGMA busy_timeout")
            )
        }
        #expect(mode == "wal")
        #expect(sync == 1)
        #expect(busy == 30_000)
        #expect(FileManager.default.fileExists(atPath: dir.path("sub/app.db")))
    }

    @Test("migrations run once, are recorded, and new ones apply on the next open")
    func migrations() throws {
        let dir = try TemporaryDirectory(prefix: "store")
        defer { dir.remove() }
        let path = dir.path("app.db")
        do {
            let store = try SQLiteStore.open(path: path, migrations: sampleMigrations())
            #expect(try store.appliedMigrations() == ["v1-samples", "v2-index"])
            try store.writer.write { db in try db.execute(sql: "INSERT INTO samples (ts, value) VALUES (1, 10)") }
            try store.close()
        }
        let reopened = try SQLiteStore.open(path: path, migrations: sampleMigrations(extra: true))
        #expect(try reopened.appliedMigrations() == ["v1-samples", "v2-index", "v3-note"])
        let count = try reopened.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM samples") }
        #expect(count == 1)
        try reopened.close()

        // An older program refuses a database written by a newer one.
        let error = try #require(throws: StoreError.self) { try SQLiteStore.open(path: path, migrations: sampleMigrations()) }
        #expect(error.code == .newerSchema(["v3-note"]))
        #expect(error.description.contains(path))
    }

    @Test("a failing migration names itself and the file, and leaves earlier ones applied")
    func failingMigration() throws {
        let dir = try TemporaryDirectory(prefix: "store")
        defer { dir.remove() }
        let path = dir.path("app.db")
        var migrations = sampleMigrations()
        migrations.register("v3-broken") { db in try db.execute(sql: "ALTER TABLE nowhere ADD COLUMN x") }
        let error = try #require(throws: StoreError.self) { try SQLiteStore.open(path: path, migrations: migrations) }
        #expect(error.code == .migration("v3-broken"))
        #expect(error.description.contains(path))
        #expect(error.description.contains("nowhere"))
        let store = try SQLiteStore.open(path: path, migrations: sampleMigrations())
        #expect(try store.appliedMigrations() == ["v1-samples", "v2-index"])
    }

    @Test("a read-only reader reads while the writer holds a write transaction, and cannot write")
    func readerBesideWriter() throws {
        let dir = try TemporaryDirectory(prefix: "store")
        defer { dir.remove() }
        let path = dir.path("app.db")
        let store = try SQLiteStore.open(path: path, migrations: sampleMigrations())
        try store.writer.write { db in try db.execute(sql: "INSERT INTO samples (ts, value) VALUES (1, 10)") }
        let reader = try SQLiteStore.openReader(path: path)
        let seenDuringWrite = try store.writer.writeWithoutTransaction { db -> Int? in
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: "INSERT INTO samples (ts, value) VALUES (2, 20)")
            let seen = try reader.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM samples") }
            try db.execute(sql: "COMMIT")
            return seen
        }
        #expect(seenDuringWrite == 1)
        #expect(try reader.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM samples") } == 2)
        #expect(throws: (any Error).self) {
            try reader.write { try $0.execute(sql: "INSERT INTO samples (ts, value) VALUES (3, 30)") }
        }
        #expect(throws: StoreError.self) { try SQLiteStore.openReader(path: dir.path("missing.db")) }
    }

    @Test("integrity check passes on a sound database and reports a damaged one")
    func integrity() throws {
        let dir = try TemporaryDirectory(prefix: "store")
        defer { dir.remove() }
        let path = dir.path("app.db")
        let store = try SQLiteStore.open(path: path, migrations: sampleMigrations())
        try store.writer.write { db in
            for index in 0..<3000 {
                try db.execute(sql: "INSERT INTO samples (ts, value) VALUES (?, ?)", arguments: [index, index * 7])
            }
        }
        #expect(try store.integrityCheck().isEmpty)
        #expect(try store.integrityCheck(quick: true).isEmpty)
        _ = try store.writer.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try store.close()

        // Damage the middle of the file (index pages), keeping the header intact.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size / 2)
        try handle.write(contentsOf: Data(repeating: 0x5A, count: 8192))
        try handle.close()

        let reader = try SQLiteStore.openReader(path: path)
        var problems: [String] = []
        do {
            problems = try SQLiteStore.integrityCheck(reader, path: path)
        } catch let error as StoreError {
            problems = [error.description]
        }
        #expect(!problems.isEmpty)
    }

    @Test("a backup is a consistent, complete copy taken while the writer stays open")
    func backup() throws {
        let dir = try TemporaryDirectory(prefix: "store")
        defer { dir.remove() }
        let store = try SQLiteStore.open(path: dir.path("app.db"), migrations: sampleMigrations())
        try store.writer.write { db in
            for index in 0..<100 { try db.execute(sql: "INSERT INTO samples (ts, value) VALUES (?, 1)", arguments: [index]) }
        }
        let copy = try store.backupNextToDatabase(tag: "pre-v3")
        #expect(copy == dir.path("app.db.pre-v3.bak"))
        try store.writer.write { db in try db.execute(sql: "INSERT INTO samples (ts, value) VALUES (100, 1)") }
        let reader = try SQLiteStore.openReader(path: copy)
        #expect(try reader.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM samples") } == 100)
        #expect(try SQLiteStore.integrityCheck(reader, path: copy).isEmpty)
        let migrated = try SQLiteStore.open(path: copy, migrations: sampleMigrations())
        #expect(try migrated.appliedMigrations() == ["v1-samples", "v2-index"])
    }

    @Test("an unopenable path is a typed error naming the path")
    func openFailure() throws {
        let dir = try TemporaryDirectory(prefix: "store")
        defer { dir.remove() }
        let blocker = dir.path("file")
        _ = FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8))
        let error = try #require(throws: StoreError.self) { try SQLiteStore.open(path: blocker + "/app.db") }
        #expect(error.code == .open)
        #expect(error.description.contains(blocker))
    }
}
