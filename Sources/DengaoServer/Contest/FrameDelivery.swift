import NIOCore
import Synchronization

/// Writes the outboxes of one event loop's connections in batches: one hop onto the loop per batch, not a task and
/// a hop per connection and frame.
///
/// A broadcast to ten thousand phones used to start ten thousand writer tasks, each awaiting the journal and then
/// `WebSocketOutboundWriter.write` (a hop onto the connection's loop and back per frame, and a flush per frame).
/// Here an outbox with something to send joins its loop's batch; the batch waits once for the journal to hold the
/// newest frame's ticket, then runs on the loop and lets each outbox write what it has with `Channel.write` and flush
/// once. The swift-websocket writer has no batched write, and `NIOAsyncChannelOutboundWriter.write(contentsOf:)`
/// batches one connection's frames, not many connections', hence this.
final class FrameDelivery: Sendable {
    private struct Batch {
        var outboxes: [Outbox] = []
        /// The newest ticket any frame in the batch waits for, per journal (one journal per server; tests run several).
        var tickets: [(journal: Journal, ticket: Journal.Ticket)] = []
        var scheduled = false

        mutating func wait(for ticket: Journal.Ticket, in journal: Journal) {
            if let index = tickets.firstIndex(where: { $0.journal === journal }) {
                tickets[index].ticket = max(tickets[index].ticket, ticket)
            } else {
                tickets.append((journal, ticket))
            }
        }
    }

    let loop: any EventLoop
    private let batch = Mutex(Batch())

    private init(loop: any EventLoop) { self.loop = loop }

    private static let registry = Mutex<[ObjectIdentifier: FrameDelivery]>([:])

    /// The delivery of `loop`'s connections (made on first use; a server has one per event loop for its life).
    static func on(_ loop: any EventLoop) -> FrameDelivery {
        registry.withLock { registry in
            if let delivery = registry[ObjectIdentifier(loop)] { return delivery }
            let delivery = FrameDelivery(loop: loop)
            registry[ObjectIdentifier(loop)] = delivery
            return delivery
        }
    }

    /// Puts `outbox` in the next batch, to be written once `journal` holds `ticket`.
    func enqueue(_ outbox: Outbox, waitingFor ticket: Journal.Ticket, in journal: Journal) {
        // The tickets are read under the same lock that starts the batch: read later, they could already include
        // those of outboxes that joined meanwhile.
        let awaited = batch.withLock { batch -> [(journal: Journal, ticket: Journal.Ticket)]? in
            batch.outboxes.append(outbox)
            batch.wait(for: ticket, in: journal)
            defer { batch.scheduled = true }
            return batch.scheduled ? nil : batch.tickets
        }
        guard let awaited else { return }
        if journal.isDurable(ticket) {
            loop.execute { self.run() }
        } else {
            // The batch waits for the commit once; the outboxes joining meanwhile are written after the same hop.
            // It waits for the tickets the batch needed when it started, not for those joining later: during an
            // answer surge a new answer joins during every commit, and chasing the newest ticket held every
            // acknowledgement until the surge ended. A frame whose commit is still to come when the batch runs
            // puts its outbox in the next batch (`Outbox.drain`). The journal's thread schedules the run on the
            // loop itself, with no task woken in between.
            runWhenDurable(awaited[...])
        }
    }

    /// Runs the batch on the loop once every ticket in `tickets` is committed, or at the first failed commit.
    private func runWhenDurable(_ tickets: ArraySlice<(journal: Journal, ticket: Journal.Ticket)>) {
        guard let (journal, ticket) = tickets.first else {
            loop.execute { self.run() }
            return
        }
        journal.whenDurable(ticket) { result in
            switch result {
            case .success: self.runWhenDurable(tickets.dropFirst())
            case .failure: self.loop.execute { self.run(commitFailed: true) }
            }
        }
    }

    /// On the loop: every outbox in the batch writes what it can; those that join from now on form the next batch.
    /// After a failed commit each outbox meeting an unsaved frame handles it alone (`Outbox.drain`).
    private func run(commitFailed: Bool = false) {
        let outboxes = batch.withLock { batch -> [Outbox] in
            batch.scheduled = false
            batch.tickets = []
            defer { batch.outboxes = [] }
            return batch.outboxes
        }
        for outbox in outboxes { outbox.drain(commitFailed: commitFailed) }
    }
}
