import DengaoCore
import DengaoPostgres
import Foundation
import Testing

/// The participation report's activity queries and a contest's result sheets through `any Storage`, on both backends
/// (SQLite's `ActivityQueryTests` check its query plans).
@Suite struct ActivityContractTests {
    @Test(arguments: StorageBackend.available) func eachMemberAndDayOnceWithinTheRangeAndContestJoinsByMoment(
        _ backend: StorageBackend
    ) async throws {
        try await backend.withStorage { store in
            let (_, questions) = try await JournalContractTests.contest(store)
            let unit = try await store.createUnit(name: "一支部", parentId: nil).id
            var members: [MemberID] = []
            for number in 1...3 {
                members.append(
                    try await store.addMember(number: "M\(number)", name: "党员\(number)", unitId: unit).id)
            }
            let campaign = try await store.createCampaign(
                NewCampaign(
                    ownerUnitId: nil, createdById: nil,
                    settings: CampaignSettings(
                        title: "登高", startDate: "2026-10-01", endDate: "2026-12-31", banks: ["题库"]),
                    seed: 1, displayTokenHash: "h"))
            let attempts: [(Int, Int, String)] = [
                (0, 1, "2026-11-01"), (0, 2, "2026-11-01"), (0, 3, "2026-11-02"), (1, 1, "2026-10-31"),
                (2, 1, "2026-11-30"), (2, 2, "2026-12-01"),
            ]
            try await store.writeJournal(
                attempts.map { member, seq, day in
                    .campaign(
                        .started(
                            StartedAttempt(
                                ref: AttemptRef(campaignId: campaign.id, memberId: members[member], seq: seq),
                                unitId: unit, level: 1,
                                day: CampaignDay(day)!, seed: 1, questionIds: [questions[0]], startedAt: 0)))
                })
            let activity = try await store.campaignActivity(
                from: CampaignDay("2026-11-01")!, through: CampaignDay("2026-11-30")!)
            let pairs = Set(activity.map { "\($0.memberId) \($0.day)" })
            #expect(activity.count == 3)
            #expect(pairs == ["\(members[0]) 2026-11-01", "\(members[0]) 2026-11-02", "\(members[2]) 2026-11-30"])

            let contest = try await store.createContest(ContestContractTests.new(questions))
            let seats: [(Int, MemberID?, Int64)] = [
                (1, members[0], 1_000), (2, nil, 1_500), (3, members[1], 2_000), (4, members[2], 2_999),
            ]
            try await store.writeJournal(
                seats.enumerated().map { index, seat in
                    .contest(
                        JournalEntry(
                            contestId: contest.id, seq: Int64(index + 1), at: seat.2,
                            input: .join(
                                Seat(
                                    id: seat.0, branchId: unit, name: "某",
                                    memberId: seat.1))))
                })
            let joins = try await store.contestActivity(from: 1_000, until: 2_999)
            #expect(
                joins.map(\.memberId).sorted() == [members[0], members[1]],
                "members only, the start included and the end excluded")
            #expect(joins.map(\.at).sorted() == [1_000, 2_000])

            let (summary, sheets) = try await store.contestResultSheets(
                contest.id, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
            #expect(summary.id == contest.id)
            // The standings name each member by number and each seat's branch by its path, read from the store.
            let cells = Set(sheets.flatMap { $0.rows.flatMap { $0 } })
            #expect(cells.isSuperset(of: [.text("M1"), .text("M2"), .text("M3"), .text("一支部")]))
        }
    }
}
