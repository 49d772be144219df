import Foundation
import GRDB
import SpomRemote

/// A small application database for the push tests: `items` (integer key, every storage class),
/// `tags` (composite key) and `settings` (no chunk column).
struct LocalFixture {
    let path: String
    let queue: DatabaseQueue

    static let items = RemoteTable(
        name: "items",
        columns: [
            RemoteColumn("id", .bigint), RemoteColumn("name", .text), RemoteColumn("payload", .bytea),
            RemoteColumn("score", .double), RemoteColumn("flag", .boolean), RemoteColumn("note", .text),
        ],
        naturalKey: ["id"], chunkColumn: "id", chunkSize: 100, localChainColumn: "chain", trailingChunks: 1)
    static let tags = RemoteTable(
        name: "tags",
        columns: [RemoteColumn("item_id", .bigint), RemoteColumn("tag", .text), RemoteColumn("weight", .bigint)],
        naturalKey: ["item_id", "tag"], chunkColumn: "item_id", chunkSize: 250)
    static let settings = RemoteTable(
        name: "settings", columns: [RemoteColumn("key", .text), RemoteColumn("value", .text)], naturalKey: ["key"])

    static func schema(_ namespace: String) -> RemoteSchema {
        RemoteSchema(namespace: namespace, version: 1, tables: [items, tags, settings])
    }

    init(path: String) throws {
        self.path = path
        queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, chain TEXT NOT NULL DEFAULT 'testchain', name TEXT NOT NULL,
                    payload BLOB, score REAL, flag INTEGER NOT NULL DEFAULT 0, note TEXT);
                CREATE TABLE IF NOT EXISTS tags (item_id INTEGER NOT NULL, tag TEXT NOT NULL, weight INTEGER, PRIMARY KEY (item_id, tag));
                CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT);
                """)
        }
    }

    /// Inserts items `range` (with two tags each) and a setting.
    func insert(_ range: ClosedRange<Int64>, label: String = "item") throws {
        try queue.write { db in
            for id in range {
                let payload = Data((0..<32).map { UInt8(truncatingIfNeeded: id &* 31 &+ Int64($0)) })
                try db.execute(
                    sql: "INSERT INTO items (id, name, payload, score, flag, note) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [id, "\(label)-\(id)", payload, Double(id) / 4, id % 3 == 0 ? 1 : 0, id % 5 == 0 ? nil : "n\(id)"])
                try db.execute(sql: "INSERT INTO tags (item_id, tag, weight) VALUES (?, 'a', ?), (?, 'b', NULL)", arguments: [id, id * 2, id])
            }
            try db.execute(sql: "INSERT INTO settings (key, value) VALUES ('last', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [String(range.upperBound)])
        }
    }

    /// Rows of another chain that must never be pushed under this chain.
    func insertOtherChain(id: Int64) throws {
        try queue.write { db in
            try db.execute(sql: "INSERT INTO items (id, chain, name, flag) VALUES (?, 'otherchain', 'foreign', 0)", arguments: [id])
        }
    }

    func execute(_ sql: String) throws {
        try queue.write { try $0.execute(sql: sql) }
    }
}
