import NIOCore

/// What each accepted socket reads into. NIO keeps a channel's last receive buffer for the next read and never
/// shrinks it; its default first buffer is 2 KiB, which an idle WebSocket (client frames of a hundred bytes) then
/// holds for its whole life. Ten thousand players' sockets keep a small first buffer instead; larger reads (an
/// upload, a long request head) double it read after read up to NIO's usual 64 KiB, as before.
enum ReceiveBuffers {
    /// An upgrade request of a few hundred bytes fits in one or two reads of this.
    static let firstSize = 256
    static let allocator = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: firstSize, maximum: 65_536)

    /// Before the channel's first read, on its event loop (a channel initializer).
    static func configure(_ channel: any Channel) {
        try? channel.syncOptions?.setOption(ChannelOptions.recvAllocator, value: allocator)
    }
}
