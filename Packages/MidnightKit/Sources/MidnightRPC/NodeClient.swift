import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// The Midnight node's JSON-RPC client: HTTP calls and batches with retries, typed methods for
/// every node generation, and WebSocket head subscriptions on the same port.
///
/// One `NodeClient` owns one `HTTPClient` (connections are reused between calls); call
/// ``shutdown()`` when done, or use ``withNodeClient(_:logger:_:)``. All methods are safe to call
/// concurrently.
public final class NodeClient: Sendable {
    /// The configuration this client was made with.
    public let configuration: NodeClientConfiguration
    /// Per-method request counters, for metrics.
    public let statistics = RPCStatistics()

    let logger: Logger
    let http: HTTPClient
    let wsURL: String
    private let nextID = Atomic<UInt64>(1)
    private let isShutDown = Atomic<Bool>(false)
    let methodCache = Mutex<Set<String>?>(nil)
    let batchState: Mutex<BatchState>

    /// Creates a client for `configuration.url`.
    ///
    /// - Throws: ``NodeRPCError`` (`.invalidURL`) when the URL is not `http(s)://host[:port]`.
    public init(configuration: NodeClientConfiguration, logger: Logger) throws {
        guard let url = NodeURL(configuration.url) else {
            throw NodeRPCError(
                .invalidURL(detail: "expected http://host:port or https://host:port"),
                url: configuration.url, method: "-")
        }
        wsURL = url.webSocketURL
        self.configuration = configuration
        self.logger = logger
        batchState = Mutex(BatchState(limit: configuration.maxBatchSize))

        var http = HTTPClient.Configuration()
        let connectTimeout = min(configuration.timeout, .seconds(10))
        http.timeout = .init(connect: .milliseconds(Int64(max(1, connectTimeout.milliseconds))), read: nil)
        // Fail a refused connection at once (our own retry policy decides what happens next)
        // instead of letting the pool retry silently until the request deadline.
        http.connectionPool.retryConnectionEstablishment = false
        http.redirectConfiguration = .disallow
        // A catch-up opens several connections, each keeping a read buffer of up to 64 KiB; at the
        // tip one or two carry a request every slot (6 s). Closing the others after 10 s idle
        // (AsyncHTTPClient's default is 60 s) returns that memory soon after the catch-up ends.
        http.connectionPool.idleTimeout = .seconds(10)
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http)
    }

    deinit {
        if !isShutDown.load(ordering: .acquiring) {
            // Not shut down by the owner: start an asynchronous shutdown rather than let the
            // HTTPClient trap in its own deinit.
            _ = http.shutdown()
        }
    }

    /// Closes the client's connections. Calls made afterwards fail with `.clientShutDown`.
    public func shutdown() async {
        guard !isShutDown.exchange(true, ordering: .acquiringAndReleasing) else { return }
        do {
            try await http.shutdown()
        } catch {
            logger.debug("node client shutdown: \(error)")
        }
    }

    /// The node URL.
    public var url: String { configuration.url }

    /// The WebSocket URL derived from the HTTP URL (same host and port).
    public var webSocketURL: String { wsURL }

    func makeID() -> UInt64 {
        nextID.add(1, ordering: .relaxed).oldValue
    }

    // MARK: - Single calls

    /// Calls `method` with positional `params` and returns the raw result (which may be `.null`).
    ///
    /// Transient failures are retried per ``RetryPolicy``. Throws ``NodeRPCError`` or
    /// `CancellationError`.
    @discardableResult
    public func call(_ method: String, _ params: [JSONValue] = []) async throws -> JSONValue {
        let started = ContinuousClock.now
        do {
            let result = try await withRetries(method: method) {
                try await self.attemptSingle(method: method, params: params)
            }
            statistics.record(method: method, failed: false, seconds: (ContinuousClock.now - started).milliseconds / 1000)
            return result
        } catch {
            statistics.record(method: method, failed: true, seconds: (ContinuousClock.now - started).milliseconds / 1000)
            throw error
        }
    }

    /// Calls `method` and decodes a required result into `T` (`null` fails with `.nullResult`).
    public func call<T: Decodable & Sendable>(_ method: String, _ params: [JSONValue] = [], as type: T.Type) async throws -> T {
        let value = try await call(method, params)
        return try decodeRequired(value, as: T.self, method: method)
    }

    /// Calls `method` and decodes an optional result into `T` (`null` gives `nil`).
    public func callOptional<T: Decodable & Sendable>(_ method: String, _ params: [JSONValue] = [], as type: T.Type) async throws
        -> T?
    {
        let value = try await call(method, params)
        return try decodeOptional(value, as: T.self, method: method)
    }

    func decodeRequired<T: Decodable>(_ value: JSONValue, as type: T.Type, method: String) throws -> T {
        guard let decoded = try decodeOptional(value, as: T.self, method: method) else {
            throw NodeRPCError(.nullResult, url: url, method: method)
        }
        return decoded
    }

    func decodeOptional<T: Decodable>(_ value: JSONValue, as type: T.Type, method: String) throws -> T? {
        if value.isNull { return nil }
        do {
            return try value.decode(as: T.self)
        } catch let error as DecodingError {
            throw NodeRPCError(.decoding(path: error.fieldPath, detail: error.shortDetail), url: url, method: method, cause: error)
        }
    }

    /// One HTTP attempt of a single call.
    private func attemptSingle(method: String, params: [JSONValue]) async throws -> JSONValue {
        let id = makeID()
        let body = try JSONEncoder().encode(WireRequest(id: id, method: method, params: params))
        let data = try await post(body, method: method)
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(data)
        } catch {
            throw NodeRPCError(
                .malformedResponse(detail: "not JSON", bodyExcerpt: bodyExcerpt(data)), url: url, method: method, cause: error)
        }
        guard let response = WireResponse(parsed) else {
            throw NodeRPCError(
                .malformedResponse(detail: "neither `result` nor `error` in the response", bodyExcerpt: bodyExcerpt(data)),
                url: url, method: method)
        }
        if let responseID = response.id, responseID != id {
            throw NodeRPCError(
                .malformedResponse(detail: "response id \(responseID) does not match request id \(id)", bodyExcerpt: bodyExcerpt(data)),
                url: url, method: method)
        }
        return try outcomeValue(response.outcome, method: method)
    }

    func outcomeValue(_ outcome: WireResponse.Outcome, method: String) throws -> JSONValue {
        switch outcome {
        case .result(let value):
            return value
        case .error(let code, let message, let data):
            throw rpcError(code: code, message: message, data: data, method: method)
        }
    }

    func rpcError(code: Int, message: String, data: JSONValue?, method: String) -> NodeRPCError {
        if PrunedStateDetector.isPruned(message: message, data: data) {
            let detail = [message, data?.stringValue].compactMap { $0 }.joined(separator: ": ")
            return NodeRPCError(.stateUnavailable(code: code, message: detail), url: url, method: method)
        }
        return NodeRPCError(.rpc(code: code, message: message, data: data), url: url, method: method)
    }

    // MARK: - HTTP

    /// POSTs `body` and returns the response body of a 2xx answer.
    func post(_ body: Data, method: String) async throws -> Data {
        if isShutDown.load(ordering: .acquiring) {
            throw NodeRPCError(.clientShutDown, url: url, method: method)
        }
        var request = HTTPClientRequest(url: configuration.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        let timeout = TimeAmount.milliseconds(Int64(max(1, configuration.timeout.milliseconds)))
        do {
            let response = try await http.execute(request, timeout: timeout, logger: logger)
            let buffer = try await response.body.collect(upTo: configuration.maxResponseBytes)
            let data = Data(buffer.readableBytesView)
            guard (200..<300).contains(Int(response.status.code)) else {
                let retryAfter = response.headers.first(name: "Retry-After").flatMap(Self.parseRetryAfter)
                throw NodeRPCError(
                    .httpStatus(code: Int(response.status.code), bodyExcerpt: bodyExcerpt(data), retryAfter: retryAfter),
                    url: url, method: method)
            }
            return data
        } catch let error as NodeRPCError {
            throw error
        } catch {
            if Task.isCancelled { throw CancellationError() }
            if let error = error as? HTTPClientError, error == .alreadyShutdown {
                throw NodeRPCError(.clientShutDown, url: url, method: method, cause: error)
            }
            if let error = error as? NIOTooManyBytesError {
                throw NodeRPCError(
                    .malformedResponse(detail: "response larger than \(configuration.maxResponseBytes) bytes", bodyExcerpt: ""),
                    url: url, method: method, cause: error)
            }
            guard let failure = TransportErrorClassifier.classify(error) else {
                throw NodeRPCError(.invalidURL(detail: "\(error)"), url: url, method: method, cause: error)
            }
            throw NodeRPCError(.transport(failure), url: url, method: method, cause: error)
        }
    }

    /// `Retry-After` as delay-seconds or an HTTP date.
    static func parseRetryAfter(_ value: String) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds >= 0 {
            return .milliseconds(Int64(seconds * 1000))
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        let seconds = max(0, date.timeIntervalSinceNow)
        return .milliseconds(Int64(seconds * 1000))
    }

    // MARK: - Retries

    /// Runs `operation`, retrying transient ``NodeRPCError``s with exponential backoff and jitter.
    ///
    /// Retries are counted in the statistics under `countRetriesAs` (the methods of a batch's
    /// items), or under `method` when `nil`.
    func withRetries<T: Sendable>(
        method: String, countRetriesAs: [String]? = nil, _ operation: () async throws -> T
    ) async throws -> T {
        let policy = configuration.retry
        var attempt = 1
        while true {
            do {
                return try await operation()
            } catch var error as NodeRPCError {
                error.attempts = attempt
                guard error.isTransient, attempt <= policy.maxRetries else { throw error }
                var delay = policy.delay(forRetry: attempt)
                if case .httpStatus(_, _, let retryAfter?) = error.kind {
                    guard retryAfter <= policy.maxDelay else {
                        logger.warning("\(error) — Retry-After exceeds rpc.retry_max_delay_ms, not retrying")
                        throw error
                    }
                    delay = max(delay, retryAfter)
                }
                logger.warning(
                    "RPC call '\(method)' failed (attempt \(attempt)/\(policy.maxRetries + 1)), retrying in \(Int(delay.milliseconds)) ms: \(error)"
                )
                for counted in countRetriesAs ?? [method] {
                    statistics.recordRetry(method: counted)
                }
                try await Task.sleep(for: delay)
                attempt += 1
            }
        }
    }
}

/// Runs `body` with a ``NodeClient`` that is shut down afterwards, whether `body` succeeds or throws.
public func withNodeClient<T: Sendable>(
    _ configuration: NodeClientConfiguration,
    logger: Logger,
    _ body: (NodeClient) async throws -> T
) async throws -> T {
    let client = try NodeClient(configuration: configuration, logger: logger)
    do {
        let result = try await body(client)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}
