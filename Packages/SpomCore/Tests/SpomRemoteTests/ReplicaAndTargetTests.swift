import Foundation
import GRDB
import SpomRemote
import SpomTesting
import Testing

@Suite("SQLite replica")
struct ReplicaTests {
    @Test("the replica is a consistent, openable single-file copy, replaced atomically, while the writer keeps writing")
    func replicaCopy() async throws {
        let dir = try TemporaryDirectory(prefix: "replica")
        defer { dir.remove() }
        let fixture = try LocalFixture(path: dir.path("app.db"))
        try fixture.insert(1...2_000)
        let replica = SQLiteReplica(sourcePath: fixture.path, destinationPath: dir.path("backup/replica.db"))

        // A writer that keeps inserting in transactions of (item + 2 tags) while copies are made.
        let writer = Task.detached {
            var id: Int64 = 2_001
            while !Task.isCancelled && id < 6_000 {
                try? fixture.insert(id...id)
                id += 1
            }
        }
        for _ in 0..<3 {
            let report = try replica.copy()
            #expect(report.bytes > 0)
            let copy = try DatabaseQueue(path: replica.destinationPath, configuration: { var c = Configuration(); c.readonly = true; return c }())
            try await copy.read { db in
                #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
                #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "delete")
                let items = try Int.fetchOne(db, sql: "SELECT count(*) FROM items") ?? -1
                let tags = try Int.fetchOne(db, sql: "SELECT count(*) FROM tags") ?? -1
                #expect(items >= 2_000)
                #expect(tags == 2 * items)  // each item was written with its tags in one transaction
            }
            try copy.close()
        }
        writer.cancel()
        _ = await writer.value
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path("backup")).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test("a missing source is a clear error and leaves no destination")
    func missingSource() throws {
        let dir = try TemporaryDirectory(prefix: "replica-missing")
        defer { dir.remove() }
        let replica = SQLiteReplica(sourcePath: dir.path("nope.db"), destinationPath: dir.path("copy.db"))
        #expect(throws: RemoteError.localDatabase(path: dir.path("nope.db"), operation: "opening for the replica", message: "no such file")) {
            try replica.copy()
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path("copy.db")))
    }
}

@Suite("PostgreSQL target")
struct TargetTests {
    @Test("parses URLs and masks the password everywhere")
    func parseAndMask() throws {
        let target = try PostgresTarget.parse(url: "postgresql://hub:s3cret@db.example.org:6543/datahub?sslmode=require")
        #expect(target.host == "db.example.org")
        #expect(target.port == 6543)
        #expect(target.user == "hub")
        #expect(target.password == "s3cret")
        #expect(target.database == "datahub")
        #expect(target.tls == .require)
        #expect(target.maskedURL == "postgres://hub:***@db.example.org:6543/datahub")
        #expect(!"\(target)".contains("s3cret"))
        #expect(PostgresTarget.mask("postgres://u:pw@h/db") == "postgres://u:***@h/db")
        #expect(PostgresTarget.mask("postgres://u@h/db") == "postgres://u@h/db")
    }

    @Test("the password comes from the environment or a file, which win over the URL")
    func passwordSources() throws {
        let dir = try TemporaryDirectory(prefix: "target")
        defer { dir.remove() }
        let file = dir.path("pw")
        try "from-file\n".write(toFile: file, atomically: true, encoding: .utf8)
        let url = "postgres://hub:in-url@127.0.0.1/datahub"
        #expect(try PostgresTarget.parse(url: url).password == "in-url")
        #expect(try PostgresTarget.parse(url: url, passwordEnvironment: "HUB_PW", environment: ["HUB_PW": "from-env"]).password == "from-env")
        #expect(try PostgresTarget.parse(url: url, passwordFile: file).password == "from-file")
        #expect(throws: RemoteError.passwordEnvironmentMissing(variable: "HUB_PW")) {
            try PostgresTarget.parse(url: url, passwordEnvironment: "HUB_PW", environment: [:])
        }
        #expect(throws: RemoteError.self) { try PostgresTarget.parse(url: url, passwordFile: dir.path("missing")) }
    }

    @Test("invalid URLs name the problem and never show the password")
    func invalidURLs() {
        for url in ["mysql://u:topsecret@h/db", "postgres://u:topsecret@h/", "postgres://:topsecret@h/db", "postgres://u:topsecret@h/db?sslmode=bogus"] {
            do {
                _ = try PostgresTarget.parse(url: url)
                Issue.record("\(url) was accepted")
            } catch {
                #expect(error.description.contains("is invalid"))
                #expect(!error.description.contains("topsecret"))
            }
        }
    }

    @Test("table descriptions are validated")
    func tableValidation() {
        #expect(throws: RemoteError.self) {
            try RemoteTable(name: "t", columns: [RemoteColumn("a", .bigint)], naturalKey: ["b"]).validate()
        }
        #expect(throws: RemoteError.self) {
            try RemoteTable(name: "t; drop", columns: [RemoteColumn("a", .bigint)], naturalKey: ["a"]).validate()
        }
        #expect(throws: RemoteError.self) {
            try RemoteTable(name: "t", columns: [RemoteColumn("chain", .text)], naturalKey: ["chain"]).validate()
        }
        #expect(throws: Never.self) { try LocalFixture.schema("ok").validate() }
    }
}
