import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SpomTesting
import Synchronization

/// A real HTTP receiver on 127.0.0.1 for webhook tests: it records every POST and answers as
/// the test scripts it, so delivery, retries and outages are tested over real sockets.
///
/// By default it refuses (503) the first `failFirst` attempts of each `webhook-id` and every
/// request while ``setDown(_:)`` is on, and accepts the rest; ``setScript(_:)`` replaces that
/// with any answer (status, headers, delay) per request.
public final class LoopbackWebhookReceiver: Sendable {
    /// One request the receiver got.
    public struct Request: Sendable {
        /// The request path (`/hook`).
        public let path: String
        /// `webhook-id` (empty when absent).
        public let id: String
        /// `webhook-timestamp` (empty when absent).
        public let timestamp: String
        /// `webhook-signature`.
        public let signature: String?
        /// `Authorization`.
        public let authorization: String?
        /// `Content-Type`.
        public let contentType: String?
        /// The body bytes.
        public let body: Data
        /// When it arrived.
        public let at: ContinuousClock.Instant
        /// Whether the answer was a 2xx.
        public let accepted: Bool

        /// The body as a JSON object (empty when it is not one).
        public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
        /// The body's `event` field.
        public var event: String { json["event"] as? String ?? "" }
    }

    /// What the receiver answers: a status and extra headers, after an optional delay.
    public struct Answer: Sendable {
        /// The status.
        public var status: HTTPResponse.Status
        /// Extra response headers.
        public var headers: [(String, String)]
        /// Time to wait before answering.
        public var delay: Duration

        /// Creates an answer.
        public init(status: HTTPResponse.Status = .ok, headers: [(String, String)] = [], delay: Duration = .zero) {
            self.status = status
            self.headers = headers
            self.delay = delay
        }
    }

    /// What a script sees about a request before answering it.
    public struct Attempt: Sendable {
        /// The request path.
        public let path: String
        /// Requests to this path before this one.
        public let previousOnPath: Int
        /// Requests with this `webhook-id` before this one.
        public let previousWithID: Int
    }

    private struct State {
        var all: [Request] = []
        var attemptsByID: [String: Int] = [:]
        var attemptsByPath: [String: Int] = [:]
        var failFirst = 0
        var down = false
        var acceptedStatus: HTTPResponse.Status = .ok
        var script: (@Sendable (Attempt) -> Answer)?
    }

    private let state = Mutex(State())
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let port = Mutex<Int?>(nil)

    /// A receiver that refuses the first `failFirst` attempts of each event id and answers
    /// `acceptedStatus` to the others.
    public init(failFirst: Int = 0, acceptedStatus: HTTPResponse.Status = .ok) {
        state.withLock {
            $0.failFirst = failFirst
            $0.acceptedStatus = acceptedStatus
        }
    }

    /// A receiver whose answers come from `script`.
    public init(script: @escaping @Sendable (Attempt) -> Answer) {
        state.withLock { $0.script = script }
    }

    /// Starts listening on an ephemeral port of 127.0.0.1; returns the base URL.
    public func start() async throws -> String {
        let router = Router()
        router.post("**") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let path = request.uri.path
            let id = request.headers[HTTPField.Name("webhook-id")!] ?? ""
            let answer = self.state.withLock { s -> Answer in
                let attempt = Attempt(
                    path: path, previousOnPath: s.attemptsByPath[path, default: 0], previousWithID: s.attemptsByID[id, default: 0])
                s.attemptsByPath[path] = attempt.previousOnPath + 1
                s.attemptsByID[id] = attempt.previousWithID + 1
                if let script = s.script { return script(attempt) }
                let accepted = !s.down && attempt.previousWithID >= s.failFirst
                return Answer(status: accepted ? s.acceptedStatus : .serviceUnavailable)
            }
            let entry = Request(
                path: path, id: id,
                timestamp: request.headers[HTTPField.Name("webhook-timestamp")!] ?? "",
                signature: request.headers[HTTPField.Name("webhook-signature")!],
                authorization: request.headers[.authorization],
                contentType: request.headers[.contentType],
                body: Data(body.readableBytesView), at: .now,
                accepted: (200..<300).contains(answer.status.code))
            self.state.withLock { $0.all.append(entry) }
            if answer.delay > .zero { try await Task.sleep(for: answer.delay) }
            var headers = HTTPFields()
            for (name, value) in answer.headers {
                if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
            }
            return Response(status: answer.status, headers: headers)
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in self.port.withLock { $0 = channel.localAddress?.port } },
            logger: Logger(label: "webhook-receiver") { _ in SwiftLogNoOpLogHandler() })
        task.withLock { $0 = Task { try await app.runService(gracefulShutdownSignals: []) } }
        guard await eventually(timeout: .seconds(10), { self.port.withLock { $0 } != nil }), let bound = port.withLock({ $0 }) else {
            throw ChildProcessError("the webhook receiver did not start")
        }
        return "http://127.0.0.1:\(bound)"
    }

    /// Stops listening and waits for the server to finish.
    public func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        _ = await running?.result
    }

    /// While `down`, every request is refused with 503 (default mode only).
    public func setDown(_ down: Bool) { state.withLock { $0.down = down } }

    /// Changes how many first attempts of each event id are refused (default mode only).
    public func setFailFirst(_ count: Int) { state.withLock { $0.failFirst = count } }

    /// Replaces the answers with `script`.
    public func setScript(_ script: @escaping @Sendable (Attempt) -> Answer) { state.withLock { $0.script = script } }

    /// Every request, in arrival order.
    public var all: [Request] { state.withLock { $0.all } }

    /// The requests to `path`, in arrival order.
    public func requests(_ path: String) -> [Request] { all.filter { $0.path == path } }

    /// The accepted deliveries, one per event id (the first accepted copy).
    public var accepted: [Request] {
        var seen = Set<String>()
        return all.filter { $0.accepted && seen.insert($0.id).inserted }
    }

    /// The accepted deliveries of one event type.
    public func accepted(_ event: String) -> [Request] { accepted.filter { $0.event == event } }
}
