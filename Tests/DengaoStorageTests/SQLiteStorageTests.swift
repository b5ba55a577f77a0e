import DengaoCore
import DengaoStorage
import Foundation
import Testing

/// The SQLite backend through the `Storage` protocols, as the server sees it: the same answers as `Store`'s own
/// synchronous methods, refusals as `StorageError`, streams whose body runs while the caller waits.
@Suite struct SQLiteStorageTests {
    @Test func streamsGiveWhatTheStoreGivesAndEndOnTheBodysError() async throws {
        let f = try await ReportQueryTests.fixture()
        let storage: any Storage = SQLiteStorage(f.store)
        var contest: [AnswerFacts] = []
        try await storage.contestAnswerFacts(contest: f.contestId) { contest.append($0) }
        var direct: [AnswerFacts] = []
        try f.store.contestAnswerFacts(contest: f.contestId) { direct.append($0) }
        #expect(contest == direct && contest.count == 6)

        var bank: [AnswerFacts] = []
        try await storage.bankAnswerFacts(bank: f.bankId) { bank.append($0) }
        #expect(Set(bank) == Set(try f.store.bankResponses(bank: f.bankId).map(AnswerFacts.init)))

        struct Enough: Error {}
        var seen = 0
        await #expect(throws: Enough.self) {
            try await storage.campaignAnswerFacts(campaign: f.campaignId) { _ in
                seen += 1
                if seen == 2 { throw Enough() }
            }
        }
        #expect(seen == 2)
    }

    @Test func refusalsArriveAsStorageErrorsAndChangeNothing() async throws {
        let f = try await ReportQueryTests.fixture()
        let storage: any Storage = SQLiteStorage(f.store)
        await #expect(throws: StorageError.bankNotFound("没有")) { try await storage.bank(named: "没有") }
        await #expect(throws: StorageError.unitNotFound(9_999)) {
            try await storage.addMember(number: "X1", name: "甲", unitId: 9_999)
        }
        #expect(try f.store.memberUnit(number: "X1") == nil)
        #expect(await storage.isHealthy())
        #expect(try await storage.appliedMigrations() == (try f.store.appliedMigrations()))
    }

    /// A roster write through the protocol has bumped the counter by the time it returns (campaigns re-read by it).
    @Test func aRosterWriteBumpsRosterChangesBeforeItReturns() async throws {
        let f = try await ReportQueryTests.fixture()
        let storage: any Storage = SQLiteStorage(f.store)
        let before = storage.rosterChanges.current
        try await storage.addMember(number: "R1", name: "乙", unitId: f.units.0)
        #expect(storage.rosterChanges.current == before + 1)
        _ = try await storage.banks()
        #expect(storage.rosterChanges.current == before + 1)
    }

    /// The token maker the caller passes is lent to the pool's thread and let go of every time (a kept closure traps
    /// `withoutActuallyEscaping`; the first version of this conformance did, under the bulk-invitation tests).
    @Test func bulkInvitationsLendTheTokenMakerAndLetItGo() async throws {
        let f = try await ReportQueryTests.fixture()
        let storage: any Storage = SQLiteStorage(f.store)
        for round in 0..<100 {
            let selection = MemberSelection(unitId: f.units.0, includeSubunits: true, numbers: nil)
            let (created, _) = try await storage.inviteUninvited(selection, createdBy: nil, limit: 10) {
                let token = UUID().uuidString
                return (token, "hash-\(round)-" + token)
            }
            #expect(created.count == 1)
            #expect(try await storage.revokeInvitations(selection) == 1)
        }
    }
}
