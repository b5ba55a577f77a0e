import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOWebSocket
import Testing

@testable import DengaoServer

/// The two channel handlers of the edge alone, event by event, on NIO's embedded channel and its clock.
@Suite struct ChannelGuardTests {
    private func activeChannel(_ handlers: [any ChannelHandler]) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers(handlers)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        return channel
    }

    private func firstRequestGuard() -> FirstRequestGuard {
        FirstRequestGuard(deadline: .seconds(15), webSocketSilenceLimit: .seconds(150))
    }

    private func frame(_ opcode: WebSocketOpcode, _ text: String, masked: Bool) -> WebSocketFrame {
        WebSocketFrame(
            fin: true, opcode: opcode, maskKey: masked ? WebSocketMaskingKey([1, 2, 3, 4]) : nil,
            data: ByteBuffer(string: text))
    }

    private func closeCode(_ frame: WebSocketFrame?) -> WebSocketErrorCode? {
        guard let frame, frame.opcode == .connectionClose else { return nil }
        var data = frame.data
        return data.readWebSocketErrorCode()
    }

    @Test func aConnectionWithoutARequestHeadIsClosedAtTheDeadline() throws {
        let channel = try activeChannel([firstRequestGuard()])
        channel.embeddedEventLoop.advanceTime(by: .seconds(14))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test func aFirstRequestThatIsNotHTTPEndsTheConnectionAtOnce() throws {
        let channel = try activeChannel([firstRequestGuard()])
        channel.pipeline.fireErrorCaught(HTTPParserError.invalidMethod)
        #expect(!channel.isActive)
    }

    @Test func theFirstRequestHeadEndsTheDeadlineAndTheGuard() throws {
        let channel = try activeChannel([firstRequestGuard()])
        channel.embeddedEventLoop.advanceTime(by: .seconds(10))
        try channel.writeInbound("the head")
        #expect(try channel.readInbound(as: String.self) == "the head")
        #expect(throws: (any Error).self) { try channel.pipeline.syncOperations.handler(type: FirstRequestGuard.self) }
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)
        _ = try channel.finish()
    }

    @Test func anUpgradePutsTheFrameGuardBehindTheDecoderBeforeAnyFrame() throws {
        let decoder = ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 4096))
        // As after NIO's upgrade: the guard, then the WebSocket handlers the upgrader appended.
        let channel = try activeChannel([
            firstRequestGuard(), decoder, WebSocketProtocolErrorHandler(),
        ])
        channel.pipeline.fireUserInboundEventTriggered(
            HTTPServerUpgradeEvents.upgradeComplete(
                toProtocol: "websocket", upgradeRequest: .init(version: .http1_1, method: .GET, uri: "/ws/contest")))
        #expect(throws: (any Error).self) { try channel.pipeline.syncOperations.handler(type: FirstRequestGuard.self) }
        _ = try channel.pipeline.syncOperations.handler(type: WebSocketFrameGuard.self)
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)

        // An unmasked text frame in bytes: the decoder passes it, the guard behind it refuses it.
        try channel.writeInbound(ByteBuffer(bytes: [0x81, 0x02, 0x68, 0x69]))
        #expect(try channel.readInbound(as: WebSocketFrame.self) == nil)
        #expect(closeCode(try channel.readOutbound(as: WebSocketFrame.self)) == .protocolError)
    }

    @Test func maskedFramesPassUnmaskedOnesCloseWith1002AndTheRestIsDropped() throws {
        let halfClose = HalfClose()
        let channel = try activeChannel([halfClose, WebSocketFrameGuard(silenceLimit: .seconds(150))])
        try channel.writeInbound(frame(.text, #"{"type":"ping"}"#, masked: true))
        #expect(try channel.readInbound(as: WebSocketFrame.self)?.data == ByteBuffer(string: #"{"type":"ping"}"#))

        try channel.writeInbound(frame(.ping, "hi", masked: false))
        #expect(try channel.readInbound(as: WebSocketFrame.self) == nil)
        #expect(closeCode(try channel.readOutbound(as: WebSocketFrame.self)) == .protocolError)
        #expect(halfClose.outputClosed)
        // Whatever follows is read and dropped, the one close frame is all that is sent; the client's hang-up
        // ends it.
        try channel.writeInbound(frame(.text, "more", masked: true))
        #expect(try channel.readInbound(as: WebSocketFrame.self) == nil)
        #expect(try channel.readOutbound(as: WebSocketFrame.self) == nil)
        #expect(channel.isActive)
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(!channel.isActive)
    }

    @Test func anOversizedFrameClosesWith1009InsteadOfNIOsImmediateClose() throws {
        let halfClose = HalfClose()
        let channel = try activeChannel([
            halfClose, WebSocketFrameGuard(silenceLimit: .seconds(150)), WebSocketProtocolErrorHandler(),
        ])
        channel.pipeline.fireErrorCaught(NIOWebSocketError.invalidFrameLength)
        #expect(closeCode(try channel.readOutbound(as: WebSocketFrame.self)) == .messageTooLarge)
        // Not passed on: NIO's handler would send a second close frame and close at once.
        #expect(try channel.readOutbound(as: WebSocketFrame.self) == nil)
        #expect(halfClose.outputClosed)
        #expect(channel.isActive)
        channel.pipeline.fireErrorCaught(
            ByteToMessageDecoderError.dataReceivedInErrorState(NIOWebSocketError.invalidFrameLength, ByteBuffer()))
        #expect(throws: Never.self) { try channel.throwIfErrorCaught() }
        // A client that never hangs up is closed after the linger.
        channel.embeddedEventLoop.advanceTime(by: WebSocketFrameGuard.linger - .milliseconds(1))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(!channel.isActive)
    }

    @Test func aSocketThatFallsSilentIsClosedWith1008() throws {
        let channel = try activeChannel([HalfClose(), WebSocketFrameGuard(silenceLimit: .seconds(10))])
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        try channel.writeInbound(frame(.text, #"{"type":"ping"}"#, masked: true))
        _ = try channel.readInbound(as: WebSocketFrame.self)
        // Heard at 9 s: nothing is due before 19 s.
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        #expect(try channel.readOutbound(as: WebSocketFrame.self) == nil)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(closeCode(try channel.readOutbound(as: WebSocketFrame.self)) == .policyViolation)
    }

    @Test func aControlFrameErrorClosesWith1002() throws {
        let channel = try activeChannel([WebSocketFrameGuard(silenceLimit: .seconds(150))])
        channel.pipeline.fireErrorCaught(NIOWebSocketError.multiByteControlFrameLength)
        #expect(closeCode(try channel.readOutbound(as: WebSocketFrame.self)) == .protocolError)
    }
}

/// A socket's half-close, which `EmbeddedChannel` lacks (it closes all for any mode): records that the output was
/// closed and keeps the channel open for reading.
private final class HalfClose: ChannelOutboundHandler {
    typealias OutboundIn = Any
    var outputClosed = false

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .output else { return context.close(mode: mode, promise: promise) }
        outputClosed = true
        promise?.succeed(())
    }
}
