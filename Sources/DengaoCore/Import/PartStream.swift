import Foundation

/// Hands inflated chunks from the thread that inflates a part to the parser's input stream, a few at a time, so a
/// part is never held whole: ZIPFoundation pushes chunks to a closure while `XMLParser` pulls from an
/// `InputStream`, and a bounded hand-over between two threads is what joins a push to a pull.
///
/// `@unchecked Sendable`: every stored property is read and written only while `condition` is locked.
final class ChunkChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [Data] = []
    private var finished = false
    private var closed = false
    private let capacity: Int

    init(capacity: Int = 4) {
        self.capacity = capacity
    }

    /// Waits for room and queues `chunk`; false once the reader has closed the channel (stop inflating).
    func send(_ chunk: Data) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= capacity && !closed { condition.wait() }
        guard !closed else { return false }
        chunks.append(chunk)
        condition.broadcast()
        return true
    }

    /// The writer is done: the reader sees the end of the part once the queued chunks are read.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk, waiting for one; nil at the end of the part.
    func receive() -> Data? {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && !finished && !closed { condition.wait() }
        guard !chunks.isEmpty, !closed else { return nil }
        let chunk = chunks.removeFirst()
        condition.broadcast()
        return chunk
    }

    /// The reader is done (finished, failed or stopped early): a writer waiting for room gives up.
    func close() {
        condition.lock()
        closed = true
        chunks.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}

/// The reading end of a `ChunkChannel` as the `InputStream` that `XMLParser(stream:)` pulls from.
final class ChannelInputStream: InputStream {
    private let channel: ChunkChannel
    private var pending = Data()
    private var ended = false

    init(_ channel: ChunkChannel) {
        self.channel = channel
        super.init(data: Data())
    }

    override func open() {}
    override func close() {}
    override var hasBytesAvailable: Bool { !ended }
    override var streamStatus: Stream.Status { ended ? .atEnd : .open }
    override var streamError: Error? { nil }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength length: Int) -> Int {
        while pending.isEmpty {
            guard !ended, let next = channel.receive() else {
                ended = true
                return 0
            }
            pending = next
        }
        let count = min(length, pending.count)
        pending.copyBytes(to: buffer, count: count)
        pending = count == pending.count ? Data() : pending.subdata(in: pending.startIndex + count..<pending.endIndex)
        return count
    }
}
