import NIOCore

/// A connection's queue of encoded frames. The room puts frames in without waiting (fan-out to ten thousand
/// phones must not wait on any one of them); the connection's own task writes them out in order.
struct Outbox: Sendable {
    let continuation: AsyncStream<ByteBuffer>.Continuation

    /// A phone that stops reading is cut off rather than allowed to grow the server's memory; it resumes its seat
    /// on reconnecting.
    static let capacity = 256

    static func make() -> (Outbox, AsyncStream<ByteBuffer>) {
        let (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self, bufferingPolicy: .bufferingOldest(capacity))
        return (Outbox(continuation: continuation), stream)
    }

    /// False when the queue was full or closed.
    @discardableResult
    func send(_ frame: ByteBuffer) -> Bool {
        if case .enqueued = continuation.yield(frame) { return true }
        continuation.finish()
        return false
    }

    func close() { continuation.finish() }
}
