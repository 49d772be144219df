import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization

/// HTTP JSON-RPC and WebSocket on one port, as Substrate serves them since 0.9.43.
final class RPCServer: Sendable {
    let processor: RPCProcessor
    let faults: FaultInjector
    let hub: HeadHub
    let logger: Logger
    let registry = ChannelRegistry()
    private let connectionCounter = Atomic<Int>(0)
    /// Connections opened (for the libp2p-ish metrics) and requests served.
    let requestsServed = Atomic<Int>(0)

    init(processor: RPCProcessor, faults: FaultInjector, hub: HeadHub, logger: Logger) {
        self.processor = processor
        self.faults = faults
        self.hub = hub
        self.logger = logger
    }

    struct DroppedConnection: Error {}

    /// The Hummingbird application bound to `host:port`; `onRunning` receives the bound port.
    func application(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let router = Router(context: DevnodeRequestContext.self)
        router.post("/") { request, context in
            try await self.handleHTTP(request, context: context)
        }
        router.get("/health") { _, context in
            self.registry.track(context.channel)
            let body = #"{"peers":\#(self.processor.dispatcher.configuration.peers),"isSyncing":false,"shouldHavePeers":true}"#
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.ws("/") { _, context in
            self.registry.track(context.channel)
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, _ in
            try await self.handleWebSocket(inbound: inbound, outbound: outbound)
        }
        let wsConfiguration = WebSocketServerConfiguration(maxFrameSize: 16 * 1024 * 1024, autoPing: .disabled)
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: router, configuration: .init(ws: wsConfiguration)),
            configuration: .init(address: .hostname(host, port: port), serverName: nil, reuseAddress: true),
            onServerRunning: { channel in
                self.registry.track(channel)
                await onRunning(channel.localAddress?.port ?? port)
            },
            logger: logger
        )
    }

    private func handleHTTP(_ request: Request, context: DevnodeRequestContext) async throws -> Response {
        registry.track(context.channel)
        let (decision, latency) = faults.decide()
        if latency > 0 { try await Task.sleep(for: .milliseconds(latency)) }
        switch decision {
        case .drop:
            context.channel.close(promise: nil)
            throw DroppedConnection()
        case .serverError:
            return Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "Service Unavailable")))
        case .answer, .malformed:
            break
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let body = Array(buffer.readableBytesView)
        requestsServed.add(1, ordering: .relaxed)
        guard var out = processor.process(body, connection: nil) else {
            return Response(status: .ok, body: .init())
        }
        if decision == .malformed {
            out = Array(out.prefix(max(1, out.count / 2)))
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: out)))
    }

    private func handleWebSocket(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let id = connectionCounter.add(1, ordering: .relaxed).newValue
        let (stream, sink) = AsyncStream<OutboundMessage>.makeStream(bufferingPolicy: .unbounded)
        let connection = RPCProcessor.Connection(id: id, sink: sink)
        let limit = faults.current.wsDisconnectAfterNotifications
        defer { hub.dropConnection(id) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                var sent = 0
                for await message in stream {
                    switch message {
                    case .answer(let bytes):
                        try await outbound.write(.text(String(decoding: bytes, as: UTF8.self)))
                    case .notification(let bytes):
                        try await outbound.write(.text(String(decoding: bytes, as: UTF8.self)))
                        sent += 1
                        if let limit, sent >= limit {
                            self.hub.dropConnection(id)
                            try await outbound.close(.goingAway, reason: "devnode fault: disconnect after \(limit) notifications")
                            return
                        }
                    }
                }
            }
            for try await message in inbound.messages(maxSize: 16 * 1024 * 1024) {
                let bytes: [UInt8]
                switch message {
                case .text(let s): bytes = Array(s.utf8)
                case .binary(let b): bytes = Array(b.readableBytesView)
                }
                if let out = processor.process(bytes, connection: connection), !out.isEmpty {
                    sink.yield(.answer(out))
                }
            }
            sink.finish()
            group.cancelAll()
        }
    }
}
