import DengaoCore
import DengaoStorage
import Foundation
import Synchronization
import Testing

@testable import DengaoServer

/// A reveal's entry is durable, and its frames may leave, without waiting for the question's points rows: the
/// journal commits the points in a transaction of their own after it. Here that transaction is held until the test
/// releases it, so an entry that waited for the points (as every reveal did when the points rode in its
/// transaction) would never become durable while it is held.
@Suite struct RevealPointsJournalTests {
    /// Real SQLite underneath; a batch holding a reveal's points waits for `release` before it is written.
    final class HeldPoints: JournalStorage {
        let store: SQLiteStorage
        let batches = Mutex<[[JournalRecord]]>([])
        private let released: AsyncStream<Void>
        let release: AsyncStream<Void>.Continuation

        init(_ store: SQLiteStorage) {
            self.store = store
            (released, release) = AsyncStream.makeStream(of: Void.self)
        }

        func writeJournal(_ records: [JournalRecord]) async throws {
            batches.withLock { $0.append(records) }
            if records.contains(where: \.startsTransaction) {
                for await _ in released { break }
            }
            try await store.writeJournal(records)
        }
    }

    @Test func aRevealsEntryIsDurableWhileItsPointsAreStillBeingWritten() async throws {
        let (store, contest) = try JournalTests().storeWithContest()
        let storage = HeldPoints(SQLiteStorage(store))
        let journal = Journal(storage: storage)
        async let running: Void = journal.run()
        // The question, its reveal's entry, then its points, appended together as the room does.
        journal.append(JournalEntry(contestId: contest, seq: 1, at: 0, input: .command(.next)))
        let reveal = journal.append(JournalEntry(contestId: contest, seq: 2, at: 10, input: .command(.reveal)))
        let points = journal.append(.revealedPoints(contestId: contest, RevealedPoints(number: 1, points: [1: 900])))
        let after = journal.append(JournalEntry(contestId: contest, seq: 3, at: 20, input: .command(.pause)))

        // Bounded: an entry waiting for the held points would never be durable here.
        for _ in 0..<1_000 where !journal.isDurable(reveal) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(journal.isDurable(reveal))
        #expect(!journal.isDurable(points) && !journal.isDurable(after))
        #expect(try store.journal(ofContest: contest).map(\.seq) == [1, 2])

        storage.release.yield()
        try await journal.durable(after)
        #expect(try store.journal(ofContest: contest).map(\.seq) == [1, 2, 3])
        // However the writer's wakes fell, the points began a transaction and what followed joined them.
        let batches = storage.batches.withLock { $0 }
        #expect(batches.allSatisfy { batch in batch.dropFirst().allSatisfy { !$0.startsTransaction } })
        #expect(batches.last?.first?.startsTransaction == true)
        journal.finish()
        await running
    }
}
