import Hummingbird
import Logging

/// Logs one line per request: method, path, status, duration in milliseconds and client.
///
/// Secrets stay out of the log: the query string is logged with the values of sensitive
/// parameters (`api_key`, `key`, `token`, `secret`, `password`, `signature`, `auth`) replaced by
/// `<redacted>`, and no header is logged. Server errors (5xx) log at `error`, client errors
/// (4xx) at `notice` or `level` if that is higher, everything else at `level`.
public struct RequestLogMiddleware<Context: SpomRequestContextProtocol>: RouterMiddleware {
    let level: Logger.Level
    let sensitiveParameters: Set<String>

    /// Parameters whose values are never logged.
    public static var defaultSensitiveParameters: Set<String> {
        ["api_key", "apikey", "key", "token", "access_token", "secret", "password", "signature", "auth"]
    }

    /// Creates the middleware logging successes at `level`.
    public init(level: Logger.Level = .info, sensitiveParameters: Set<String> = defaultSensitiveParameters) {
        self.level = level
        self.sensitiveParameters = sensitiveParameters
    }

    /// Runs the chain and logs the outcome.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context: context, status: Int(response.status.code), start: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(request, context: context, status: Int(status), start: start)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: Int, start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let chosen: Logger.Level = status >= 500 ? .error : (status >= 400 ? max(level, .notice) : level)
        context.logger.log(
            level: chosen,
            "\(request.method.rawValue) \(redactedTarget(request)) \(status)",
            metadata: [
                "http.method": "\(request.method.rawValue)",
                "http.path": "\(redactedTarget(request))",
                "http.status": "\(status)",
                "http.duration_ms": "\((ms * 100).rounded() / 100)",
                "client": "\(context.clientAddress ?? context.peerAddress ?? "unknown")",
            ])
    }

    /// The path plus the query with sensitive values redacted.
    func redactedTarget(_ request: Request) -> String {
        Self.redact(path: request.uri.path, query: request.uri.query, sensitive: sensitiveParameters)
    }

    static func redact(path: String, query: String?, sensitive: Set<String>) -> String {
        guard let query, !query.isEmpty else { return path }
        let items = query.split(separator: "&").map { item -> String in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncodingSafely().lowercased()
            if parts.count == 2, sensitive.contains(name) { return "\(parts[0])=<redacted>" }
            return String(item)
        }
        return path + "?" + items.joined(separator: "&")
    }
}

extension String {
    func removingPercentEncodingSafely() -> String {
        // Foundation-free minimal decode for the parameter name check.
        var bytes: [UInt8] = []
        var iterator = Array(utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
