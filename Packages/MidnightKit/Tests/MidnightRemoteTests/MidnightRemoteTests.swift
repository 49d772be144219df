import Foundation
import Logging
import MidnightConfig
import MidnightRemote
import MidnightStore
import SpomRemote
import SpomTesting
import Testing

@Suite("MidnightRemote against PostgreSQL", .serialized, .enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipMessage)))
struct MidnightRemoteTests {
    let logger = Logger(label: "midnight-remote-tests")

    func settings(_ server: TestPostgres, instance: String) -> MidnightRemoteSettings {
        MidnightRemoteSettings(enabled: true, kind: .postgresql, url: server.url, syncIntervalSecs: 1, chainID: "midnight-test", instanceName: instance)
    }

    /// Asserts that every MVM table's remote rows equal the local rows.
    func expectEqualTables(_ server: TestPostgres, path: String, instance: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let source = try LocalSource(path: path)
        let remote = try await RemoteDatabase.connect(try server.target, logger: logger)
        for table in MidnightRemoteSchema.tables {
            let local = try source.allRows(of: table, chain: StoreSchema.defaultChain).map(table.normalize)
            let pushed = try await remote.rows(of: table, namespace: MidnightRemoteSchema.namespace, instance: instance, chain: "midnight-test")
            #expect(pushed.count == local.count, "\(table.name): \(pushed.count) remote rows, \(local.count) local", sourceLocation: sourceLocation)
            if let index = zip(pushed, local).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                Issue.record("\(table.name) row \(index) differs: remote \(pushed[index]), local \(local[index])", sourceLocation: sourceLocation)
            }
        }
        await remote.close()
    }

    @Test("every MVM table pushes row for row; reorg, late attribution and finality are pushed again")
    func pushMidnightTables() async throws {
        let server = try TestPostgres.shared()
        let dir = try TemporaryDirectory(prefix: "midnight-remote")
        defer { dir.remove() }
        let path = dir.path("mvm.db")
        let chain = try ChainFixture(path: path)
        try chain.insertBlocks(0...1_499)
        try chain.writer.markOurs(sidechainKey: ChainFixture.sidechainKey(1), label: "ours")
        try chain.writer.recordRegistrationStatus(sidechainKey: ChainFixture.sidechainKey(1), status: "registered_valid", mainchainEpoch: 3, observedAtMs: 1_700_000_000_000)
        try chain.writer.markFinalized(upTo: 1_480)

        let instance = "node-\(UInt32.random(in: 0...UInt32.max))"
        let remote = try #require(try MidnightRemote.make(settings: settings(server, instance: instance), databasePath: path,
                                                          statusFile: dir.path("status.json"), logger: logger))
        let written = try await remote.pushNow()
        #expect(written >= 1_500)
        try await expectEqualTables(server, path: path, instance: instance)
        let status = await remote.status()
        #expect(status.state == "in_sync")
        #expect(status.watermarkBlock == 1_499)
        #expect(status.lagRows == 0)
        #expect(status.lines.contains("watermark: block 1499"))
        #expect(!status.lines.joined().contains(try server.target.password ?? "-"))
        // Another process (e.g. `mvm remote status`) reads the status file.
        let fromFile = MidnightRemoteStatus.read(settings: remote.settings, statusFile: dir.path("status.json"), nowMs: Int64(Date().timeIntervalSince1970 * 1000))
        #expect(fromFile.watermarkBlock == 1_499)
        #expect(fromFile.samples.contains { $0.name == "mvm_remote_push_lag_rows" && $0.value == 0 })

        // A reorg of the unfinalized tip, blocks that were unattributed getting their author later,
        // and finality moving on: pushed twice, the remote matches the local database.
        try chain.writer.replaceBlocks(from: 1_490, with: (1_490...1_495).map { ChainFixture.block($0, fork: 5) })
        try chain.writer.insertBlocks((1_496...1_520).map { ChainFixture.block($0, attributed: false) })
        try chain.writer.attributeBlocks((1_496...1_505).map {
            BlockAttribution(number: $0, author: .attributed(sidechainKey: ChainFixture.sidechainKey(Int($0 % 5)), auraKey: ChainFixture.auraKey(Int($0 % 5))))
        })
        try chain.writer.markFinalized(upTo: 1_500)
        try chain.writer.updateSyncStatus(SyncStatusUpdate(lastSyncedBlock: 1_520, lastError: .some("node slow")))
        #expect(try await remote.pushNow() > 0)
        #expect(try await remote.pushNow() == 0)
        try await expectEqualTables(server, path: path, instance: instance)
        #expect(await remote.status().watermarkBlock == 1_520)

        // --full re-pushes everything and changes nothing.
        #expect(try await remote.pushNow(full: true) >= 1_521)
        try await expectEqualTables(server, path: path, instance: instance)
        await remote.close()
    }

    @Test("the sqlite_replica mode writes an MVM database that MidnightStore opens")
    func replicaMode() async throws {
        let dir = try TemporaryDirectory(prefix: "midnight-replica")
        defer { dir.remove() }
        let path = dir.path("mvm.db")
        let chain = try ChainFixture(path: path)
        try chain.insertBlocks(0...299)
        let settings = MidnightRemoteSettings(enabled: true, kind: .sqliteReplica, path: dir.path("replica/mvm-copy.db"), instanceName: "n")
        let remote = try #require(try MidnightRemote.make(settings: settings, databasePath: path, logger: logger))
        try await remote.pushNow()
        let reader = try MidnightDatabase.openReader(path: dir.path("replica/mvm-copy.db"))
        let source = try LocalSource(path: dir.path("replica/mvm-copy.db"))
        #expect(try source.allRows(of: MidnightRemoteSchema.blocks, chain: StoreSchema.defaultChain).count == 300)
        _ = reader
        let status = await remote.status()
        #expect(status.state == "copied")
        #expect(status.total == 1)
    }

    @Test("configuration: disabled gives no service; the password comes from the environment and never shows")
    func configuration() throws {
        var config = MVMConfig()
        config.database.remote.enabled = false
        #expect(try MidnightRemote.make(settings: MidnightRemoteSettings(config: config), databasePath: "/nonexistent/mvm.db", logger: logger) == nil)

        config.database.remote.enabled = true
        config.database.remote.url = "postgresql://hub:inline-secret@127.0.0.1:5/datahub"
        config.database.remote.passwordEnv = "MVM_TEST_REMOTE_PW"
        config.integration.instanceName = "node-7"
        let settings = MidnightRemoteSettings(config: config)
        #expect(settings.instanceName == "node-7")
        #expect(settings.maskedURL == "postgresql://hub:***@127.0.0.1:5/datahub")
        #expect(try settings.target(environment: ["MVM_TEST_REMOTE_PW": "env-secret"]).password == "env-secret")
        do {
            _ = try MidnightRemote.make(settings: settings, databasePath: "/tmp/x.db", environment: [:], logger: logger)
            Issue.record("a missing password variable was accepted")
        } catch {
            #expect(error == .passwordEnvironmentMissing(variable: "MVM_TEST_REMOTE_PW"))
        }
        #expect(MidnightRemoteStatus.disabled.lines == ["remote: disabled"])
    }

    @Test("the remote tables mirror every local schema v2 table and column")
    func tablesMatchLocalSchema() throws {
        let dir = try TemporaryDirectory(prefix: "midnight-schema")
        defer { dir.remove() }
        let path = dir.path("mvm.db")
        _ = try ChainFixture(path: path)
        // Reading every described column of every table succeeds only if the columns exist locally.
        let source = try LocalSource(path: path)
        for table in MidnightRemoteSchema.tables {
            #expect(throws: Never.self) { try source.allRows(of: table, chain: StoreSchema.defaultChain) }
        }
        #expect(throws: Never.self) { try MidnightRemoteSchema.schema.validate() }
    }
}
