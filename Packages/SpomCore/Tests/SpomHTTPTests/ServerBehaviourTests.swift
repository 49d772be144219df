import Foundation
import Hummingbird
import SpomHTTP
import SpomMetrics
import Testing

/// A value with camelCase properties, to check snake_case output.
struct SampleEntity: Codable, Sendable {
    let parentHash: String
    let blockNumber: Int
    let author: String?
}

struct Boom: Error {}

/// Routes shared by the server tests.
func installSampleRoutes(_ router: Router<SpomRequestContext>, _ routes: RouteTable) {
    routes.route(.get, "/health", on: router) { _, _ in try JSONOutput.response(["status": "ok"]) }
    routes.route(.get, "/api/v1/blocks", on: router) { request, _ in
        let query = QueryParameters(request)
        try query.rejectUnknown(allowing: ["limit", "cursor", "finalized"])
        let limit = try query.int("limit", default: 50, in: 1...1000)
        let finalized = try query.bool("finalized")
        var start = 0
        if let cursor = try query.string("cursor") {
            start = try PageCursor.decode(Int.self, from: cursor)
        }
        return try JSONOutput.response([
            "limit": "\(limit)", "finalized": "\(finalized.map(String.init) ?? "any")", "start": "\(start)",
            "next_cursor": PageCursor.encode(start + limit),
        ])
    }
    routes.route(.post, "/api/v1/blocks", on: router) { _, _ in "created" }
    routes.route(.get, "/api/v1/blocks/:id", on: router) { _, context in
        let id = context.parameters.get("id") ?? ""
        guard id == "1" else { throw APIError.notFound("block \(id) not found") }
        return try JSONOutput.response(SampleEntity(parentHash: "0xab", blockNumber: 1, author: nil))
    }
    routes.route(.get, "/api/v1/unavailable", on: router) { _, _ -> Response in
        throw APIError.unavailable("database not readable", retryAfterSeconds: 5)
    }
    routes.route(.get, "/api/v1/crash", on: router) { _, _ -> Response in throw Boom() }
    routes.route(.get, "/api/v1/encodable", on: router) { _, _ in
        SampleEntity(parentHash: "0xcd", blockNumber: 2, author: "0xkey")
    }
}

extension SampleEntity: ResponseEncodable {}

@Suite("SpomHTTP over loopback")
struct ServerBehaviourTests {
    @Test func unknownRouteIs404Envelope() async throws {
        try await withTestServer(routes: installSampleRoutes) { (client: TestClient) async throws in
            let response = try await client.request(.GET, "/nope")
            #expect(response.status == 404)
            #expect(response.header("content-type") == "application/json; charset=utf-8")
            let envelope = try response.envelope()
            #expect(envelope.error.code == "not_found")
            #expect(envelope.error.message.contains("/nope"))
            // The body is exactly the envelope.
            #expect(response.body.hasPrefix(#"{"error":{"code":"not_found","message":"#))
        }
    }

    @Test func wrongMethodIs405WithAllow() async throws {
        try await withTestServer(routes: installSampleRoutes) { (client: TestClient) async throws in
            let response = try await client.request(.DELETE, "/api/v1/blocks")
            #expect(response.status == 405)
            #expect(response.header("allow") == "GET, POST")
            #expect(try response.envelope().error.code == "method_not_allowed")
            let param = try await client.request(.PUT, "/api/v1/blocks/7")
            #expect(param.status == 405)
            #expect(param.header("allow") == "GET")
        }
    }

    @Test(arguments: [
        ("/api/v1/blocks?limit=abc", "limit", "1...1000"),
        ("/api/v1/blocks?limit=0", "limit", "1...1000"),
        ("/api/v1/blocks?limit=1001", "limit", "1...1000"),
        ("/api/v1/blocks?limit=1&limit=2", "limit", "2 times"),
        ("/api/v1/blocks?finalized=maybe", "finalized", "true or false"),
        ("/api/v1/blocks?limt=5", "limt", "unknown parameter"),
        ("/api/v1/blocks?cursor=bm90LWEtY3Vyc29y", "cursor", "invalid cursor"),
        ("/api/v1/blocks?cursor=%00%ff", "cursor", "invalid cursor"),
    ])
    func badParametersAre400NamingTheParameter(path: String, parameter: String, hint: String) async throws {
        try await withTestServer(routes: installSampleRoutes) { (client: TestClient) async throws in
            let response = try await client.request(.GET, path)
            #expect(response.status == 400)
            let envelope = try response.envelope()
            #expect(envelope.error.code == "bad_parameter")
            #expect(envelope.error.message.hasPrefix("parameter \(parameter):"))
            #expect(envelope.error.message.contains(hint))
        }
    }

    @Test func cursorRoundTripsAndTamperingIs400() async throws {
        try await withTestServer(routes: installSampleRoutes) { (client: TestClient) async throws in
            let first = try await client.request(.GET, "/api/v1/blocks?limit=10&finalized=true")
            #expect(first.status == 200)
            let page = try JSONDecoder().decode([String: String].self, from: Data(first.body.utf8))
            #expect(page["finalized"] == "true")
            let cursor = try #require(page["next_cursor"])
            let second = try await client.request(.GET, "/api/v1/blocks?cursor=\(cursor)")
            let next = try JSONDecoder().decode([String: String].self, from: Data(second.body.utf8))
            #expect(next["start"] == "10")
            // Flip one character: the checksum catches it.
            var tampered = Array(cursor)
            tampered[1] = tampered[1] == "A" ? "B" : "A"
            let bad = try await client.request(.GET, "/api/v1/blocks?cursor=\(String(tampered))")
            #expect(bad.status == 400)
        }
    }

    @Test func handlerErrorsUseTheEnvelope() async throws {
        try await withTestServer(routes: installSampleRoutes) { (client: TestClient) async throws in
            let missing = try await client.request(.GET, "/api/v1/blocks/9")
            #expect(missing.status == 404)
            #expect(try missing.envelope().error == .init(code: "not_found", message: "block 9 not found"))
            let down = try await client.request(.GET, "/api/v1/unavailable")
            #expect(down.status == 503)
            #expect(down.header("retry-after") == "5")
            #expect(try down.envelope().error.code == "unavailable")
            let crash = try await client.request(.GET, "/api/v1/crash")
            #expect(crash.status == 500)
            #expect(try crash.envelope().error == .init(code: "internal", message: "internal error"))
        }
    }

    @Test func jsonIsSnakeCaseAndSorted() async throws {
        try await withTestServer(routes: installSampleRoutes) { (client: TestClient) async throws in
            let direct = try await client.request(.GET, "/api/v1/blocks/1")
            #expect(direct.body == #"{"block_number":1,"parent_hash":"0xab"}"#)
            let encodable = try await client.request(.GET, "/api/v1/encodable")
            #expect(encodable.body == #"{"author":"0xkey","block_number":2,"parent_hash":"0xcd"}"#)
            #expect(encodable.header("content-type")?.hasPrefix("application/json") == true)
        }
    }

    @Test func metricsRouteServesPrometheusText() async throws {
        try await withTestServer(routes: { router, routes in
            router.addMetricsRoute(routes: routes) {
                var m = MetricsExposition()
                m.gauge("spom_test_up", help: "Up.", value: 1, labels: ["chain": "demo"])
                return m.render()
            }
        }) { (client: TestClient) async throws in
            let response = try await client.request(.GET, "/metrics")
            #expect(response.status == 200)
            #expect(response.header("content-type") == "text/plain; version=0.0.4; charset=utf-8")
            let doc = PrometheusDocument(parsing: response.body)
            #expect(doc.value("spom_test_up", ["chain": "demo"]) == 1)
            let post = try await client.request(.POST, "/metrics")
            #expect(post.status == 405)
        }
    }
}
