import Dispatch
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import Synchronization

/// A connection as the room sees it: a queue of encoded frames and when the client was last heard from.
///
/// The room puts frames in without waiting (fan-out to ten thousand phones must not wait on any one of them).
/// A writer task exists only while frames are pending, and at most one at a time, so frames go out in order and
/// an idle connection holds no task at all: a parked writer per connection (and WSCore's auto-ping task, which
/// is off for the same reason) cost about 3 KiB each, a tenth of a connection's memory at ten thousand phones.
final class Outbox: Sendable {
    private struct State {
        var queue: [ByteBuffer] = []
        var head = 0
        var writing = false
        var closed = false
        var closeSent = false

        var pending: Int { queue.count - head }

        /// Marks the writer as running; true when the caller must start it.
        mutating func claimWriter() -> Bool {
            defer { writing = true }
            return !writing
        }
    }

    /// A phone that stops reading is cut off rather than allowed to grow the server's memory; it resumes its seat
    /// on reconnecting.
    static let capacity = 256

    private let state = Mutex(State())
    private let outbound: WebSocketOutboundWriter
    private let lastHeard = Atomic<Int64>(Outbox.uptimeMilliseconds())

    init(outbound: WebSocketOutboundWriter) { self.outbound = outbound }

    /// Queues a frame. False when the queue was full (the connection is then closed) or already closed.
    @discardableResult
    func send(_ frame: ByteBuffer) -> Bool {
        let (accepted, startWriter) = state.withLock { state -> (Bool, Bool) in
            if state.closed { return (false, false) }
            if state.pending >= Self.capacity {
                state.closed = true
                return (false, state.claimWriter())
            }
            state.queue.append(frame)
            return (true, state.claimWriter())
        }
        if startWriter { startWriting() }
        return accepted
    }

    /// Sends what is queued, then closes the connection.
    func close() {
        let startWriter = state.withLock { state -> Bool in
            state.closed = true
            return state.claimWriter()
        }
        if startWriter { startWriting() }
    }

    // MARK: - Liveness

    /// Called for every message the client sends.
    func heard() { lastHeard.store(Self.uptimeMilliseconds(), ordering: .relaxed) }

    /// How long the client has been silent.
    var silentMilliseconds: Int64 { Self.uptimeMilliseconds() - lastHeard.load(ordering: .relaxed) }

    /// A monotonic clock: liveness must not jump with the wall clock.
    private static func uptimeMilliseconds() -> Int64 { Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000) }

    // MARK: - Writing

    private enum Next { case frame(ByteBuffer), close, done }

    /// Unstructured on purpose: the writer outlives the call that queued its first frame and ends as soon as
    /// the queue is empty; `claimWriter` guarantees there is only ever one per connection.
    private func startWriting() {
        Task { await self.write() }
    }

    private func write() async {
        while true {
            switch nextStep() {
            case .frame(let frame):
                do {
                    try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: frame)))
                } catch {
                    // The client is gone: nothing more to write; the reading side ends the connection.
                    state.withLock { state in
                        state.closed = true
                        state.queue = []
                        state.head = 0
                    }
                }
            case .close:
                try? await outbound.close(.normalClosure, reason: nil)
            case .done:
                return
            }
        }
    }

    private func nextStep() -> Next {
        state.withLock { state -> Next in
            if state.pending > 0 {
                let frame = state.queue[state.head]
                state.head += 1
                if state.pending == 0 {
                    // Drained: give the memory back rather than keep a burst's capacity for the connection's life.
                    state.queue = []
                    state.head = 0
                }
                return .frame(frame)
            }
            if state.closed, !state.closeSent {
                state.closeSent = true
                return .close
            }
            state.writing = false
            return .done
        }
    }
}
