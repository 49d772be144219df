import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// Request context that keeps the connection's channel, so a fault can close it without an answer.
struct DevnodeRequestContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<Self>
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }

    /// Requests up to 15 MiB, like Substrate's default.
    var maxUploadSize: Int { 15 * 1024 * 1024 }
}
