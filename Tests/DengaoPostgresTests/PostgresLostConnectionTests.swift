import DengaoCore
import DengaoPostgres
import Foundation
import PostgresNIO
import Synchronization
import Testing

/// A connection lost mid-commit on a real PostgreSQL: the write is not acknowledged (it throws a clear
/// `StorageError.unavailable`, a 503 at the server, none of the driver's words), leaves nothing of its transaction
/// behind, and the store's next write commits on a fresh connection.
@Suite(.postgres) struct PostgresLostConnectionTests {
    @Test func aJournalBatchLosingItsConnectionThrowsAndLeavesNothing() async throws {
        try await TestDatabase.withStore { store, schema in
            let (contest, _) = try await JournalContractTests.contest(store)
            // Another session holds the contest row (but not its key, so inserting events that reference it is not
            // blocked): the journal's transaction inserts its event, then waits on the status update.
            let outcome = try await Self.terminated(
                whileWaitingOn: "SELECT id FROM contest WHERE id = \(contest) FOR NO KEY UPDATE", schema: schema
            ) {
                try await store.writeJournal([
                    .contest(JournalEntry(contestId: contest, seq: 1, at: 1_000, input: .kick(seat: 1))),
                    .contest(
                        JournalEntry(contestId: contest, seq: 2, at: 2_000, input: .command(.next), status: .live)),
                ])
            }
            Self.expectUnavailable(outcome)
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

    /// A roster write (under the roster lock, with its placement and the counter) losing its connection: the member
    /// is as before, the roster counter is not bumped, and the same change then commits.
    @Test func aRosterWriteLosingItsConnectionThrowsAndLeavesNothing() async throws {
        try await TestDatabase.withStore { store, schema in
            let (unit, _) = try await JournalContractTests.unitAndMember(store)
            let other = try await store.createUnit(name: "第二党支部", parentId: nil).id
            let counted = store.rosterChanges.current
            let outcome = try await Self.terminated(
                whileWaitingOn: "SELECT id FROM member WHERE number = '001' FOR UPDATE", schema: schema
            ) {
                try await store.updateMember(number: "001", MemberChanges(name: "李四", unitId: other))
            }
            Self.expectUnavailable(outcome)
            let unchanged = try await store.member(number: "001")
            #expect(unchanged.member.name == "张三" && unchanged.member.unit.id == unit)
            #expect(unchanged.history.count == 1, "no placement closed or opened")
            #expect(store.rosterChanges.current == counted, "nothing committed, nothing counted")
            _ = try await store.updateMember(number: "001", MemberChanges(name: "李四", unitId: other))
            let changed = try await store.member(number: "001")
            #expect(changed.member.name == "李四" && changed.member.unit.id == other && changed.history.count == 2)
            #expect(store.rosterChanges.current == counted + 1)
        }
    }

    /// Expects the storage boundary's "unavailable", in words, of a write whose connection was lost.
    static func expectUnavailable<T>(_ outcome: Result<T, any Error>) {
        #expect(throws: StorageError.self) { try outcome.get() }
        if case .failure(let error as StorageError) = outcome {
            #expect(error.category == .unavailable)
            #expect(error.description.hasPrefix("数据库暂时无法访问"))
            #expect(!error.description.contains("PSQLError"))
        }
    }

    /// Runs `write` while another session holds the rows `lockSQL` locks, terminates the write's backend once it
    /// waits on them (`pg_terminate_backend`, found through `pg_blocking_pids`; bounded: 30 s on a loaded machine),
    /// and returns how `write` ended. The holding session is rolled back whatever happens.
    static func terminated<T: Sendable>(
        whileWaitingOn lockSQL: String, schema: String, _ write: @escaping @Sendable () async throws -> T
    ) async throws -> Result<T, any Error> {
        try await TestDatabase.withAdmin(schema: schema) { admin in
            try await admin.withConnection { blocker in
                try await blocker.query("BEGIN", logger: .init(label: "test"))
                try await blocker.query("\(unescaped: lockSQL)", logger: .init(label: "test"))
                let blockerPid = try await blocker.query("SELECT pg_backend_pid()", logger: .init(label: "test"))
                    .collect()[0].decode(Int32.self)
                let task = Task { try await write() }
                do {
                    var victim: Int32?
                    let deadline = ContinuousClock.now + .seconds(30)
                    while victim == nil, ContinuousClock.now < deadline {
                        victim = try await admin.query(
                            "SELECT pid FROM pg_stat_activity WHERE \(blockerPid) = ANY(pg_blocking_pids(pid))"
                        ).collect().first?.decode(Int32.self)
                        if victim == nil { try await Task.sleep(for: .milliseconds(20)) }
                    }
                    let pid = try #require(victim, "the write never waited on the held rows")
                    _ = try await admin.query("SELECT pg_terminate_backend(\(pid))").collect()
                    let outcome = try #require(
                        await Self.within(.seconds(30)) { await task.result },
                        "the write did not return within 30 s of its connection being terminated")
                    try await blocker.query("ROLLBACK", logger: .init(label: "test"))
                    return outcome
                } catch {
                    try await blocker.query("ROLLBACK", logger: .init(label: "test"))
                    _ = await task.result
                    throw error
                }
            }
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
