import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Closes a connection whose first request head is not complete within `deadline`, and when the first request
/// upgrades to a WebSocket puts `WebSocketFrameGuard` right behind the frame decoder. Removes itself once the
/// first head has arrived: from then on Hummingbird's keep-alive timeout (HTTP) or `WebSocketFrameGuard` and the
/// rooms' silence limits (WebSocket) watch the connection.
///
/// Hummingbird's `HTTPConnectionStateHandler` carries the idle timeout, but the WebSocket-upgrading channel adds it
/// only after the first head is parsed, so a connection that never completes one is never timed out.
/// This handler sits last in the pipeline at setup, behind NIO's upgrade handler: a request that is not an
/// upgrade reaches it as its head, an upgrade as `HTTPServerUpgradeEvents.upgradeComplete`, fired after the
/// WebSocket handlers are in place and before any buffered frame is decoded, so no frame passes unchecked.
final class FirstRequestGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Any
    typealias InboundOut = Any

    private let deadline: TimeAmount
    private let webSocketSilenceLimit: TimeAmount
    private var timer: Scheduled<Void>?

    init(deadline: TimeAmount, webSocketSilenceLimit: TimeAmount) {
        self.deadline = deadline
        self.webSocketSilenceLimit = webSocketSilenceLimit
    }

    func handlerAdded(context: ChannelHandlerContext) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: deadline) { Self.end(context) }
    }

    /// A first request that is not HTTP at all will never complete: no need to wait for the deadline.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError { return Self.end(context) }
        context.fireErrorCaught(error)
    }

    /// Told as the end of the connection's input, NIO's upgrade handler closes it as a client that went away, which
    /// Hummingbird logs at trace level; a plain close would be logged as a failed upgrade, an error line per
    /// connection, a flood of them under a slowloris attack.
    private static func end(_ context: ChannelHandlerContext) {
        context.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        context.close(promise: nil)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let upgrade = event as? HTTPServerUpgradeEvents, case .upgradeComplete = upgrade {
            do {
                let decoder = try context.pipeline.syncOperations.handler(
                    type: ByteToMessageHandler<WebSocketFrameDecoder>.self)
                try context.pipeline.syncOperations.addHandler(
                    WebSocketFrameGuard(silenceLimit: webSocketSilenceLimit), position: .after(decoder))
            } catch {
                // No frame decoder means NIO changed how it upgrades: refuse rather than run unchecked.
                context.close(promise: nil)
            }
            context.fireUserInboundEventTriggered(event)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

@available(*, unavailable)
extension FirstRequestGuard: Sendable {}
