import Foundation
import Logging
import MidnightChain
import Synchronization
import WSClient

/// What a head subscription delivers.
public enum HeadEvent: Sendable, Equatable {
    /// The first connection is up and the node confirmed a subscription (sent before any head).
    case connected
    /// A new best block header (`chain_newHead`).
    case newHead(BlockHeader)
    /// A newly finalized header (`chain_finalizedHead`); GRANDPA may skip numbers.
    case finalizedHead(BlockHeader)
    /// The connection is gone (or could not be opened); the client will reconnect.
    case disconnected(reason: String)
    /// Subscribed again after a disconnect. The node keeps no history for subscriptions, so
    /// heads produced meanwhile were not delivered: gap-fill by number from the last one stored.
    case resubscribed(mayHaveMissedHeads: Bool)
}

/// Which head subscriptions to open.
public struct HeadKinds: OptionSet, Sendable {
    public let rawValue: Int
    /// Creates a set from raw bits.
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// `chain_subscribeNewHeads`.
    public static let newHeads = HeadKinds(rawValue: 1)
    /// `chain_subscribeFinalizedHeads`.
    public static let finalizedHeads = HeadKinds(rawValue: 2)
    /// Both.
    public static let all: HeadKinds = [.newHeads, .finalizedHeads]
}

extension NodeClient {
    /// Subscribes to heads over WebSocket on the node's RPC port and delivers them as events.
    ///
    /// The connection is re-opened with bounded exponential backoff (``ReconnectPolicy``) after
    /// any failure, followed by ``HeadEvent/resubscribed(mayHaveMissedHeads:)``. The stream ends
    /// when the consuming task is cancelled (or stops iterating), or after
    /// ``ReconnectPolicy/maxAttempts`` consecutive failed attempts.
    public func headEvents(_ kinds: HeadKinds = .all) -> AsyncStream<HeadEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: HeadEvent.self, bufferingPolicy: .bufferingNewest(10_000))
        let runner = HeadSubscriptionRunner(
            url: wsURL, kinds: kinds, policy: configuration.reconnect, maxMessageBytes: configuration.maxResponseBytes,
            logger: logger)
        let task = Task { await runner.run(continuation) }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

/// The reconnect loop behind ``NodeClient/headEvents(_:)``.
struct HeadSubscriptionRunner: Sendable {
    let url: String
    let kinds: HeadKinds
    let policy: ReconnectPolicy
    let maxMessageBytes: Int
    let logger: Logger

    /// Flags shared with the WebSocket handler closure.
    final class SessionState: Sendable {
        let everSubscribed = Atomic<Bool>(false)
        let subscribedThisConnection = Atomic<Bool>(false)
    }

    struct SubscribeFailed: Error, CustomStringConvertible {
        let method: String
        let code: Int
        let message: String
        var description: String { "\(method) refused: JSON-RPC error \(code): \(message)" }
    }

    func run(_ continuation: AsyncStream<HeadEvent>.Continuation) async {
        let state = SessionState()
        var failures = 0
        while !Task.isCancelled {
            state.subscribedThisConnection.store(false, ordering: .relaxed)
            var reason: String
            do {
                let close = try await WebSocketClient.connect(
                    url: url,
                    configuration: .init(maxFrameSize: maxMessageBytes, closeTimeout: .seconds(2), autoPing: .enabled(timePeriod: .seconds(30))),
                    logger: logger
                ) { inbound, outbound, _ in
                    try await session(inbound: inbound, outbound: outbound, state: state, continuation: continuation)
                }
                reason = "node at \(url) closed the subscription connection"
                if let close { reason += " (\(close.closeCode)\(close.reason.map { ": \($0)" } ?? ""))" }
            } catch {
                if Task.isCancelled { break }
                reason = describe(error)
            }
            if Task.isCancelled { break }
            logger.warning("head subscription: \(reason)")
            continuation.yield(.disconnected(reason: reason))
            failures = state.subscribedThisConnection.load(ordering: .relaxed) ? 1 : failures + 1
            if let max = policy.maxAttempts, failures > max {
                logger.error("head subscription: giving up after \(max) failed reconnect attempts")
                break
            }
            do {
                try await Task.sleep(for: policy.delay(forAttempt: failures))
            } catch {
                break
            }
        }
        continuation.finish()
    }

    private func describe(_ error: any Error) -> String {
        if let failure = TransportErrorClassifier.classify(error), failure != .other {
            return "node unreachable at \(url): \(failure.rawValue) — is the node running, is --rpc-url right?"
        }
        return "head subscription to \(url) failed: \(error)"
    }

    private func session(
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter,
        state: SessionState,
        continuation: AsyncStream<HeadEvent>.Continuation
    ) async throws {
        var pending: [Int: String] = [:]
        var id = 1
        for (kind, method) in [(HeadKinds.newHeads, RPCMethod.subscribeNewHeads), (.finalizedHeads, RPCMethod.subscribeFinalizedHeads)]
        where kinds.contains(kind) {
            let request = #"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":[]}"#
            try await outbound.write(.text(request))
            pending[id] = method
            id += 1
        }
        for try await message in inbound.messages(maxSize: maxMessageBytes) {
            guard case .text(let text) = message else { continue }
            guard let value = try? JSONValue.parse(Data(text.utf8)), let object = value.objectValue else {
                logger.debug("head subscription: ignoring non-JSON message")
                continue
            }
            if let method = object["method"]?.stringValue {
                guard let result = object["params"]?["result"] else { continue }
                do {
                    let header = try result.decode(as: BlockHeader.self)
                    switch method {
                    case RPCMethod.newHeadNotification, "chain_newHeads": continuation.yield(.newHead(header))
                    case RPCMethod.finalizedHeadNotification, "chain_finalisedHead": continuation.yield(.finalizedHead(header))
                    default: break
                    }
                } catch let error as DecodingError {
                    logger.warning("head subscription: \(method) header unreadable at `\(error.fieldPath)`: \(error.shortDetail)")
                }
                continue
            }
            guard let responseID = object["id"]?.int64Value, let method = pending.removeValue(forKey: Int(responseID)) else { continue }
            if let response = WireResponse(value), case .error(let code, let message, _) = response.outcome {
                throw SubscribeFailed(method: method, code: code, message: message)
            }
            // Announce the connection on the first confirmation: the node may send that
            // subscription's heads before it answers the next subscribe request.
            if !state.subscribedThisConnection.exchange(true, ordering: .relaxed) {
                if state.everSubscribed.exchange(true, ordering: .relaxed) {
                    logger.info("head subscription: resubscribed to \(url); heads may have been missed")
                    continuation.yield(.resubscribed(mayHaveMissedHeads: true))
                } else {
                    logger.info("head subscription: subscribed to \(url)")
                    continuation.yield(.connected)
                }
            }
        }
    }
}
