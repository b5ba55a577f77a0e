import DengaoCore
import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of every route: who is asking (set by `SessionMiddleware`) and from where.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by the WebSocket router when a live-contest connection is upgraded.
    public let webSocket = WebSocketHandlerReference<AppRequestContext>()
    public let remoteAddress: SocketAddress?
    /// The connection's channel: a WebSocket's outbox cuts it off if the client ignores a restart's close frame.
    let channel: any Channel
    /// The live session the request's cookie opened, if any.
    public var session: SessionView?
    /// The hash of the cookie's token, kept so sign-out and sign-in can end exactly that session.
    var sessionTokenHash: String?

    /// The client's address for rate limiting: the peer's, or the one a trusted proxy forwarded
    /// (`ClientAddressMiddleware`); "unknown" groups clients whose address the channel lacks.
    var clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        channel = source.channel
        clientAddress = remoteAddress?.ipAddress ?? "unknown"
    }

    /// JSON bodies are bounded far below uploads (`BoundedJSONDecoder`).
    public var requestDecoder: some RequestDecoder { BoundedJSONDecoder() }

    /// Bank files are uploaded whole; 100k questions of XLSX are about 10 MiB, so this leaves ample room.
    public var maxUploadSize: Int { 64 * 1024 * 1024 }
}
