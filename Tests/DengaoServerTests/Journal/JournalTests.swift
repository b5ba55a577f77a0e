import DengaoCore
import DengaoStorage
import Foundation
import Testing

@testable import DengaoServer

/// The journal on a real SQLite file: order, durability before acknowledgement, group commit, shutdown.
@Suite struct JournalTests {
    func storeWithContest() throws -> (Store, ContestID) {
        let store = try Store(
            directory: FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)")
                .path)
        _ = try store.importBank(
            named: "题库", questions: [Question(type: .single, stem: "题干", options: ["甲", "乙"], answer: .choices([0]))],
            format: .text, sourceName: nil)
        let ids = try store.latestQuestions(ofBanks: ["题库"]).map(\.id)
        let contest = try store.createContest(
            NewContest(
                ownerUnitId: nil, createdById: nil,
                settings: ContestSettings(
                    title: "t",
                    rounds: [RoundSettings(title: "r", kind: .everyone, banks: ["题库"], draw: DrawRule(count: 1))]),
                seed: 1, questionIds: [ids], displayTokenHash: "hash"))
        return (store, contest.id)
    }

    @Test func concurrentEntriesShareTransactionsAndKeepTheirOrder() async throws {
        let (store, contest) = try storeWithContest()
        let journal = Journal(storage: SQLiteStorage(store))
        async let running: Void = journal.run()
        let count = 500
        // Appends are ordered by the caller (one actor per contest in the server); waiting happens concurrently.
        let tickets = (1...count).map { seq in
            journal.append(JournalEntry(contestId: contest, seq: Int64(seq), at: Int64(seq), input: .kick(seat: seq)))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for ticket in tickets { group.addTask { try await journal.durable(ticket) } }
            try await group.waitForAll()
        }
        let stored = try store.journal(ofContest: contest)
        #expect(stored.map(\.seq) == (1...count).map(Int64.init))
        #expect(stored.last?.input == .kick(seat: count))
        #expect(journal.transactionCount < count / 5)
        journal.finish()
        await running
    }

    @Test func oneTransactionPerEntryIsTheNaiveBaseline() async throws {
        let (store, contest) = try storeWithContest()
        let journal = Journal(storage: SQLiteStorage(store), mode: .oneTransactionPerEntry)
        async let running: Void = journal.run()
        let tickets = (1...20).map { seq in
            journal.append(JournalEntry(contestId: contest, seq: Int64(seq), at: 0, input: .command(.pause)))
        }
        try await journal.durable(tickets.last!)
        #expect(journal.transactionCount == 20)
        journal.finish()
        await running
    }

    @Test func aFailedCommitAcknowledgesNothingAfterIt() async throws {
        let (store, contest) = try storeWithContest()
        let journal = Journal(storage: SQLiteStorage(store))
        async let running: Void = journal.run()
        let good = journal.append(JournalEntry(contestId: contest, seq: 1, at: 0, input: .command(.next)))
        try await journal.durable(good)
        // A duplicate sequence number violates the primary key: that commit fails, and so does everything after.
        let bad = journal.append(JournalEntry(contestId: contest, seq: 1, at: 0, input: .command(.next)))
        await #expect(throws: (any Error).self) { try await journal.durable(bad) }
        let later = journal.append(JournalEntry(contestId: contest, seq: 2, at: 0, input: .command(.next)))
        await #expect(throws: (any Error).self) { try await journal.durable(later) }
        #expect(try store.journal(ofContest: contest).count == 1)
        journal.finish()
        await running
    }

    @Test func aFailedEntryIsNeverReportedDurableEvenWhenAskedAfterTheFailure() async throws {
        let (store, contest) = try storeWithContest()
        let journal = Journal(storage: SQLiteStorage(store))
        async let running: Void = journal.run()
        let good = journal.append(JournalEntry(contestId: contest, seq: 1, at: 0, input: .command(.next)))
        try await journal.durable(good)
        #expect(journal.isDurable(good))
        let bad = journal.append(JournalEntry(contestId: contest, seq: 1, at: 0, input: .command(.next)))
        #expect(journal.lastAppended == bad)
        await #expect(throws: (any Error).self) { try await journal.durable(bad) }
        // Asked again once the failure is known (an outbox that reaches this frame late): still not on disk.
        #expect(!journal.isDurable(bad))
        await #expect(throws: (any Error).self) { try await journal.durable(bad) }
        journal.finish()
        await running
    }

    @Test func aSlowCommitHoldsItsTicketUntilItIsWritten() async throws {
        let (store, contest) = try storeWithContest()
        let journal = Journal(storage: SQLiteStorage(store), commitDelay: .milliseconds(200))
        async let running: Void = journal.run()
        let ticket = journal.append(JournalEntry(contestId: contest, seq: 1, at: 0, input: .command(.next)))
        // Not durable while the commit is held back, and not on disk either.
        #expect(!journal.isDurable(ticket))
        #expect(try store.journal(ofContest: contest).isEmpty)
        try await journal.durable(ticket)
        #expect(journal.isDurable(ticket))
        #expect(try store.journal(ofContest: contest).count == 1)
        journal.finish()
        await running
    }

    @Test func anEntryCarriesTheContestStatusIntoTheSameTransaction() async throws {
        let (store, contest) = try storeWithContest()
        let journal = Journal(storage: SQLiteStorage(store))
        async let running: Void = journal.run()
        try await journal.durable(
            journal.append(JournalEntry(contestId: contest, seq: 1, at: 1_000, input: .command(.next), status: .live)))
        #expect(try store.contest(id: contest)?.status == .live)
        #expect(try store.liveContests().map(\.id) == [contest])
        try await journal.durable(
            journal.append(
                JournalEntry(contestId: contest, seq: 2, at: 2_000, input: .command(.finish), status: .finished)))
        let finished = try #require(try store.contest(id: contest))
        #expect(finished.status == .finished)
        #expect(finished.finishedAt == Date(timeIntervalSince1970: 2))
        // The PIN is free again once the finish is on disk.
        #expect(try store.contest(pin: finished.pin) == nil)
        journal.finish()
        await running
    }

    @Test func finishingWritesWhatIsPendingFirst() async throws {
        let (store, contest) = try storeWithContest()
        let journal = Journal(storage: SQLiteStorage(store))
        let ticket = journal.append(JournalEntry(contestId: contest, seq: 1, at: 0, input: .command(.next)))
        journal.finish()
        await journal.run()
        try await journal.durable(ticket)
        #expect(try store.journal(ofContest: contest).count == 1)
    }

    @Test func aBankAContestUsesCannotBeDeleted() throws {
        let (store, _) = try storeWithContest()
        #expect(throws: StorageError.bankInUse("题库")) {
            try store.deleteBank(named: "题库")
        }
    }
}
