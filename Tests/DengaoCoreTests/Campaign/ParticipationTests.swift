import Foundation
import Testing
@testable import DengaoCore

/// Participation per branch and day, against the roster of each day.
@Suite struct ParticipationTests {
    // 党委 (1) ─ 一支部 (2) ─ 一支部一组 (4)
    //          └ 二支部 (3)
    let tree = OrgTree([
        OrgUnit(id: 1, parentId: nil, name: "党委"), OrgUnit(id: 2, parentId: 1, name: "一支部"),
        OrgUnit(id: 3, parentId: 1, name: "二支部"), OrgUnit(id: 4, parentId: 2, name: "一支部一组"),
    ])
    let calendar = CampaignCalendar(timeZone: TimeZone(identifier: "Asia/Shanghai")!, first: CampaignDay("2026-07-01")!, last: CampaignDay("2026-07-31")!)

    func at(_ day: String, hour: Int) -> Int64 {
        // The start of the day in Shanghai plus some hours.
        let day = CampaignDay(day)!
        return calendar.end(of: day) - 86_400_000 + Int64(hour) * 3_600_000
    }

    @Test func eachDayCountsTheRosterOfThatDayAndWhoTookPart() {
        let days = calendar.days(through: CampaignDay("2026-07-02")!)
        #expect(days.map(\.description) == ["2026-07-01", "2026-07-02"])
        let placements = [
            Participation.Placement(memberId: 10, unitId: 2, since: 0, until: nil),
            Participation.Placement(memberId: 11, unitId: 4, since: 0, until: nil),  // a sub-unit rolls up into 一支部
            // Member 12 moves from 二支部 to 一支部 on the morning of day 2.
            Participation.Placement(memberId: 12, unitId: 3, since: 0, until: at("2026-07-02", hour: 9)),
            Participation.Placement(memberId: 12, unitId: 2, since: at("2026-07-02", hour: 9), until: nil),
            // Member 13 joins 二支部 only on day 2.
            Participation.Placement(memberId: 13, unitId: 3, since: at("2026-07-02", hour: 12), until: nil),
        ]
        let attempts: [(memberId: Int64, unitId: Int64, day: CampaignDay)] = [
            (10, 2, CampaignDay("2026-07-01")!), (10, 2, CampaignDay("2026-07-01")!), (12, 3, CampaignDay("2026-07-01")!),
            (12, 2, CampaignDay("2026-07-02")!),
        ]
        let rows = Participation.daily(
            days: days, endOfDay: calendar.end(of:), placements: placements, attempts: attempts, branches: [2, 3], tree: tree)
        let byKey = Dictionary(rows.map { ("\($0.day) \($0.branchId)", $0) }, uniquingKeysWith: { first, _ in first })

        let first1 = byKey["2026-07-01 2"]!, first2 = byKey["2026-07-01 3"]!
        #expect(first1.roster == [10, 11])
        #expect(first1.participants == [10])
        #expect(first1.absent == [11])
        #expect(first1.rate == 0.5)
        #expect(first2.roster == [12])
        #expect(first2.participants == [12])

        let second1 = byKey["2026-07-02 2"]!, second2 = byKey["2026-07-02 3"]!
        #expect(second1.roster == [10, 11, 12])
        #expect(second1.participants == [12])
        #expect(second2.roster == [13])
        #expect(second2.participants.isEmpty)
        #expect(second2.rate == 0)
    }

    @Test func aDayEndsAtMidnightInTheCampaignsZone() {
        // Shanghai is UTC+8: 2026-07-01 ends at 2026-07-01T16:00:00Z.
        #expect(calendar.end(of: CampaignDay("2026-07-01")!) == 1_782_921_600_000)
        #expect(calendar.day(of: calendar.end(of: CampaignDay("2026-07-01")!) - 1).description == "2026-07-01")
        #expect(calendar.day(of: calendar.end(of: CampaignDay("2026-07-01")!)).description == "2026-07-02")
    }
}
