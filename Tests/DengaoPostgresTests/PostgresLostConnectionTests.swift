import DengaoCore
import DengaoPostgres
import Foundation
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
            let outcome = try await LostConnection.terminated(
                whileWaitingOn: "SELECT id FROM contest WHERE id = \(contest) FOR NO KEY UPDATE", schema: schema
            ) {
                try await store.writeJournal([
                    .contest(JournalEntry(contestId: contest, seq: 1, at: 1_000, input: .kick(seat: 1))),
                    .contest(
                        JournalEntry(contestId: contest, seq: 2, at: 2_000, input: .command(.next), status: .live)),
                ])
            }
            LostConnection.expectUnavailable(outcome)
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
            let outcome = try await LostConnection.terminated(
                whileWaitingOn: "SELECT id FROM member WHERE number = '001' FOR UPDATE", schema: schema
            ) {
                try await store.updateMember(number: "001", MemberChanges(name: "李四", unitId: other))
            }
            LostConnection.expectUnavailable(outcome)
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
}
