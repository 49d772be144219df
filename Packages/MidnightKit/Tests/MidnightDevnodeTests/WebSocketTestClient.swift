import Foundation
import Logging
import Synchronization
import WSClient

/// What a WebSocket session received.
struct WebSocketSession: Sendable {
    var messages: [String]
    /// Whether the server closed the connection (rather than the test leaving).
    var closedByServer: Bool
}

struct WebSocketTimeout: Error {}

final class SessionBox: Sendable {
    let received = Mutex<[String]>([])
    let leftByClient = Mutex(false)
}

/// Connects to `url`, sends `requests`, and collects text messages until `done` says so, the
/// server closes, or `timeout` passes (then throws ``WebSocketTimeout``).
func webSocketSession(
    _ url: String, send requests: [String], timeout: Duration = .seconds(10),
    until done: @escaping @Sendable ([String]) -> Bool
) async throws -> WebSocketSession {
    let logger = {
        var l = Logger(label: "ws-test")
        l.logLevel = .warning
        return l
    }()
    let box = SessionBox()
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            try await WebSocketClient.connect(
                url: url, configuration: .init(maxFrameSize: 16 * 1024 * 1024), logger: logger
            ) { inbound, outbound, _ in
                for r in requests { try await outbound.write(.text(r)) }
                for try await message in inbound.messages(maxSize: 16 * 1024 * 1024) {
                    guard case .text(let text) = message else { continue }
                    let all = box.received.withLock { $0.append(text); return $0 }
                    if done(all) {
                        box.leftByClient.withLock { $0 = true }
                        return
                    }
                }
            }
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw WebSocketTimeout()
        }
        try await group.next()
        group.cancelAll()
    }
    return WebSocketSession(messages: box.received.withLock { $0 }, closedByServer: !box.leftByClient.withLock { $0 })
}

/// Parses a JSON text message as an object.
func jsonObject(_ text: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
}

/// The `params.result` header number of a notification, or nil.
func notificationNumber(_ message: [String: Any]) -> UInt64? {
    guard let params = message["params"] as? [String: Any], let header = params["result"] as? [String: Any],
        let number = header["number"] as? String
    else { return nil }
    return UInt64(number.dropFirst(2), radix: 16)
}
