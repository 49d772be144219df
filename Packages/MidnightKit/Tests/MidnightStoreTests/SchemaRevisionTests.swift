import Foundation
import GRDB
import MidnightStore
import SpomTesting
import Testing

/// Additive revisions of schema v2: revision 1 adds the node's health to `sync_status`.
@Suite("Schema v2 revisions")
struct SchemaRevisionTests {
    /// Turns a current file back into a revision-0 v2 file (as written before revisions existed).
    static func downgradeToRevision0(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            for column in ["node_peers", "node_is_synced", "node_health_ms"] {
                try db.execute(sql: "ALTER TABLE sync_status DROP COLUMN \(column)")
            }
            try db.execute(sql: "DELETE FROM schema_meta WHERE key = 'schema_revision'")
        }
        try queue.close()
    }

    static func columns(_ path: String) throws -> Set<String> {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return Set(try queue.read { try $0.columns(in: "sync_status").map(\.name) })
    }

    @Test func newFilesAreAtTheCurrentRevisionAndStoreNodeHealth() throws {
        let dir = try TemporaryDirectory(prefix: "store-revision-new")
        defer { dir.remove() }
        let writer = try Fixture.writer(dir)
        #expect(try writer.reader.schemaRevision() == StoreSchema.currentRevision)
        #expect(StoreSchema.currentRevision == 1)

        var status = try writer.reader.syncStatus()
        #expect(status.nodePeers == nil && status.nodeSynced == nil && status.nodeHealthMs == nil, "unknown until the daemon asks")

        let before = UInt64(Date().timeIntervalSince1970 * 1000)
        try writer.updateSyncStatus(SyncStatusUpdate(chainTipBlock: 9, nodeHealth: NodeHealthUpdate(peers: 7, isSynced: false)))
        status = try writer.reader.syncStatus()
        #expect(status.nodePeers == 7)
        #expect(status.nodeSynced == false)
        #expect((status.nodeHealthMs ?? 0) >= before)
        #expect(status.chainTipBlock == 9)

        // An update without health leaves the last reading alone; a new reading replaces it.
        try writer.updateSyncStatus(SyncStatusUpdate(chainTipBlock: 10))
        #expect(try writer.reader.syncStatus().nodePeers == 7)
        try writer.insertBlocks([Fixture.block(1, author: 0)], syncStatus: SyncStatusUpdate(lastSyncedBlock: 1, nodeHealth: NodeHealthUpdate(peers: 0, isSynced: true)))
        status = try MidnightDatabase.openReader(path: dir.path("mvm.db")).syncStatus()
        #expect(status.nodePeers == 0)
        #expect(status.nodeSynced == true)

        // The JSON names the API publishes from.
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(status)) as? [String: Any])
        #expect(json["node_peers"] as? Int == 0)
        #expect(json["node_synced"] as? Bool == true)
        #expect(json["node_health_ms"] is Int)
    }

    @Test func aRevision0FileIsUpgradedInPlaceKeepingItsData() throws {
        let dir = try TemporaryDirectory(prefix: "store-revision-upgrade")
        defer { dir.remove() }
        let path = dir.path("mvm.db")
        do {
            let writer = try Fixture.writer(dir)
            try writer.storeCommittee(Fixture.committee(epoch: 0, seats: [2, 1]))
            try writer.insertBlocks((1...20).map { Fixture.block($0, author: Int($0 % 2)) }, syncStatus: SyncStatusUpdate(startBlock: 1, lastSyncedBlock: 20, chainTipBlock: 22))
            try writer.markFinalized(upTo: 18)
            try writer.close()
        }
        try Self.downgradeToRevision0(path)
        #expect(!(try Self.columns(path)).contains("node_peers"))

        // A reader of a revision-0 file works and reports the health as unknown.
        let oldReader = try MidnightDatabase.openReader(path: path)
        #expect(try oldReader.schemaRevision() == 0)
        let oldStatus = try oldReader.syncStatus()
        #expect(oldStatus.lastSyncedBlock == 20)
        #expect(oldStatus.nodePeers == nil && oldStatus.nodeSynced == nil)
        try oldReader.close()

        let writer = try MidnightDatabase.openWriter(path: path)
        #expect(try writer.reader.schemaRevision() == 1)
        #expect(try writer.reader.schemaVersion() == 2)
        #expect(try Self.columns(path).isSuperset(of: ["node_peers", "node_is_synced", "node_health_ms"]))
        let stats = try writer.reader.stats()
        #expect(stats.totalBlocks == 20)
        #expect(stats.finalizedBlocks == 18)
        #expect(stats.committees == 1)
        let status = try writer.reader.syncStatus()
        #expect(status.startBlock == 1 && status.lastSyncedBlock == 20 && status.chainTipBlock == 22)
        try writer.updateSyncStatus(SyncStatusUpdate(nodeHealth: NodeHealthUpdate(peers: 3, isSynced: true)))
        #expect(try writer.reader.syncStatus().nodePeers == 3)
        try writer.close()

        // Opening again is a no-op (the revision is stamped).
        let again = try MidnightDatabase.openWriter(path: path)
        #expect(try again.reader.schemaRevision() == 1)
        #expect(try again.reader.syncStatus().nodePeers == 3)
    }

    @Test func aFailedUpgradeLeavesTheFileAsItWas() throws {
        let dir = try TemporaryDirectory(prefix: "store-revision-fail")
        defer { dir.remove() }
        let path = dir.path("mvm.db")
        do {
            let writer = try Fixture.writer(dir)
            try writer.insertBlocks([Fixture.block(1, author: 0)])
            try writer.close()
        }
        try Self.downgradeToRevision0(path)
        // A column of that name already there (a hand-edited file) makes step 1 fail midway:
        // the upgrade is one transaction, so the other columns must not appear either.
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "ALTER TABLE sync_status ADD COLUMN node_health_ms INTEGER") }
        try queue.close()
        #expect(throws: StoreError.self) { try MidnightDatabase.openWriter(path: path) }
        let columns = try Self.columns(path)
        #expect(!columns.contains("node_peers") && !columns.contains("node_is_synced"))
        #expect(try MidnightDatabase.openReader(path: path).schemaRevision() == 0)
        #expect(try MidnightDatabase.openReader(path: path).stats().totalBlocks == 1)
    }
}
