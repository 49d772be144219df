import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SpomTesting
import SpomWebhooks
import Synchronization

/// One POST the receiver got.
struct Delivery: Sendable {
    let id: String
    let timestamp: String
    let signature: String?
    let body: Data
    let accepted: Bool

    /// The body as a JSON object.
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
    var event: String { json["event"] as? String ?? "" }
}

/// A webhook receiver on 127.0.0.1: records every request, and refuses (503) the first
/// `failFirst` attempts of each event id, or everything while `down`.
final class LoopbackReceiver: Sendable {
    private struct State {
        var all: [Delivery] = []
        var attemptsByID: [String: Int] = [:]
        var failFirst = 0
        var down = false
    }

    private let state = Mutex(State())
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let port = Mutex<Int?>(nil)

    init(failFirst: Int = 0) {
        state.withLock { $0.failFirst = failFirst }
    }

    /// Starts listening and returns the base URL.
    func start() async throws -> String {
        let router = Router()
        router.post("**") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let id = request.headers[HTTPField.Name("webhook-id")!] ?? ""
            let accepted = self.state.withLock { s -> Bool in
                let previous = s.attemptsByID[id, default: 0]
                s.attemptsByID[id] = previous + 1
                return !s.down && previous >= s.failFirst
            }
            let delivery = Delivery(
                id: id, timestamp: request.headers[HTTPField.Name("webhook-timestamp")!] ?? "",
                signature: request.headers[HTTPField.Name("webhook-signature")!], body: Data(body.readableBytesView), accepted: accepted)
            self.state.withLock { $0.all.append(delivery) }
            return Response(status: accepted ? .ok : .serviceUnavailable)
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in self.port.withLock { $0 = channel.localAddress?.port } },
            logger: Logger(label: "receiver") { _ in SwiftLogNoOpLogHandler() })
        task.withLock { $0 = Task { try await app.runService(gracefulShutdownSignals: []) } }
        guard await eventually(timeout: .seconds(10), { self.port.withLock { $0 } != nil }), let bound = port.withLock({ $0 }) else {
            throw ChildProcessError("the webhook receiver did not start")
        }
        return "http://127.0.0.1:\(bound)"
    }

    func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        _ = await running?.result
    }

    func setDown(_ down: Bool) { state.withLock { $0.down = down } }

    /// Every request, in arrival order.
    var all: [Delivery] { state.withLock { $0.all } }

    /// The accepted deliveries, one per event id (the first accepted copy).
    var accepted: [Delivery] {
        var seen = Set<String>()
        return all.filter { $0.accepted && seen.insert($0.id).inserted }
    }

    func accepted(_ event: String) -> [Delivery] { accepted.filter { $0.event == event } }
}
