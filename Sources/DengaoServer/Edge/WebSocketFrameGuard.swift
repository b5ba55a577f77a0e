import NIOCore
import NIOWebSocket

/// What RFC 6455 asks of a server that NIO's frame decoder and swift-websocket leave out, and a close the client
/// can read. Sits right behind the frame decoder (put there by `FirstRequestGuard`).
///
/// - A client must mask every frame (§5.1: the server "MUST close the connection upon receiving a frame that is not
///   masked"); NIO's decoder accepts both and swift-websocket never sees the mask. An unmasked frame closes with 1002.
/// - The decoder's own errors (a frame over `maxFrameSize`: 1009; a fragmented or over-long control frame: 1002)
///   would reach NIO's `WebSocketProtocolErrorHandler`, which sends the close frame and closes the socket at once:
///   with the rest of the oversized frame still unread, the kernel answers with a reset, and a reset can destroy
///   the close frame before the client has read it. Here the close frame is followed by a half-close (FIN), and
///   whatever the client still sends is read and dropped until it closes too, or `linger` has passed.
/// - A socket from which nothing arrives for `silenceLimit` is closed with 1008. Rooms close the silent sockets
///   they hold sooner, with a message; this catches the ones no room holds (upgraded, then never a word), which
///   would otherwise keep their file descriptor for as long as the peer's TCP stack does.
final class WebSocketFrameGuard: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// How long a failed connection may take to read the close frame and hang up before it is closed anyway.
    static let linger: TimeAmount = .seconds(3)

    private let silenceLimit: TimeAmount
    /// On the event loop's clock (`EventLoop.now`), which a test's embedded loop moves by hand.
    private var lastHeard = NIODeadline.uptimeNanoseconds(0)
    private var failed = false
    private var silenceTimer: Scheduled<Void>?
    private var lingerTimer: Scheduled<Void>?

    init(silenceLimit: TimeAmount) { self.silenceLimit = silenceLimit }

    func handlerAdded(context: ChannelHandlerContext) {
        lastHeard = context.eventLoop.now
        checkSilence(context, at: lastHeard + silenceLimit)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        lastHeard = context.eventLoop.now
        guard Self.unwrapInboundIn(data).maskKey != nil else { return fail(context, code: .protocolError) }
        context.fireChannelRead(data)
    }

    /// One timer per connection, moved on only when it fires: reading a frame costs a clock read, not a reschedule.
    private func checkSilence(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        silenceTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            guard !self.failed else { return }
            let due = self.lastHeard + self.silenceLimit
            if due <= context.eventLoop.now {
                self.fail(context, code: .policyViolation)
            } else {
                self.checkSilence(context, at: due)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Once failing, the decoder reports every further read as data in its error state: dropped on purpose.
        if failed { return }
        switch error {
        case NIOWebSocketError.invalidFrameLength: fail(context, code: .messageTooLarge)
        case is NIOWebSocketError: fail(context, code: .protocolError)
        default: context.fireErrorCaught(error)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The client hung up after reading the close frame: nothing is left to wait for.
        if failed, case ChannelEvent.inputClosed? = event as? ChannelEvent { context.close(promise: nil) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        silenceTimer?.cancel()
        lingerTimer?.cancel()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        silenceTimer?.cancel()
        lingerTimer?.cancel()
    }

    private func fail(_ context: ChannelHandlerContext, code: WebSocketErrorCode) {
        failed = true
        silenceTimer?.cancel()
        var data = context.channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: code)
        let close = WebSocketFrame(fin: true, opcode: .connectionClose, data: data)
        context.writeAndFlush(Self.wrapOutboundOut(close)).assumeIsolated().whenComplete { _ in
            context.close(mode: .output, promise: nil)
        }
        lingerTimer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.linger) {
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension WebSocketFrameGuard: Sendable {}
