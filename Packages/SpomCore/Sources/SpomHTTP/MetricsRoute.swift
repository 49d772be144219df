import Hummingbird
import SpomMetrics

/// Responses carrying Prometheus text.
public enum MetricsResponse {
    /// A `200` with `text` and `Content-Type: text/plain; version=0.0.4; charset=utf-8`.
    public static func make(_ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = PrometheusContentType.text
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

extension Router {
    /// Serves `GET path` with the Prometheus text that `render` produces on each scrape.
    ///
    /// - Parameters:
    ///   - path: the route, `/metrics` by default.
    ///   - routes: the table to record the route in (for 405 answers).
    ///   - render: builds the document, typically a ``MetricsExposition``'s `render()`; an error
    ///     fails the scrape with a 500 envelope (Prometheus then marks the target down).
    @discardableResult
    public func addMetricsRoute(
        _ path: String = "/metrics",
        routes: RouteTable? = nil,
        render: @escaping @Sendable () async throws -> String
    ) -> Self {
        routes?.record(.get, path)
        get(RouterPath(path)) { _, _ in MetricsResponse.make(try await render()) }
        return self
    }
}
