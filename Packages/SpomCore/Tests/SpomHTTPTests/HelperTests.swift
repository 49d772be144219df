import Foundation
import SpomHTTP
import SpomTesting
import Testing

@Suite("SpomHTTP helpers")
struct HelperTests {
    @Test(arguments: [
        ("127.0.0.1:8080", "127.0.0.1", 8080), ("[::1]:9100", "::1", 9100), ("0.0.0.0:0", "0.0.0.0", 0),
        (":8080", "0.0.0.0", 8080), ("localhost:80", "localhost", 80), (" [2001:db8::1]:443 ", "2001:db8::1", 443),
    ])
    func parsesBindAddresses(text: String, host: String, port: Int) throws {
        let address = try HTTPBindAddress(parsing: text)
        #expect(address.host == host)
        #expect(address.port == port)
    }

    @Test(arguments: ["8080", "127.0.0.1", "127.0.0.1:99999", "::1:8080", "[::1]8080", "[::1", "[nothost]:80", "host:abc", "a b:80"])
    func rejectsBadBindAddresses(text: String) {
        #expect(throws: HTTPBindAddressError.self) { try HTTPBindAddress(parsing: text) }
    }

    @Test func bindAddressDescriptionBracketsIPv6() {
        #expect(HTTPBindAddress(host: "::1", port: 80).description == "[::1]:80")
        #expect(HTTPBindAddress(host: "127.0.0.1", port: 80).description == "127.0.0.1:80")
    }

    @Test func cidrRangesForBothFamilies() throws {
        let v4 = try CIDRRange("10.0.0.0/8")
        #expect(v4.contains(try #require(IPAddress("10.200.3.4"))))
        #expect(!v4.contains(try #require(IPAddress("11.0.0.1"))))
        #expect(v4.contains(try #require(IPAddress("::ffff:10.1.2.3"))))
        let v6 = try CIDRRange("fd00::/8")
        #expect(v6.contains(try #require(IPAddress("fd12:3456::1"))))
        #expect(!v6.contains(try #require(IPAddress("fe80::1"))))
        #expect(!v6.contains(try #require(IPAddress("10.0.0.1"))))
        let host = try CIDRRange("::1")
        #expect(host.contains(try #require(IPAddress("[::1]"))))
        #expect(!host.contains(try #require(IPAddress("::2"))))
        #expect(try CIDRRange("0.0.0.0/0").contains(try #require(IPAddress("8.8.8.8"))))
        #expect(try CIDRRange("192.168.1.0/23").contains(try #require(IPAddress("192.168.0.255"))))
        #expect(!(try CIDRRange("192.168.1.0/24").contains(try #require(IPAddress("192.168.0.255")))))
        for bad in ["10.0.0.0/33", "fd00::/129", "not-an-ip", "10.0.0.0/x", "300.1.1.1"] {
            #expect(throws: CIDRRangeError.self) { try CIDRRange(bad) }
        }
        #expect(IPAddress("2001:db8:0:0::1")?.description == "2001:db8::1")
    }

    @Test func clientIdentityTrustsOnlyConfiguredProxies() throws {
        let resolver = try ClientIdentityResolver(trustedProxies: ["10.0.0.0/8", "::1"])
        #expect(resolver.resolve(peer: "192.0.2.9", forwardedFor: ["203.0.113.5"]) == "192.0.2.9")
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: ["203.0.113.5"]) == "203.0.113.5")
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: ["198.51.100.7, 203.0.113.5, 10.0.0.9"]) == "203.0.113.5")
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: ["198.51.100.7", "203.0.113.5"]) == "203.0.113.5")
        #expect(resolver.resolve(peer: "::1", forwardedFor: ["2001:db8::7"]) == "2001:db8::7")
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: ["garbage"]) == "10.0.0.2")
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: []) == "10.0.0.2")
    }

    @Test func queryParametersDecodeAndValidate() throws {
        let query = QueryParameters(query: "author=0x%41b&q=a+b&limit=10&flag")
        #expect(try query.string("author") == "0xAb")
        #expect(try query.string("q") == "a b")
        #expect(try query.int("limit", in: 1...1000) == 10)
        #expect(try query.int("missing", default: 7, in: 1...10) == 7)
        #expect(query.contains("flag"))
        #expect(throws: APIError.self) { try query.uint64("limit", in: 0...5) }
    }

    @Test func queryParameterErrorsNameTheParameter() {
        let query = QueryParameters(query: "limit=5000&epoch=-1&sort=sideways")
        #expect(throws: APIError.badParameter("limit", "must be an integer in 1...1000, got \"5000\"")) {
            try query.int("limit", in: 1...1000)
        }
        #expect(throws: APIError.self) { try query.uint64("epoch") }
        #expect(throws: APIError.badParameter("sort", "must be one of blocks, key, got \"sideways\"")) {
            try query.oneOf("sort", ["blocks", "key"])
        }
    }

    @Test func cursorsRoundTripAndRejectTampering() throws {
        struct Position: Codable, Equatable { let number: UInt64; let hash: String }
        let position = Position(number: 42, hash: "0xabc")
        let cursor = PageCursor.encode(position)
        #expect(!cursor.contains("="))
        #expect(try PageCursor.decode(Position.self, from: cursor) == position)
        #expect(throws: APIError.self) { try PageCursor.decode(Position.self, from: String(cursor.dropLast())) }
        #expect(throws: APIError.self) { try PageCursor.decode(Position.self, from: "") }
        #expect(throws: APIError.self) { try PageCursor.decode(Position.self, from: "!!!") }
        #expect(throws: APIError.self) { try PageCursor.decode(Int.self, from: cursor) }
    }

    @Test func apiKeyResolutionAndRedaction() throws {
        let dir = try TemporaryDirectory(prefix: "apikey")
        defer { dir.remove() }
        let file = dir.path("key")
        try "  from-file\n".write(toFile: file, atomically: true, encoding: .utf8)
        let env = ["APP_API_KEY": "from-env"]
        #expect(try APIKey.resolve(inline: "inline", file: file, environmentVariable: "APP_API_KEY", environment: env)?.matches("inline") == true)
        #expect(try APIKey.resolve(inline: nil, file: file, environmentVariable: "APP_API_KEY", environment: env)?.matches("from-file") == true)
        #expect(try APIKey.resolve(inline: "", file: nil, environmentVariable: "APP_API_KEY", environment: env)?.matches("from-env") == true)
        #expect(try APIKey.resolve(inline: nil, file: nil, environmentVariable: "APP_API_KEY", environment: [:]) == nil)
        #expect(throws: APIKeyError.self) { try APIKey.resolve(inline: nil, file: dir.path("absent")) }
        try "\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: APIKeyError.empty(source: "file \(file)")) { try APIKey.resolve(inline: nil, file: file) }
        let key = try APIKey("topsecret")
        #expect("\(key)" == "APIKey(<redacted>)")
        #expect(String(reflecting: key) == "APIKey(<redacted>)")
        #expect(key.matches("topsecret"))
        #expect(!key.matches("topsecreT"))
        #expect(!key.matches(""))
        #expect(!key.matches("topsecret\0"))
    }

    @Test func rateLimiterRefills() {
        let limiter = RateLimiter(policy: RateLimitPolicy(requestsPerSecond: 10, burst: 2))
        let start = ContinuousClock.now
        #expect(limiter.acquire("a", now: start) == nil)
        #expect(limiter.acquire("a", now: start) == nil)
        let wait = limiter.acquire("a", now: start)
        #expect(wait != nil && wait! > 0.09 && wait! <= 0.1)
        #expect(limiter.acquire("b", now: start) == nil)
        #expect(limiter.acquire("a", now: start + .milliseconds(150)) == nil)
    }
}
