import Foundation
import MidnightAPI
import MidnightStore
import SpomHTTP
import SpomTesting
import Testing

/// The hot endpoints write their JSON by hand or splice pre-encoded parts; over real HTTP their
/// bodies must be byte-identical to `JSONOutput.encode` of the response types built from the same
/// database (the `Encodable` reference that the CLI's `--json` also uses).
@Suite("MidnightAPI encoded bodies")
struct EncodedBodiesTests {
    private func reference<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONOutput.encode(value), as: UTF8.self)
    }

    @Test func blocksAndSingleBlockAreTheEncodersBytes() async throws {
        try await withAPIServer { client, path in
            // Two unattributed blocks (null author, with and without an aura key) on top of the fixture.
            let writer = try MidnightDatabase.openWriter(path: path)
            _ = try writer.insertBlocks((31...32).map { (number: UInt64) in
                NewBlock(
                    number: number, hash: Fixture.hash(number), parentHash: Fixture.hash(number - 1), slot: 11 * 20 + number - 15,
                    sidechainEpoch: 11, mainchainEpoch: 500, timestampMs: (11 * 20 + number - 15) * 6000, extrinsicsCount: 1,
                    author: .unattributed(.committeeUnavailable, auraKey: number == 31 ? Fixture.auraC : nil))
            })
            try writer.close()
            let reader = try MidnightDatabase.openReader(path: path)
            defer { try? reader.close() }
            for (query, blockQuery) in [
                ("limit=1000", BlockQuery(limit: 1000)),
                ("limit=1", BlockQuery(limit: 1)),
                ("limit=3&before=20&after=10", BlockQuery(before: 20, after: 10, limit: 3)),
                ("limit=30&before=20&after=10", BlockQuery(before: 20, after: 10, limit: 30)),
                ("before=1", BlockQuery(before: 1, limit: 50)),
                ("limit=7", BlockQuery(limit: 7)),
                ("limit=5&before=12", BlockQuery(before: 12, limit: 5)),
                ("limit=4&after=25", BlockQuery(after: 25, limit: 4)),
                ("author=\(Fixture.keyB)&finalized=true", BlockQuery(limit: 50, author: Fixture.keyB, finalized: true)),
                ("epoch=99", BlockQuery(limit: 50, sidechainEpoch: 99)),
            ] {
                let page = try reader.blocks(blockQuery)
                let response = try await client.get("/api/v1/blocks?\(query)")
                #expect(response.status == 200)
                #expect(response.body == (try reference(BlocksResponse(blocks: page.blocks, nextBefore: page.nextBefore, prevAfter: page.prevAfter))),
                        "GET /blocks?\(query)")
            }
            let unattributed = try #require(try reader.block(number: 32))
            #expect(try await client.get("/api/v1/blocks/32").body == (try reference(unattributed)))
            let block = try #require(try reader.block(number: 5))
            #expect(try await client.get("/api/v1/blocks/5").body == (try reference(block)))
            #expect(try await client.get("/api/v1/blocks/\(block.hash)").body == (try reference(block)))
        }
    }

    @Test(arguments: [Fixture.progressMs + 5_000, Fixture.progressMs + 600_000])
    func statusIsTheEncodersBytesHealthyOrNot(nowMs: UInt64) async throws {
        try await withAPIServer(nowMs: nowMs) { client, path in
            let reader = try MidnightDatabase.openReader(path: path)
            defer { try? reader.close() }
            let sync = try reader.syncStatus()
            let stats = try reader.stats()
            let current = try stats.latestSidechainEpoch.flatMap { try reader.epochSummary($0) }
            let healthy = nowMs - Fixture.progressMs < 120_000
            let health = try await client.get("/api/v1/health")
            #expect(health.status == (healthy ? 200 : 503))
            let verdict: HealthVerdict
            if healthy {
                verdict = HealthVerdict(healthy: true, reason: nil)
            } else {
                verdict = HealthVerdict(healthy: false, reason: try health.envelope().message)
            }
            for epochs in [nil, 5, 1, 100] as [Int?] {
                let expected = StatusResponse(
                    chain: "midnight", health: verdict, sync: sync, stats: stats, currentEpoch: current,
                    recentEpochs: try reader.epochs(limit: epochs ?? 5))
                let response = try await client.get("/api/v1/status" + (epochs.map { "?epochs=\($0)" } ?? ""))
                #expect(response.status == 200)
                #expect(response.body == (try reference(expected)), "GET /status epochs=\(epochs.map(String.init) ?? "default")")
            }
        }
    }

    @Test func statusWithoutBlocksHasANullCurrentEpochAndEscapedText() throws {
        let chain = "a\"b/\u{1}"
        let sync = try JSONDecoder().decode(SyncStatusEntity.self, from: Data("""
            {"chain":"x","is_syncing":false,"blocks_per_second":0.1,"rpc_requests_total":0,"rpc_failures_total":0,"updated_ms":0,
             "last_error":"boom \\"quoted\\"\\n"}
            """.utf8))
        let stats = try JSONDecoder().decode(StoreStats.self, from: Data("""
            {"chain":"x","total_blocks":0,"finalized_blocks":0,"unfinalized_blocks":0,"attributed_blocks":0,"unattributed_blocks":0,
             "unattributed_by_reason":{"b":2,"a":1},"gaps":0,"missing_blocks":0,"validators":0,"our_validators":0,"committees":0}
            """.utf8))
        let json = try StatusJSON(chain: chain, sync: sync, stats: stats, currentEpoch: nil, recentEpochs: [])
        for verdict in [HealthVerdict(healthy: false, reason: "no \"progress\"\n"), HealthVerdict(healthy: true, reason: nil)] {
            let expected = StatusResponse(chain: chain, health: verdict, sync: sync, stats: stats, currentEpoch: nil, recentEpochs: [])
            #expect(String(decoding: try json.body(health: verdict), as: UTF8.self) == (try reference(expected)))
        }
    }
}

/// Block pages are cached until the database changes: a commit by another connection (the sync
/// daemon) must show at once, whether it adds a block, finalizes or attributes one.
@Suite("MidnightAPI response cache")
struct ResponseCacheTests {
    @Test func aCommitByTheWriterShowsOnTheNextRequest() async throws {
        try await withAPIServer { client, path in
            let before = try await client.get("/api/v1/blocks?limit=2")
            #expect(try await client.get("/api/v1/blocks?limit=2").body == before.body, "same database, same answer")
            let first = try #require((try before.json()["blocks"] as? [[String: Any]])?.first)
            #expect(first["number"] as? Int == 30)
            #expect(first["finalized"] as? Bool == false)
            #expect(try await client.get("/api/v1/blocks/31").status == 404)

            let writer = try MidnightDatabase.openWriter(path: path)
            _ = try writer.insertBlocks([NewBlock(
                number: 31, hash: Fixture.hash(31), parentHash: Fixture.hash(30), slot: 11 * 20 + 16, sidechainEpoch: 11,
                mainchainEpoch: 500, timestampMs: (11 * 20 + 16) * 6000, extrinsicsCount: 2,
                author: .attributed(sidechainKey: Fixture.keyB, auraKey: Fixture.auraB))])
            let added = try await client.get("/api/v1/blocks?limit=2")
            #expect((try added.json()["blocks"] as? [[String: Any]])?.first?["number"] as? Int == 31, "new block listed")
            #expect(try await client.get("/api/v1/blocks/31").status == 200, "a cached 404 is never served")

            _ = try writer.markFinalized(upTo: 31)
            let finalized = try await client.get("/api/v1/blocks?limit=2")
            let blocks = try #require(try finalized.json()["blocks"] as? [[String: Any]])
            #expect(blocks.allSatisfy { $0["finalized"] as? Bool == true }, "finalization shows: \(finalized.body)")
            let single = try await client.get("/api/v1/blocks/31")
            #expect((try single.json())["finalized"] as? Bool == true)
            try writer.close()
        }
    }
}

/// `/status` and `/metrics` share a snapshot refreshed in the background once it is older than a
/// second: a change must still show within a bounded time, and answers meanwhile stay 200.
@Suite("MidnightAPI shared snapshot refresh")
struct SnapshotRefreshTests {
    @Test func statusAndMetricsCatchUpWithANewBlock() async throws {
        try await withAPIServer { client, path in
            let first = try await client.get("/api/v1/status")
            #expect((try first.json()["stats"] as? [String: Any])?["total_blocks"] as? Int == 30)
            #expect(try await client.get("/metrics").body.contains("mvm_db_blocks{chain=\"midnight\"} 30"))
            let writer = try MidnightDatabase.openWriter(path: path)
            defer { try? writer.close() }
            _ = try writer.insertBlocks([NewBlock(
                number: 31, hash: Fixture.hash(31), parentHash: Fixture.hash(30), slot: 11 * 20 + 16, sidechainEpoch: 11,
                mainchainEpoch: 500, timestampMs: (11 * 20 + 16) * 6000, extrinsicsCount: 2,
                author: .attributed(sidechainKey: Fixture.keyB, auraKey: Fixture.auraB))])
            var statuses: [Int] = []
            let caughtUp = try await eventually(timeout: .seconds(10), interval: .milliseconds(50)) {
                let status = try await client.get("/api/v1/status")
                let metrics = try await client.get("/metrics")
                statuses += [status.status, metrics.status]
                return (try status.json()["stats"] as? [String: Any])?["total_blocks"] as? Int == 31
                    && metrics.body.contains("mvm_db_blocks{chain=\"midnight\"} 31")
            }
            #expect(caughtUp, "status and metrics still show 30 blocks after 10 s")
            #expect(statuses.allSatisfy { $0 == 200 }, "answers while refreshing: \(statuses)")
        }
    }
}

/// The change probe behind the response cache, on a real file.
@Suite("StoreChangeProbe")
struct StoreChangeProbeTests {
    @Test func versionMovesOnlyWhenAnotherConnectionCommits() throws {
        let directory = try TemporaryDirectory(prefix: "mvm-probe")
        defer { directory.remove() }
        let path = directory.path("mvm.db")
        #expect(throws: StoreError.self) { try MidnightDatabase.openChangeProbe(path: path) }
        try Fixture.write(to: path)
        let probe = try MidnightDatabase.openChangeProbe(path: path)
        let first = try probe.version()
        #expect(try probe.version() == first, "no commit, same version")
        let reader = try MidnightDatabase.openReader(path: path)
        _ = try reader.blocks(BlockQuery(limit: 5))
        try reader.close()
        #expect(try probe.version() == first, "reads do not move it")
        let writer = try MidnightDatabase.openWriter(path: path)
        _ = try writer.markFinalized(upTo: 25)
        let second = try probe.version()
        #expect(second != first, "a commit moves it")
        try writer.close()
        try probe.close()
        #expect(throws: StoreError.self) { try probe.version() }
    }
}
