import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Gives `SecurityHeaders` to the few responses no router writes: Hummingbird's refusal of a WebSocket upgrade
/// (it reads only the status of the WebSocket router's answer and sends its own empty 400), its 400 to a request
/// it cannot parse, and its redirect of an upgrade attempted mid-connection. Added through the HTTP channel's
/// `additionalChannelHandlers`; responses that already carry the headers (every router's) pass unchanged.
final class LibraryResponseHeaders: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let fields: HTTPFields

    init(_ headers: SecurityHeaders) {
        // No request to go by: none of these responses has a body, and none may be stored.
        var fields = headers.fields(path: nil, host: nil)
        fields[.cacheControl] = "no-store"
        self.fields = fields
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .head(var head) = Self.unwrapOutboundIn(data), head.headerFields[.xContentTypeOptions] == nil else {
            return context.write(data, promise: promise)
        }
        head.headerFields.append(contentsOf: fields)
        context.write(Self.wrapOutboundOut(.head(head)), promise: promise)
    }
}

@available(*, unavailable)
extension LibraryResponseHeaders: Sendable {}
