import NIOCore
import NIOPosix
import Testing

@testable import DengaoServer

/// What a connection's socket reads into: NIO keeps the channel's last receive buffer for its whole life, so its
/// first size is what every idle WebSocket holds.
@Suite struct ReceiveBufferTests {
    @Test func anAcceptedConnectionReadsIntoASmallFirstBuffer() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let recorded = loop.makePromise(of: Int?.self)
        let server = try await ServerBootstrap(group: loop)
            .childChannelInitializer { channel in
                // As `GuardedChildChannel.setup` does first.
                ReceiveBuffers.configure(channel)
                let allocator = try? channel.syncOptions?.getOption(ChannelOptions.recvAllocator)
                recorded.succeed(allocator?.nextBufferSize())
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let client = try await ClientBootstrap(group: loop).connect(to: server.localAddress!).get()
        // NIO's default is 2,048 bytes.
        #expect(try await recorded.futureResult.get() == 256)
        try await client.close()
        try await server.close()
    }
}
