import Foundation
import MidnightAPI
import SpomHTTP
import SpomMetrics
import Testing

@Suite("MidnightAPI over loopback HTTP")
struct MidnightAPITests {
    static let blockKeys: Set<String> = [
        "chain", "number", "hash", "parent_hash", "slot", "sidechain_epoch", "mainchain_epoch", "timestamp_ms",
        "extrinsics_count", "author", "author_aura_key", "finalized",
    ]

    func numbers(_ response: TestResponse) throws -> [Int] {
        let blocks = try #require(try response.json()["blocks"] as? [[String: Any]])
        return blocks.compactMap { $0["number"] as? Int }
    }

    @Test func blocksNewestFirstWithExactShapeAndPagination() async throws {
        try await withAPIServer { client, _ in
            let all = try await client.get("/api/v1/blocks")
            #expect(all.status == 200)
            #expect(all.header("content-type")?.hasPrefix("application/json") == true)
            #expect(try numbers(all) == Array((1...30).reversed()))
            let json = try all.json()
            #expect(json.keys.contains("next_before"))
            #expect(json["next_before"] is NSNull)
            let first = try #require((json["blocks"] as? [[String: Any]])?.first)
            #expect(Set(first.keys) == Self.blockKeys)
            #expect(first["hash"] as? String == Fixture.hash(30))
            #expect(first["parent_hash"] as? String == Fixture.hash(29))
            #expect(first["author"] as? String == Fixture.keyA)  // 30 % 3 == 0 -> A
            #expect(first["chain"] as? String == "midnight")

            let page1 = try await client.get("/api/v1/blocks?limit=10")
            #expect(try numbers(page1) == Array((21...30).reversed()))
            #expect(try page1.json()["next_before"] as? Int == 21)
            let page2 = try await client.get("/api/v1/blocks?limit=10&before=21")
            #expect(try numbers(page2) == Array((11...20).reversed()))
            let newer = try await client.get("/api/v1/blocks?after=25")
            #expect(try numbers(newer) == Array((26...30).reversed()))

            #expect(try numbers(await client.get("/api/v1/blocks?epoch=10")) == Array((1...15).reversed()))
            #expect(try numbers(await client.get("/api/v1/blocks?finalized=true")) == Array((1...20).reversed()))
            #expect(try numbers(await client.get("/api/v1/blocks?finalized=false")) == Array((21...30).reversed()))
            let byB = try numbers(await client.get("/api/v1/blocks?author=\(Fixture.keyB)"))
            #expect(byB == (1...30).reversed().filter { $0 % 3 == 1 })
        }
    }

    @Test func singleBlockByNumberOrHash() async throws {
        try await withAPIServer { client, _ in
            let byNumber = try await client.get("/api/v1/blocks/5")
            #expect(byNumber.status == 200)
            #expect(Set(try byNumber.json().keys) == Self.blockKeys)
            #expect(try byNumber.json()["number"] as? Int == 5)
            let byHash = try await client.get("/api/v1/blocks/\(Fixture.hash(7))")
            #expect(try byHash.json()["number"] as? Int == 7)
            #expect(try byHash.json()["finalized"] as? Bool == true)

            let missing = try await client.get("/api/v1/blocks/999")
            #expect(missing.status == 404)
            #expect(try missing.envelope().code == "not_found")
            let garbage = try await client.get("/api/v1/blocks/not-a-block")
            #expect(garbage.status == 400)
            #expect(try garbage.envelope().message.contains("number_or_hash"))
        }
    }

    @Test(arguments: [
        ("/api/v1/blocks?limit=0", "limit"), ("/api/v1/blocks?limit=abc", "limit"), ("/api/v1/blocks?limit=1001", "limit"),
        ("/api/v1/blocks?before=-1", "before"), ("/api/v1/blocks?after=x", "after"), ("/api/v1/blocks?finalized=maybe", "finalized"),
        ("/api/v1/blocks?author=zz", "author"), ("/api/v1/blocks?epoch=1e3", "epoch"), ("/api/v1/blocks?limt=5", "limt"),
        ("/api/v1/blocks?limit=5&limit=6", "limit"), ("/api/v1/validators?sort=bogus", "sort"),
        ("/api/v1/validators?offset=-2", "offset"), ("/api/v1/validators/nothex", "key"), ("/api/v1/epochs/x", "id"),
        ("/api/v1/epochs?limit=0", "limit"), ("/api/v1/status?epochs=500", "epochs"),
    ])
    func badParametersAre400NamingTheParameter(path: String, parameter: String) async throws {
        try await withAPIServer { client, _ in
            let response = try await client.get(path)
            #expect(response.status == 400, "\(path): \(response.body)")
            let envelope = try response.envelope()
            #expect(envelope.code == "bad_parameter")
            #expect(envelope.message.contains("parameter \(parameter)"), "\(path): \(envelope.message)")
        }
    }

    @Test func validatorsListOursAndDetail() async throws {
        try await withAPIServer { client, _ in
            let list = try await client.get("/api/v1/validators?sort=key")
            #expect(list.status == 200)
            let json = try list.json()
            #expect(json["total"] as? Int == 3)
            let validators = try #require(json["validators"] as? [[String: Any]])
            #expect(validators.compactMap { $0["sidechain_key"] as? String } == [Fixture.keyA, Fixture.keyB, Fixture.keyC])
            #expect(validators.allSatisfy { $0["blocks_total"] as? Int == 10 })

            let paged = try await client.get("/api/v1/validators?sort=key&limit=1&offset=1")
            #expect((try paged.json()["validators"] as? [[String: Any]])?.first?["sidechain_key"] as? String == Fixture.keyB)

            let oursFilter = try await client.get("/api/v1/validators?ours=true")
            #expect((try oursFilter.json()["validators"] as? [[String: Any]])?.count == 1)
            let ours = try await client.get("/api/v1/validators/ours")
            #expect(ours.status == 200)
            let ourList = try #require(try ours.json()["validators"] as? [[String: Any]])
            #expect(ourList.map { $0["sidechain_key"] as? String } == [Fixture.keyA])
            #expect(ourList.first?["is_ours"] as? Bool == true)

            let detail = try await client.get("/api/v1/validators/\(Fixture.keyB.uppercased().replacingOccurrences(of: "0X", with: "0x"))")
            #expect(detail.status == 200, "\(detail.body)")
            let detailJSON = try detail.json()
            #expect((detailJSON["validator"] as? [String: Any])?["sidechain_key"] as? String == Fixture.keyB)
            let history = try #require(detailJSON["epochs"] as? [[String: Any]])
            #expect(history.compactMap { $0["sidechain_epoch"] as? Int } == [11, 10])
            #expect(history.allSatisfy { $0["seats"] as? Int == 1 && $0["committee_size"] as? Int == 3 })

            let unknown = try await client.get("/api/v1/validators/0xdead")
            #expect(unknown.status == 404)
            #expect(try unknown.envelope().code == "not_found")
        }
    }

    @Test func epochsListAndSummary() async throws {
        try await withAPIServer { client, _ in
            let list = try await client.get("/api/v1/epochs")
            #expect(list.status == 200)
            let epochs = try #require(try list.json()["epochs"] as? [[String: Any]])
            #expect(epochs.compactMap { $0["sidechain_epoch"] as? Int } == [11, 10])
            #expect(epochs.last?["blocks_produced"] as? Int == 15)

            let summary = try await client.get("/api/v1/epochs/10")
            #expect(summary.status == 200)
            let json = try summary.json()
            #expect(json["committee_size"] as? Int == 3)
            #expect(json["blocks_produced"] as? Int == 15)
            #expect(json["our_seats"] as? Int == 1)
            #expect((json["validators"] as? [[String: Any]])?.count == 3)

            let missing = try await client.get("/api/v1/epochs/99")
            #expect(missing.status == 404)
            #expect(try missing.envelope().code == "not_found")
        }
    }

    @Test func healthAndStatusWhenFresh() async throws {
        try await withAPIServer { client, _ in
            let health = try await client.get("/api/v1/health")
            #expect(health.status == 200)
            #expect(try health.json()["status"] as? String == "ok")
            #expect(try health.json()["progress_age_ms"] as? Int == 5_000)

            let status = try await client.get("/api/v1/status")
            #expect(status.status == 200)
            let json = try status.json()
            #expect(Set(json.keys) == ["chain", "health", "sync", "stats", "current_epoch", "recent_epochs"])
            #expect((json["health"] as? [String: Any])?["healthy"] as? Bool == true)
            let sync = try #require(json["sync"] as? [String: Any])
            #expect(sync["chain_tip_block"] as? Int == 32)
            #expect(sync["blocks_behind"] as? Int == 2)
            #expect((json["stats"] as? [String: Any])?["total_blocks"] as? Int == 30)
            #expect((json["current_epoch"] as? [String: Any])?["sidechain_epoch"] as? Int == 11)
            #expect((json["recent_epochs"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test func healthIs503WhenTheDaemonStalled() async throws {
        try await withAPIServer(nowMs: Fixture.progressMs + 600_000) { client, _ in
            let health = try await client.get("/api/v1/health")
            #expect(health.status == 503)
            let envelope = try health.envelope()
            #expect(envelope.code == "unavailable")
            #expect(envelope.message.contains("no progress for 600 s"))
            let status = try await client.get("/api/v1/status")
            #expect(status.status == 200)
            #expect((try status.json()["health"] as? [String: Any])?["healthy"] as? Bool == false)
            let metrics = try await client.get("/metrics")
            #expect(metrics.body.contains("mvm_node_up{chain=\"midnight\"} 0\n"))
        }
    }

    @Test func missingDatabaseIs503NotACrash() async throws {
        try await withAPIServer(writeDatabase: false) { client, path in
            for endpoint in ["/api/v1/health", "/api/v1/status", "/api/v1/blocks", "/api/v1/blocks/1", "/api/v1/validators", "/api/v1/epochs"] {
                let response = try await client.get(endpoint)
                #expect(response.status == 503, "\(endpoint)")
                #expect(try response.envelope().message.contains("not found"), "\(endpoint)")
            }
            let metrics = try await client.get("/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.body.contains("mvm_db_up{chain=\"midnight\"} 0\n"))
            #expect(try await client.get("/api/v1/live").status == 200)
            #expect(!FileManager.default.fileExists(atPath: path), "the API must not create the database")

            // The database appears later (the sync daemon started): the API picks it up.
            try Fixture.write(to: path)
            #expect(try await client.get("/api/v1/health").status == 200)
        }
    }

    @Test func apiKeyRequiredExceptHealth() async throws {
        try await withAPIServer(configure: { $0.apiKey = try APIKey("s3cret-key") }) { client, _ in
            let missing = try await client.get("/api/v1/blocks")
            #expect(missing.status == 401)
            #expect(try missing.envelope().code == "unauthorized")
            #expect(try await client.get("/api/v1/blocks", headers: [("Authorization", "Bearer wrong")]).status == 401)
            #expect(try await client.get("/api/v1/blocks", headers: [("Authorization", "Bearer s3cret-key")]).status == 200)
            #expect(try await client.get("/api/v1/status", headers: [("X-API-Key", "s3cret-key")]).status == 200)
            #expect(try await client.get("/metrics").status == 401)
            #expect(try await client.get("/metrics", headers: [("X-API-Key", "s3cret-key")]).status == 200)
            #expect(try await client.get("/api/v1/health").status == 200)
            #expect(try await client.get("/api/v1/live").status == 200)
        }
    }

    @Test func noKeyConfiguredMeansOpenAndWrongMethodIs405() async throws {
        try await withAPIServer { client, _ in
            #expect(try await client.get("/api/v1/validators").status == 200)
            let post = try await client.get("/api/v1/blocks", method: .POST)
            #expect(post.status == 405)
            #expect(post.header("allow") == "GET")
            let nowhere = try await client.get("/api/v1/nothing")
            #expect(nowhere.status == 404)
            #expect(try nowhere.envelope().code == "not_found")
        }
    }

    @Test func corsAnswersOnlyConfiguredOrigins() async throws {
        let allowed = "https://grafana.example.org"
        try await withAPIServer(configure: { $0.corsOrigins = [allowed] }) { client, _ in
            let ok = try await client.get("/api/v1/blocks?limit=1", headers: [("Origin", allowed)])
            #expect(ok.header("access-control-allow-origin") == allowed)
            let other = try await client.get("/api/v1/blocks?limit=1", headers: [("Origin", "https://evil.example")])
            #expect(other.status == 200)
            #expect(other.header("access-control-allow-origin") == nil)
            let preflight = try await client.get(
                "/api/v1/blocks", method: .OPTIONS, headers: [("Origin", allowed), ("Access-Control-Request-Method", "GET")])
            #expect(preflight.status == 204)
            #expect(preflight.header("access-control-allow-origin") == allowed)
            let refused = try await client.get(
                "/api/v1/blocks", method: .OPTIONS, headers: [("Origin", "https://evil.example"), ("Access-Control-Request-Method", "GET")])
            #expect(refused.status == 403)
        }
    }

    @Test func metricsCarryTheSeriesWithTheChainLabel() async throws {
        try await withAPIServer { client, _ in
            let response = try await client.get("/metrics")
            #expect(response.status == 200)
            #expect(response.header("content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = response.body
            let a = Fixture.keyA
            for line in [
                "mvm_build_info{chain=\"midnight\",version=\"1.2.3-test\"} 1",
                "mvm_node_up{chain=\"midnight\"} 1", "mvm_db_up{chain=\"midnight\"} 1",
                "mvm_node_block_height{chain=\"midnight\"} 32", "mvm_node_finalized_height{chain=\"midnight\"} 20",
                "mvm_sync_last_block{chain=\"midnight\"} 30", "mvm_sync_blocks_behind{chain=\"midnight\"} 2",
                "mvm_sync_rate_bps{chain=\"midnight\"} 2.5", "mvm_sidechain_epoch{chain=\"midnight\"} 11",
                "mvm_mainchain_epoch{chain=\"midnight\"} 500",
                "mvm_rpc_requests_total{chain=\"midnight\"} 123", "mvm_rpc_request_failures_total{chain=\"midnight\"} 4",
                "mvm_validator_blocks_total{chain=\"midnight\",validator=\"\(a)\"} 10",
                "mvm_validator_blocks_epoch{chain=\"midnight\",validator=\"\(a)\"} 5",
                "mvm_validator_committee_seats{chain=\"midnight\",validator=\"\(a)\"} 1",
                "# TYPE mvm_validator_blocks_total counter", "# TYPE mvm_validator_expected_blocks_epoch gauge",
            ] {
                #expect(text.contains(line + "\n"), "missing: \(line)")
            }
            #expect(text.contains("mvm_validator_expected_blocks_epoch{chain=\"midnight\",validator=\"\(a)\"} "))
            #expect(!text.contains(Fixture.keyB), "only our validators by default")
            #expect(text.hasSuffix("\n"))
            let parsed = PrometheusTextParser.parse(text)
            #expect(parsed.issues.isEmpty, "\(parsed.issues)")
            #expect(parsed.samples.count >= 20)
            #expect(parsed.samples.allSatisfy { $0.name.hasPrefix("mvm_") && $0.labels["chain"] == "midnight" && $0.timestampMs == nil })
            #expect(parsed.types["mvm_rpc_requests_total"] == .counter)
        }
        try await withAPIServer(configure: { $0.metricsAllValidators = true }) { client, _ in
            let text = try await client.get("/metrics").body
            #expect(text.contains("mvm_validator_blocks_total{chain=\"midnight\",validator=\"\(Fixture.keyB)\"} 10\n"))
            #expect(text.contains("mvm_validator_blocks_total{chain=\"midnight\",validator=\"\(Fixture.keyC)\"} 10\n"))
        }
        try await withAPIServer(configure: { $0.metricsEnabled = false }) { client, _ in
            let disabled = try await client.get("/metrics")
            #expect(disabled.status == 404)
        }
    }

    @Test func serverNeverWritesTheDatabase() async throws {
        try await withAPIServer { client, path in
            let before = try FileManager.default.attributesOfItem(atPath: path)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            for endpoint in [
                "/api/v1/health", "/api/v1/status", "/api/v1/blocks", "/api/v1/blocks/3", "/api/v1/validators",
                "/api/v1/validators/ours", "/api/v1/validators/\(Fixture.keyA)", "/api/v1/epochs", "/api/v1/epochs/11", "/metrics",
            ] {
                #expect(try await client.get(endpoint).status == 200, "\(endpoint)")
            }
            let after = try FileManager.default.attributesOfItem(atPath: path)
            #expect(after[.modificationDate] as? Date == before[.modificationDate] as? Date)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        }
    }

    @Test func openAPIDocumentIsServedAndMatchesDocs() async throws {
        let docs = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/openapi.json")
        let file = try String(contentsOf: docs, encoding: .utf8)
        try await withAPIServer { client, _ in
            let response = try await client.get("/api/v1/openapi.json")
            #expect(response.status == 200)
            #expect(response.body == file, "docs/openapi.json and MVMOpenAPI.json differ; regenerate MVMOpenAPI.swift")
            let json = try response.json()
            #expect(json["openapi"] as? String == "3.1.0")
            let paths = try #require(json["paths"] as? [String: Any])
            for path in [
                "/api/v1/live", "/api/v1/health", "/api/v1/status", "/api/v1/blocks", "/api/v1/blocks/{number_or_hash}",
                "/api/v1/validators", "/api/v1/validators/ours", "/api/v1/validators/{key}", "/api/v1/epochs", "/api/v1/epochs/{id}",
                "/metrics",
            ] {
                #expect(paths[path] != nil, "\(path) not documented")
            }
        }
    }

    @Test func rateLimitAnswers429ButNeverLimitsHealth() async throws {
        try await withAPIServer(configure: { $0.rateLimit = RateLimitPolicy(requestsPerSecond: 0.01, burst: 2) }) { client, _ in
            #expect(try await client.get("/api/v1/epochs").status == 200)
            #expect(try await client.get("/api/v1/epochs").status == 200)
            let limited = try await client.get("/api/v1/epochs")
            #expect(limited.status == 429)
            #expect(try limited.envelope().code == "rate_limited")
            #expect(limited.header("retry-after") != nil)
            for _ in 0..<3 { #expect(try await client.get("/api/v1/health").status == 200) }
        }
    }

    @Test func foreignFileIs503WithAReason() async throws {
        try await withAPIServer(writeDatabase: false) { client, path in
            try Data("this is not an sqlite database, just text".utf8).write(to: URL(fileURLWithPath: path))
            let response = try await client.get("/api/v1/blocks")
            #expect(response.status == 503)
            let envelope = try response.envelope()
            #expect(envelope.code == "unavailable")
            #expect(envelope.message.contains(path), "\(envelope.message)")
        }
    }
}
