import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import SpomHTTP
import Synchronization
import Testing

/// Log lines captured from a server under test, to check that no secret is logged.
final class CapturedLog: Sendable {
    let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func logger() -> Logger {
        var logger = Logger(label: "test") { _ in CapturingHandler(sink: self) }
        logger.logLevel = .debug
        return logger
    }

    struct CapturingHandler: LogHandler {
        let sink: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let rendered = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            sink.lines.withLock { $0.append("\(event.level) \(event.message) \(rendered)") }
        }
    }
}

/// A response read fully.
struct TestResponse {
    let status: Int
    let headers: [String: String]
    let body: String

    func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The decoded error envelope.
    func envelope() throws -> ErrorEnvelope {
        try JSONDecoder().decode(ErrorEnvelope.self, from: Data(body.utf8))
    }
}

/// Runs a real SpomHTTP server on 127.0.0.1 with an ephemeral port for the duration of `body`.
func withTestServer(
    _ options: HTTPServerOptions = HTTPServerOptions(bind: HTTPBindAddress(host: "127.0.0.1", port: 0)),
    log: CapturedLog = CapturedLog(),
    routes configure: (Router<SpomRequestContext>, RouteTable) -> Void,
    _ body: (TestClient) async throws -> Void
) async throws {
    let routes = RouteTable()
    let router = SpomHTTPServer.makeRouter(options: options, routes: routes)
    configure(router, routes)
    let bound = BoundPort()
    let app = SpomHTTPServer.makeApplication(router: router, options: options, logger: log.logger(), boundPort: bound)
    let server = Task { try await app.runService(gracefulShutdownSignals: []) }
    defer { server.cancel() }
    let port = try await bound.wait(timeout: .seconds(10))
    try await body(TestClient(port: port, host: options.bind.host.contains(":") ? "[\(options.bind.host)]" : options.bind.host))
    server.cancel()
    _ = await server.result
}

/// A small HTTP client for the loopback server.
struct TestClient {
    let port: Int
    var host = "127.0.0.1"

    func request(_ method: HTTPMethod = .GET, _ path: String, headers: [(String, String)] = []) async throws -> TestResponse {
        var request = HTTPClientRequest(url: "http://\(host):\(port)\(path)")
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        var fields: [String: String] = [:]
        for header in response.headers {
            let key = header.name.lowercased()
            fields[key] = fields[key].map { "\($0), \(header.value)" } ?? header.value
        }
        return TestResponse(status: Int(response.status.code), headers: fields, body: String(buffer: bytes))
    }
}
