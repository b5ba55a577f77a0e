import DengaoCore
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import Synchronization

/// A connection as the room sees it: a queue of encoded frames and when the client was last heard from.
///
/// Nothing leaves before what it shows is on disk. Each frame is queued with the journal's latest ticket at that
/// moment — every change decided before the frame was composed — and the writer holds it until the journal has
/// committed that ticket: a reveal, a closed window, a finish or an acknowledgement reaches no one until a crash
/// can no longer take it back. One rule here covers every message and every sender (host commands, the clock,
/// answers, kicks, refusals), no sender can forget it, and the queue keeps each connection's frames in the order
/// they were decided. When nothing is waiting to be written (most of the time) a frame goes at once.
///
/// The room puts frames in without waiting (fan-out to ten thousand phones must not wait on any one of them).
/// The outbox then joins its event loop's next batch (`FrameDelivery`), which waits once for the journal and, on
/// the loop, has it write every frame it holds with `Channel.write` and one flush. A connection whose socket is full
/// (a phone that stopped reading) gets a writer task instead, which awaits `WebSocketOutboundWriter.write` — it
/// waits for the socket to drain, the queue meanwhile fills to `capacity` and the connection is cut — so a slow
/// phone holds up no one. At most one drainer (a batch's turn on the loop or that task) owns the queue at a time,
/// so frames go out in order, and an idle connection holds no task at all: a parked writer per connection (and
/// WSCore's auto-ping task, which is off for the same reason) cost about 3 KiB each.
final class Outbox: Sendable {
    /// A frame and the journal ticket it waits for (0: it shows nothing that needs to be on disk).
    private struct Queued {
        let frame: OutgoingFrame
        let ticket: Journal.Ticket
        /// When the answer this frame acknowledges arrived, for the answer → acknowledgement histogram.
        var answeredAt: ContinuousClock.Instant? = nil
    }

    private struct State {
        var queue: [Queued] = []
        var head = 0
        /// A drainer owns the queue: the loop's batch running it, or the writer task.
        var writing = false
        /// In its loop's next batch already.
        var scheduled = false
        var closed = false
        var closeSent = false
        /// Set by `closeForRestart`: the close frame says 1001 (going away) and the seat is kept.
        var restarting = false

        var pending: Int { queue.count - head }

        /// Marks the outbox as joining its loop's batch; true when the caller must enqueue it. A drainer at work
        /// will see the new frame itself.
        mutating func claimBatch() -> Bool {
            if writing || scheduled { return false }
            scheduled = true
            return true
        }
    }

    /// What the drainer does next.
    private enum Step {
        case write(Queued)
        /// The next frame's ticket is not committed yet: into the batch that waits for it.
        case wait(Journal.Ticket)
        /// The socket is full, a commit failed, or the close is due: the writer task takes over.
        case handOver
        case done
    }

    /// A phone that stops reading is cut off rather than allowed to grow the server's memory; it resumes its seat
    /// on reconnecting.
    static let capacity = 256

    private let state = Mutex(State())
    private let outbound: WebSocketOutboundWriter
    private let journal: Journal
    private let delivery: FrameDelivery
    /// Liveness is on the server's clock (its monotonic reading), so a test moves it instead of waiting.
    private let clock: any ServerClock
    private let lastHeard: Atomic<Int64>
    /// The connection's channel: frames are written to it directly on its loop, and it is cut off when a client
    /// does not answer a restart's close frame.
    private let channel: any Channel
    /// Whether the close frame has gone out (or could not: the client was gone).
    private let closeFinished = Atomic(false)

    init(outbound: WebSocketOutboundWriter, journal: Journal, clock: any ServerClock, channel: any Channel) {
        self.outbound = outbound
        self.journal = journal
        delivery = FrameDelivery.on(channel.eventLoop)
        self.clock = clock
        self.channel = channel
        lastHeard = Atomic(clock.uptimeMilliseconds())
    }

    /// Queues a frame, to leave once the journal holds everything appended to it so far. False when the queue was
    /// full (the connection is then closed) or already closed.
    @discardableResult
    func send(_ frame: ByteBuffer) -> Bool { send(OutgoingFrame(frame), answeredAt: nil) }

    /// Queues a frame with a personal part, joined to it when it is written (`OutgoingFrame`).
    @discardableResult
    func send(_ frame: OutgoingFrame) -> Bool { send(frame, answeredAt: nil) }

    /// Queues the acknowledgement of an answer that arrived at `answeredAt`: its time to leave is measured.
    @discardableResult
    func send(_ frame: ByteBuffer, answeredAt: ContinuousClock.Instant?) -> Bool {
        send(OutgoingFrame(frame), answeredAt: answeredAt)
    }

    private func send(_ frame: OutgoingFrame, answeredAt: ContinuousClock.Instant?) -> Bool {
        let ticket = journal.lastAppended
        let (accepted, schedule) = state.withLock { state -> (Bool, Bool) in
            if state.closed { return (false, false) }
            if state.pending >= Self.capacity {
                state.closed = true
                return (false, state.claimBatch())
            }
            state.queue.append(Queued(frame: frame, ticket: ticket, answeredAt: answeredAt))
            return (true, state.claimBatch())
        }
        if schedule { delivery.enqueue(self, waitingFor: ticket, in: journal) }
        return accepted
    }

    /// Sends what is queued, then closes the connection.
    func close() {
        let schedule = state.withLock { state -> Bool in
            state.closed = true
            return state.claimBatch()
        }
        if schedule { delivery.enqueue(self, waitingFor: 0, in: journal) }
    }

    /// The server is shutting down: sends what is queued (each frame still waits for its commit), then closes with
    /// 1001 and a reason the pages show while they reconnect; the seat stays theirs to resume on the next start. A
    /// client that has not completed the close handshake `restartGrace` later is cut off, so one phone that lost
    /// its network cannot hold the shutdown past its deadline.
    func closeForRestart() {
        let schedule = state.withLock { state -> Bool in
            if !state.closed { state.restarting = true }
            state.closed = true
            return state.claimBatch()
        }
        if schedule { delivery.enqueue(self, waitingFor: 0, in: journal) }
    }

    /// Whether the close frame is out (or the client was already gone); for the shutdown to wait on.
    var isCloseFinished: Bool { closeFinished.load(ordering: .acquiring) }

    /// How long a client has to answer a restart's close frame before its connection is cut.
    static let restartGrace = TimeAmount.seconds(2)
    /// The close frame's reason on a restart (at most 123 bytes of UTF-8).
    static let restartReason = "服务器重启，请稍候重连 (server restarting; reconnect)"

    // MARK: - Liveness

    /// Called for every message the client sends.
    func heard() { lastHeard.store(clock.uptimeMilliseconds(), ordering: .relaxed) }

    /// How long the client has been silent.
    var silentMilliseconds: Int64 { clock.uptimeMilliseconds() - lastHeard.load(ordering: .relaxed) }

    // MARK: - Writing

    /// On the channel's loop, from a batch: writes every committed frame while the socket takes them, then flushes
    /// once. Frames not yet committed go into the batch that waits for them; a full socket, a failed commit or the
    /// close hands the queue to the writer task.
    func drain(commitFailed: Bool) {
        let owned = state.withLock { state -> Bool in
            state.scheduled = false
            if state.writing { return false }
            state.writing = true
            return true
        }
        guard owned else { return }
        var wrote = false
        defer { if wrote { channel.flush() } }
        while true {
            switch nextBatchStep(commitFailed: commitFailed) {
            case .write(let queued):
                channel.write(WebSocketFrame(fin: true, opcode: .text, data: queued.frame.bytes), promise: nil)
                wrote = true
                if let answeredAt = queued.answeredAt {
                    journal.metrics.answerAcknowledged.record(ContinuousClock.now - answeredAt)
                }
            case .wait(let ticket):
                delivery.enqueue(self, waitingFor: ticket, in: journal)
                return
            case .handOver:
                startWriting()
                return
            case .done:
                return
            }
        }
    }

    private func nextBatchStep(commitFailed: Bool) -> Step {
        state.withLock { state -> Step in
            if state.pending > 0 {
                let queued = state.queue[state.head]
                if !journal.isDurable(queued.ticket) {
                    if commitFailed { return .handOver }
                    state.writing = false
                    state.scheduled = true
                    return .wait(queued.ticket)
                }
                if !channel.isWritable { return .handOver }
                state.head += 1
                if state.pending == 0 {
                    // Drained: give the memory back rather than keep a burst's capacity for the connection's life.
                    state.queue = []
                    state.head = 0
                }
                return .write(queued)
            }
            if state.closed, !state.closeSent { return .handOver }
            state.writing = false
            return .done
        }
    }

    /// Unstructured on purpose: the writer outlives the batch that handed it the queue and ends as soon as the queue
    /// is empty; the `writing` claim it inherits guarantees there is only ever one drainer per connection.
    private func startWriting() {
        Task { await self.write() }
    }

    private enum Next { case frame(Queued), close(restarting: Bool), done }

    private func write() async {
        while true {
            switch nextStep() {
            case .frame(let queued):
                if !journal.isDurable(queued.ticket) {
                    do {
                        try await journal.durable(queued.ticket)
                    } catch {
                        // What this frame shows may never reach the disk (a failed commit, or the server stopping
                        // first): it must not be shown. The client is told to try again and reconnects.
                        discardQueue()
                        try? await outbound.write(
                            .custom(WebSocketFrame(fin: true, opcode: .text, data: Self.notSaved)))
                        continue
                    }
                }
                do {
                    try await outbound.write(
                        .custom(WebSocketFrame(fin: true, opcode: .text, data: queued.frame.bytes)))
                    if let answeredAt = queued.answeredAt {
                        journal.metrics.answerAcknowledged.record(ContinuousClock.now - answeredAt)
                    }
                } catch {
                    // The client is gone: nothing more to write; the reading side ends the connection.
                    discardQueue()
                }
            case .close(let restarting):
                if restarting {
                    try? await outbound.close(.goingAway, reason: Self.restartReason)
                    let channel = self.channel
                    channel.eventLoop.scheduleTask(in: Self.restartGrace) { channel.close(promise: nil) }
                } else {
                    try? await outbound.close(.normalClosure, reason: nil)
                }
                closeFinished.store(true, ordering: .releasing)
            case .done:
                return
            }
        }
    }

    /// Drops what is queued and closes: after this only the close frame goes out.
    private func discardQueue() {
        state.withLock { state in
            state.closed = true
            state.queue = []
            state.head = 0
        }
    }

    private static let notSaved = FrameEncoder.encode(
        .error(.init(code: "not-saved", message: "未能保存，请稍后重试 (not saved: the server could not store it; try again)")))

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
                return .close(restarting: state.restarting)
            }
            state.writing = false
            return .done
        }
    }
}
