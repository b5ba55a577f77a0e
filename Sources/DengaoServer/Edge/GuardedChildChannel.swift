import HummingbirdCore
import Logging
import NIOCore

/// The server's connections as Hummingbird's HTTP/WebSocket channel sets them up, with what it leaves to the
/// application at the edge: a per-address connection limit applied before anything is read, and
/// `FirstRequestGuard` (a deadline for the first request head; the WebSocket frame checks and silence limit once
/// upgraded).
///
/// A wrapper rather than a configuration: `HTTP1WebSocketUpgradeChannel` adds its idle timeout only once the first
/// request head has been parsed, has no hook into the upgraded pipeline, and knows nothing of client addresses.
struct GuardedChildChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value

    let inner: Inner
    let connections: AddressConnections
    /// Proxies hold every client's connections; their share is not limited (the proxy limits its clients).
    let trustedProxies: TrustedProxies
    let requestHeadTimeout: TimeAmount
    let webSocketSilenceLimit: TimeAmount

    /// The connection refused for its address's share; NIO drops the channel, which is already closed.
    struct AddressOverLimit: Error {}

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let address = channel.remoteAddress?.ipAddress ?? "unknown"
        let limited = !trustedProxies.contains(address)
        guard !limited || connections.admit(address) else {
            // Closed before a byte is read: the cheapest answer to a flood, and nothing reaches the application.
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(AddressOverLimit())
        }
        ReceiveBuffers.configure(channel)
        let connections = self.connections
        if limited { channel.closeFuture.whenComplete { _ in connections.release(address) } }
        let (requestHeadTimeout, webSocketSilenceLimit) = (self.requestHeadTimeout, self.webSocketSilenceLimit)
        return inner.setup(channel: channel, logger: logger)
            .flatMapThrowing { value in
                // Last in the pipeline, behind the HTTP upgrade handler: it sees the first request (or the upgrade
                // event) exactly when the head is complete.
                try channel.pipeline.syncOperations.addHandler(
                    FirstRequestGuard(deadline: requestHeadTimeout, webSocketSilenceLimit: webSocketSilenceLimit))
                return value
            }
            .flatMapErrorThrowing { error in
                channel.close(promise: nil)
                throw error
            }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}
