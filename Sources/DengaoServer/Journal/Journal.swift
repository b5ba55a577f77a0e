import DengaoCore
import Foundation
import Synchronization

/// The write path of live contests and campaigns: records are appended in order, synchronously, by the
/// contests' and campaigns' actors, and written by one loop with group commit — everything that arrived while
/// one transaction was being committed goes into the next. A thousand answers in the same second then cost a
/// handful of fsyncs, and each caller waits only for the commit that carries its record before acknowledging it.
public final class Journal: Sendable {
    /// Orders entries across all contests; a caller waits for its ticket to be durable.
    public typealias Ticket = UInt64

    public enum Mode: Sendable {
        /// Everything pending goes into one transaction.
        case groupCommit
        /// One transaction per entry: the naive way, kept for the benchmark's comparison.
        case oneTransactionPerEntry
    }

    /// Who is told when a ticket is committed: a suspended task, or a callback run on the journal's thread.
    private enum Waiter {
        case task(CheckedContinuation<Void, any Error>)
        case callback(@Sendable (Result<Void, any Error>) -> Void)

        func resume(with result: Result<Void, any Error>) {
            switch self {
            case .task(let continuation): continuation.resume(with: result)
            case .callback(let callback): callback(result)
            }
        }
    }

    private struct State {
        var pending: [JournalRecord] = []
        var nextTicket: Ticket = 1
        var durableTicket: Ticket = 0
        var waiters: [(ticket: Ticket, waiter: Waiter)] = []
        var failure: (any Error)?
        var stopped = false
        var transactions = 0
    }

    /// Where batches are written: any backend, through the one call the journal needs.
    private let storage: any JournalStorage
    private let mode: Mode
    /// Time spent before each commit, for crash tests only: a slow commit widens the window between deciding a
    /// change and its being on disk, so a test can kill the server inside it every time instead of by luck.
    private let commitDelay: Duration
    /// The server's metrics: batch sizes and commit times here, and for the rooms and outboxes that write through
    /// this journal (they reach the server's metrics through it).
    public let metrics: ServerMetrics
    private let state = Mutex(State())
    /// The highest ticket on disk and the highest handed out, readable without the lock: outboxes ask them for
    /// every frame they send.
    private let durableMark = Atomic<Ticket>(0)
    private let appendedMark = Atomic<Ticket>(0)
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>

    public init(
        storage: any JournalStorage, mode: Mode = .groupCommit, commitDelay: Duration = .zero,
        metrics: ServerMetrics = ServerMetrics()
    ) {
        self.storage = storage
        self.metrics = metrics
        self.mode = mode
        self.commitDelay = commitDelay
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a contest's input; records are written in the order they were appended. Never blocks.
    @discardableResult
    public func append(_ entry: JournalEntry) -> Ticket { append(.contest(entry)) }

    /// Queues a change to a campaign attempt.
    @discardableResult
    public func append(_ change: CampaignChange) -> Ticket { append(.campaign(change)) }

    @discardableResult
    public func append(_ record: JournalRecord) -> Ticket {
        let ticket = state.withLock { state in
            state.pending.append(record)
            appendedMark.store(state.nextTicket, ordering: .releasing)
            defer { state.nextTicket += 1 }
            return state.nextTicket
        }
        wake.yield()
        return ticket
    }

    /// The ticket of the latest entry appended: waiting for it waits for everything decided so far.
    public var lastAppended: Ticket { appendedMark.load(ordering: .acquiring) }

    /// Whether the entry with `ticket` (and every earlier one) is committed. Ticket 0 stands for "nothing": always.
    public func isDurable(_ ticket: Ticket) -> Bool { ticket <= durableMark.load(ordering: .acquiring) }

    /// Returns once the entry with `ticket` (and every earlier one) is committed; throws if its commit failed.
    public func durable(_ ticket: Ticket) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome: Result<Void, any Error>? = state.withLock { state in
                if ticket <= state.durableTicket { return .success(()) }
                if let failure = state.failure { return .failure(failure) }
                if state.stopped { return .failure(JournalStopped()) }
                state.waiters.append((ticket, .task(continuation)))
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    /// Calls `callback` once the entry with `ticket` is committed (or its commit failed), on the journal's thread or
    /// at once: for a caller that only needs to hop elsewhere (an event loop) without a task of its own in between.
    /// The callback must be quick and must not wait for the journal.
    public func whenDurable(_ ticket: Ticket, _ callback: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        let outcome: Result<Void, any Error>? = state.withLock { state in
            if ticket <= state.durableTicket { return .success(()) }
            if let failure = state.failure { return .failure(failure) }
            if state.stopped { return .failure(JournalStopped()) }
            state.waiters.append((ticket, .callback(callback)))
            return nil
        }
        if let outcome { callback(outcome) }
    }

    /// The writing loop; runs for the life of the server and, when cancelled, writes what is pending before it returns.
    public func run() async {
        for await _ in wakes {
            await writePending()
            if Task.isCancelled { break }
        }
        await writePending()
        let waiting = state.withLock { state in
            state.stopped = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiting in waiting { waiting.waiter.resume(with: .failure(JournalStopped())) }
    }

    /// Transactions committed so far; with group commit, far fewer than entries under load.
    public var transactionCount: Int { state.withLock { $0.transactions } }

    /// Stops the loop after writing what is pending.
    public func finish() { wake.finish() }

    private func writePending() async {
        while true {
            let batch: [JournalRecord] = state.withLock { state in
                // After a failed commit nothing more is written: a later entry replayed without an earlier one
                // could rebuild a contest that never was. Every waiter is told instead.
                if state.failure != nil { state.pending = []; return [] }
                switch mode {
                case .groupCommit:
                    // Up to the next record that starts a transaction of its own (a reveal's points): the reveal's
                    // entry commits first, alone if it must, and its frames go while the points are written.
                    let end =
                        state.pending.indices.dropFirst().first { state.pending[$0].startsTransaction }
                        ?? state.pending.endIndex
                    defer { state.pending.removeFirst(end) }
                    return Array(state.pending[..<end])
                case .oneTransactionPerEntry:
                    return state.pending.isEmpty ? [] : [state.pending.removeFirst()]
                }
            }
            guard !batch.isEmpty else { return }
            let result: Result<Void, any Error>
            do {
                if commitDelay > .zero { try? await Task.sleep(for: commitDelay) }
                let started = ContinuousClock.now
                try await storage.writeJournal(batch)
                metrics.journalCommit.record(ContinuousClock.now - started)
                metrics.journalBatchSize.record(batch.count)
                result = .success(())
            } catch {
                metrics.journalCommitFailures.increment()
                result = .failure(error)
            }
            let released = state.withLock { state in
                let last = state.durableTicket + UInt64(batch.count)
                state.transactions += 1
                if case .failure(let error) = result {
                    state.failure = error
                } else {
                    state.durableTicket = last
                    durableMark.store(last, ordering: .releasing)
                }
                let failed = state.failure != nil
                let (done, waiting) = state.waiters.partitioned { failed || $0.ticket <= last }
                state.waiters = waiting
                return done
            }
            for released in released { released.waiter.resume(with: result) }
        }
    }
}

/// The journal was shut down before an entry could be written.
public struct JournalStopped: Error, CustomStringConvertible {
    public var description: String { "the server is shutting down" }
}

extension Array {
    fileprivate func partitioned(_ isFirst: (Element) -> Bool) -> ([Element], [Element]) {
        var first: [Element] = [], second: [Element] = []
        for element in self { if isFirst(element) { first.append(element) } else { second.append(element) } }
        return (first, second)
    }
}
