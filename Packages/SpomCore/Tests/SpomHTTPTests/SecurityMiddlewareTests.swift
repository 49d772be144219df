import Foundation
import Hummingbird
import SpomHTTP
import Testing

private let loopback = HTTPBindAddress(host: "127.0.0.1", port: 0)

@Suite("Auth, CORS, rate limit and logging over loopback")
struct SecurityMiddlewareTests {
    static func keyed() throws -> HTTPServerOptions {
        HTTPServerOptions(bind: loopback, apiKey: try APIKey("s3cret-key"), exemptPaths: ["/health"])
    }

    @Test func authOffLetsEverythingThrough() async throws {
        try await withTestServer(routes: installSampleRoutes) { (client: TestClient) async throws in
            #expect(try await client.request(.GET, "/api/v1/blocks").status == 200)
        }
    }

    @Test func authOnRequiresTheKeyInEitherHeader() async throws {
        try await withTestServer(try Self.keyed(), routes: installSampleRoutes) { (client: TestClient) async throws in
            let none = try await client.request(.GET, "/api/v1/blocks")
            #expect(none.status == 401)
            #expect(none.header("www-authenticate") == "Bearer")
            #expect(try none.envelope().error.code == "unauthorized")

            let wrong = try await client.request(.GET, "/api/v1/blocks", headers: [("Authorization", "Bearer s3cret-kez")])
            #expect(wrong.status == 401)
            let prefix = try await client.request(.GET, "/api/v1/blocks", headers: [("X-API-Key", "s3cret")])
            #expect(prefix.status == 401)
            let longer = try await client.request(.GET, "/api/v1/blocks", headers: [("X-API-Key", "s3cret-key-and-more")])
            #expect(longer.status == 401)
            let basic = try await client.request(.GET, "/api/v1/blocks", headers: [("Authorization", "Basic s3cret-key")])
            #expect(basic.status == 401)

            let bearer = try await client.request(.GET, "/api/v1/blocks", headers: [("Authorization", "Bearer s3cret-key")])
            #expect(bearer.status == 200)
            let lower = try await client.request(.GET, "/api/v1/blocks", headers: [("authorization", "bearer s3cret-key")])
            #expect(lower.status == 200)
            let header = try await client.request(.GET, "/api/v1/blocks", headers: [("X-API-Key", "s3cret-key")])
            #expect(header.status == 200)

            // Exempt path, and unknown routes still answer 401 before revealing anything.
            #expect(try await client.request(.GET, "/health").status == 200)
            #expect(try await client.request(.GET, "/nope").status == 401)
        }
    }

    @Test func corsAnswersOnlyConfiguredOrigins() async throws {
        var options = try Self.keyed()
        options.cors = CORSPolicy(allowedOrigins: ["https://dash.example.org"])
        try await withTestServer(options, routes: installSampleRoutes) { (client: TestClient) async throws in
            let allowed = try await client.request(
                .GET, "/api/v1/blocks", headers: [("Origin", "https://dash.example.org"), ("X-API-Key", "s3cret-key")])
            #expect(allowed.status == 200)
            #expect(allowed.header("access-control-allow-origin") == "https://dash.example.org")
            #expect(allowed.header("vary")?.contains("Origin") == true)

            let other = try await client.request(
                .GET, "/api/v1/blocks", headers: [("Origin", "https://evil.example.org"), ("X-API-Key", "s3cret-key")])
            #expect(other.status == 200)
            #expect(other.header("access-control-allow-origin") == nil)
            #expect(other.header("vary")?.contains("Origin") == true)

            // Errors from an allowed origin carry the header so the page can read them.
            let unauthorized = try await client.request(.GET, "/api/v1/blocks", headers: [("Origin", "https://dash.example.org")])
            #expect(unauthorized.status == 401)
            #expect(unauthorized.header("access-control-allow-origin") == "https://dash.example.org")

            // Preflight needs no key.
            let preflight = try await client.request(
                .OPTIONS, "/api/v1/blocks",
                headers: [
                    ("Origin", "https://dash.example.org"), ("Access-Control-Request-Method", "GET"),
                    ("Access-Control-Request-Headers", "X-API-Key"),
                ])
            #expect(preflight.status == 204)
            #expect(preflight.header("access-control-allow-origin") == "https://dash.example.org")
            #expect(preflight.header("access-control-allow-methods")?.contains("GET") == true)
            #expect(preflight.header("access-control-allow-headers")?.contains("X-API-Key") == true)

            let badPreflight = try await client.request(
                .OPTIONS, "/api/v1/blocks", headers: [("Origin", "https://evil.example.org"), ("Access-Control-Request-Method", "GET")])
            #expect(badPreflight.status == 403)
            #expect(badPreflight.header("access-control-allow-origin") == nil)
            // A near miss is not an exact match.
            let nearMiss = try await client.request(
                .GET, "/health", headers: [("Origin", "https://dash.example.org.evil.net")])
            #expect(nearMiss.header("access-control-allow-origin") == nil)
        }
    }

    @Test func corsWildcardOnlyWhenConfigured() async throws {
        var options = HTTPServerOptions(bind: loopback)
        options.cors = CORSPolicy(allowedOrigins: ["*"])
        try await withTestServer(options, routes: installSampleRoutes) { (client: TestClient) async throws in
            let response = try await client.request(.GET, "/health", headers: [("Origin", "https://anything.example")])
            #expect(response.header("access-control-allow-origin") == "*")
        }
    }

    @Test func rateLimitAnswers429WithRetryAfterPerClient() async throws {
        var options = HTTPServerOptions(bind: loopback)
        options.rateLimit = RateLimitPolicy(requestsPerSecond: 0.01, burst: 2)
        options.exemptPaths = ["/health"]
        // No trusted proxy: X-Forwarded-For is ignored, every request is the loopback peer.
        try await withTestServer(options, routes: installSampleRoutes) { (client: TestClient) async throws in
            let a = [("X-Forwarded-For", "203.0.113.5")]
            let b = [("X-Forwarded-For", "203.0.113.6")]
            #expect(try await client.request(.GET, "/api/v1/blocks", headers: a).status == 200)
            #expect(try await client.request(.GET, "/api/v1/blocks", headers: a).status == 200)
            let limited = try await client.request(.GET, "/api/v1/blocks", headers: b)
            #expect(limited.status == 429)
            #expect(Int(limited.header("retry-after") ?? "") ?? 0 >= 1)
            #expect(try limited.envelope().error.code == "rate_limited")
            #expect(try await client.request(.GET, "/health").status == 200)
        }
    }

    @Test func trustedProxyForwardedForIdentifiesClients() async throws {
        var options = HTTPServerOptions(bind: loopback)
        options.rateLimit = RateLimitPolicy(requestsPerSecond: 0.01, burst: 2)
        options.trustedProxies = [try CIDRRange("127.0.0.0/8")]
        try await withTestServer(options, routes: installSampleRoutes) { (client: TestClient) async throws in
            let a = [("X-Forwarded-For", "203.0.113.5")]
            // A client-supplied entry to the left of the proxy's does not change identity.
            let aSpoofing = [("X-Forwarded-For", "198.51.100.1, 203.0.113.5")]
            let b = [("X-Forwarded-For", "203.0.113.6")]
            #expect(try await client.request(.GET, "/api/v1/blocks", headers: a).status == 200)
            #expect(try await client.request(.GET, "/api/v1/blocks", headers: aSpoofing).status == 200)
            #expect(try await client.request(.GET, "/api/v1/blocks", headers: a).status == 429)
            #expect(try await client.request(.GET, "/api/v1/blocks", headers: b).status == 200)
        }
    }

    @Test func servesOnIPv6LoopbackAndTrustsAnIPv6Proxy() async throws {
        var options = HTTPServerOptions(bind: try HTTPBindAddress(parsing: "[::1]:0"))
        options.rateLimit = RateLimitPolicy(requestsPerSecond: 0.01, burst: 1)
        options.trustedProxies = [try CIDRRange("::1/128")]
        try await withTestServer(options, routes: installSampleRoutes) { (client: TestClient) async throws in
            let a = [("X-Forwarded-For", "2001:db8::5")]
            let b = [("X-Forwarded-For", "2001:db8::6")]
            #expect(try await client.request(.GET, "/api/v1/blocks", headers: a).status == 200)
            #expect(try await client.request(.GET, "/api/v1/blocks", headers: a).status == 429)
            #expect(try await client.request(.GET, "/api/v1/blocks", headers: b).status == 200)
        }
    }

    @Test func requestLogHasNoSecrets() async throws {
        let log = CapturedLog()
        try await withTestServer(try Self.keyed(), log: log, routes: installSampleRoutes) { (client: TestClient) async throws in
            _ = try await client.request(.GET, "/api/v1/blocks?limit=5&api_key=query-secret", headers: [("X-API-Key", "s3cret-key")])
            _ = try await client.request(.GET, "/api/v1/blocks", headers: [("Authorization", "Bearer wrong-secret")])
        }
        let text = log.text
        #expect(text.contains("GET /api/v1/blocks?limit=5&api_key=<redacted> 400"))
        #expect(text.contains("GET /api/v1/blocks 401"))
        #expect(text.contains("http.duration_ms="))
        #expect(!text.contains("s3cret-key"))
        #expect(!text.contains("query-secret"))
        #expect(!text.contains("wrong-secret"))
    }
}
