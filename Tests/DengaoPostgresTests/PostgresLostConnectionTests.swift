import DengaoCore
import DengaoPostgres
import Foundation
import PostgresNIO
import Synchronization
import Testing

/// A connection lost mid-commit on a real PostgreSQL: the journal's write is not acknowledged, throws a clear
/// `StorageError.unavailable`, leaves nothing of its batch behind, and the store's next write commits.
@Suite(.postgres) struct PostgresLostConnectionTests {
    @Test func aConnectionLostBeforeTheCommitThrowsAndLeavesNothing() async throws {
        try await TestDatabase.withStore { store, schema in
            let (contest, _) = try await JournalContractTests.contest(store)
            try await TestDatabase.withAdmin(schema: schema) { admin in
                try await admin.withConnection { blocker in
                    // Another session holds the contest row (but not its key, so inserting events that reference it
                    // is not blocked): the journal's transaction inserts its event, then waits on the status update.
                    try await blocker.query("BEGIN", logger: .init(label: "test"))
                    try await blocker.query(
                        "SELECT id FROM contest WHERE id = \(contest) FOR NO KEY UPDATE", logger: .init(label: "test"))
                    let blockerPid = try await blocker.query("SELECT pg_backend_pid()", logger: .init(label: "test"))
                        .collect()[0].decode(Int32.self)
                    let write = Task {
                        try await store.writeJournal([
                            .contest(JournalEntry(contestId: contest, seq: 1, at: 1_000, input: .kick(seat: 1))),
                            .contest(
                                JournalEntry(
                                    contestId: contest, seq: 2, at: 2_000, input: .command(.next), status: .live)),
                        ])
                    }
                    // Find the journal's backend once it waits on the blocker (bounded: 30 s on a loaded machine), and
                    // terminate it mid-transaction. The blocker is rolled back whatever happens.
                    do {
                        var victim: Int32?
                        let deadline = ContinuousClock.now + .seconds(30)
                        while victim == nil, ContinuousClock.now < deadline {
                            victim = try await admin.query(
                                "SELECT pid FROM pg_stat_activity WHERE \(blockerPid) = ANY(pg_blocking_pids(pid))"
                            ).collect().first?.decode(Int32.self)
                            if victim == nil { try await Task.sleep(for: .milliseconds(20)) }
                        }
                        let pid = try #require(victim, "the journal's transaction never waited on the held row")
                        _ = try await admin.query("SELECT pg_terminate_backend(\(pid))").collect()
                        let outcome = try #require(
                            await Self.within(.seconds(30)) { await write.result },
                            "writeJournal did not return within 30 s of its connection being terminated")
                        // The storage boundary says "unavailable" (a 503 at the server), not the driver's words.
                        #expect(throws: StorageError.self) { try outcome.get() }
                        if case .failure(let error as StorageError) = outcome {
                            #expect(error.category == .unavailable)
                            #expect(error.description.hasPrefix("数据库暂时无法访问"))
                            #expect(!error.description.contains("PSQLError"))
                        }
                    } catch {
                        try await blocker.query("ROLLBACK", logger: .init(label: "test"))
                        _ = await write.result
                        throw error
                    }
                    try await blocker.query("ROLLBACK", logger: .init(label: "test"))
                }
            }
            // Nothing of the batch is there: not the event inserted before the wait, not the status.
            #expect(try await store.journal(ofContest: contest).isEmpty)
            #expect(try await store.contest(id: contest)?.status == .ready)
            // The pool replaces the lost connection: the next batch commits.
            try await store.writeJournal([
                .contest(JournalEntry(contestId: contest, seq: 1, at: 1_000, input: .kick(seat: 1)))
            ])
            #expect(try await store.journal(ofContest: contest).count == 1)
        }
    }

    /// `body`'s value, or nil if it has not returned after `limit` (then it is left running).
    static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async -> T) async -> T? {
        let result = Mutex<T?>(nil)
        let done = Task {
            let value = await body(); result.withLock { $0 = value }
        }
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let value = result.withLock({ $0 }) { return value }
            try? await Task.sleep(for: .milliseconds(20))
        }
        _ = done
        return result.withLock { $0 }
    }

}
