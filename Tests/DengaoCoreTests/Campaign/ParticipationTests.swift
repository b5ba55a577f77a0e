import Foundation
import Testing

@testable import DengaoCore

/// Participation per group and day, against the roster of each day: the reported cases and the rule's edges.
@Suite struct ParticipationTests {
    // 党委 (1) ─ 一支部 (2) ─ 一支部一组 (4)
    //          └ 二支部 (3)
    let tree = OrgTree([
        OrgUnit(id: 1, parentId: nil, name: "党委"), OrgUnit(id: 2, parentId: 1, name: "一支部"),
        OrgUnit(id: 3, parentId: 1, name: "二支部"), OrgUnit(id: 4, parentId: 2, name: "一支部一组"),
    ])
    let calendar = CampaignCalendar(
        timeZone: TimeZone(identifier: "Asia/Shanghai")!, first: CampaignDay("2026-07-01")!,
        last: CampaignDay("2026-07-31")!)

    /// The start of the day in Shanghai plus some hours.
    func at(_ day: String, hour: Int) -> Int64 {
        calendar.end(of: CampaignDay(day)!) - 86_400_000 + Int64(hour) * 3_600_000
    }

    func day(_ text: String) -> CampaignDay { CampaignDay(text)! }

    /// Rows by "day unit" (a direct group's key ends in "direct").
    func rows(
        through last: String, placements: [Participation.Placement], active: [Participation.ActiveSpan],
        attempts: [(memberId: MemberID, day: CampaignDay)], branches: [UnitID] = [2, 3], owner: UnitID? = 1
    ) -> [String: Participation.Row] {
        let history = Participation.History(people: [:], placements: placements, activeSpans: active)
        let rows = Participation.daily(
            days: calendar.days(through: day(last)), calendar: calendar, history: history,
            within: owner.map { Set(tree.subtreeIds(of: $0)) },
            attempts: attempts, branches: branches, tree: tree)
        return Dictionary(
            rows.map { ("\($0.day) \($0.unitId)\($0.direct ? " direct" : "")", $0) },
            uniquingKeysWith: { first, _ in first })
    }

    func alwaysActive(_ members: MemberID...) -> [Participation.ActiveSpan] {
        members.map { Participation.ActiveSpan(memberId: $0, since: 0, until: nil) }
    }

    @Test func eachDayCountsTheRosterOfThatDayAndWhoTookPart() {
        let placements = [
            Participation.Placement(memberId: 10, unitId: 2, since: 0, until: nil),
            Participation.Placement(memberId: 11, unitId: 4, since: 0, until: nil),  // a sub-unit rolls up into 一支部
            // Member 12 moves from 二支部 to 一支部 on the morning of day 2.
            Participation.Placement(memberId: 12, unitId: 3, since: 0, until: at("2026-07-02", hour: 9)),
            Participation.Placement(memberId: 12, unitId: 2, since: at("2026-07-02", hour: 9), until: nil),
            // Member 13 joins 二支部 only on day 2.
            Participation.Placement(memberId: 13, unitId: 3, since: at("2026-07-02", hour: 12), until: nil),
        ]
        let byKey = rows(
            through: "2026-07-02", placements: placements, active: alwaysActive(10, 11, 12, 13),
            attempts: [
                (10, day("2026-07-01")), (10, day("2026-07-01")), (12, day("2026-07-01")), (12, day("2026-07-02")),
            ])
        #expect(byKey.count == 4, "two branches a day, nobody placed directly on 党委")

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

    /// The reported case: a member moved on a day they climbed counted as a participant in the old branch and as
    /// absent in the new one. They count once, as a participant of the branch they end the day in.
    @Test func aMemberMovedOnADayTheyClimbedCountsOnceInTheBranchTheyEndTheDayIn() {
        let placements = [
            Participation.Placement(memberId: 10, unitId: 3, since: 0, until: at("2026-07-01", hour: 15)),
            Participation.Placement(memberId: 10, unitId: 2, since: at("2026-07-01", hour: 15), until: nil),
            Participation.Placement(memberId: 11, unitId: 3, since: 0, until: nil),
        ]
        // Member 10 climbed at 09:00 in 二支部, then was moved to 一支部 at 15:00.
        let byKey = rows(
            through: "2026-07-01", placements: placements, active: alwaysActive(10, 11),
            attempts: [(10, day("2026-07-01"))])
        let old = byKey["2026-07-01 3"]!, new = byKey["2026-07-01 2"]!
        #expect(old.roster == [11])
        #expect(old.participants.isEmpty)
        #expect(new.roster == [10])
        #expect(new.participants == [10])
        #expect(new.absent.isEmpty)
        #expect(old.roster.count + new.roster.count == 2, "two members, two places on the rosters")
    }

    /// The reported case: a member set inactive (停用) still counted on the day's roster. They count only on the
    /// days they end active; a reactivation brings them back from that day.
    @Test func aMemberCountsOnlyOnTheDaysTheyEndActive() {
        let placements = [
            Participation.Placement(memberId: 10, unitId: 2, since: 0, until: nil),
            Participation.Placement(memberId: 11, unitId: 2, since: 0, until: nil),
        ]
        let active = [
            // Member 10 climbs on days 1 and 2, is deactivated at 20:00 on day 2 and reactivated on day 4.
            Participation.ActiveSpan(memberId: 10, since: 0, until: at("2026-07-02", hour: 20)),
            Participation.ActiveSpan(memberId: 10, since: at("2026-07-04", hour: 8), until: nil),
            Participation.ActiveSpan(memberId: 11, since: 0, until: nil),
        ]
        let byKey = rows(
            through: "2026-07-04", placements: placements, active: active,
            attempts: [(10, day("2026-07-01")), (10, day("2026-07-02")), (10, day("2026-07-04"))])
        #expect(byKey["2026-07-01 2"]!.roster == [10, 11])
        #expect(byKey["2026-07-01 2"]!.participants == [10])
        // Deactivated the day they climbed: not counted that day, as the board (which drops them at once) shows it.
        #expect(byKey["2026-07-02 2"]!.roster == [11])
        #expect(byKey["2026-07-02 2"]!.participants.isEmpty)
        #expect(byKey["2026-07-03 2"]!.roster == [11])
        #expect(byKey["2026-07-04 2"]!.roster == [10, 11])
        #expect(byKey["2026-07-04 2"]!.participants == [10])
    }

    @Test func aChangeAtMidnightCountsForTheDayItStartsAndNotTheOneBefore() {
        let midnight = calendar.end(of: day("2026-07-01"))
        let placements = [
            Participation.Placement(memberId: 10, unitId: 3, since: 0, until: midnight),
            Participation.Placement(memberId: 10, unitId: 2, since: midnight, until: nil),
            Participation.Placement(memberId: 11, unitId: 3, since: 0, until: nil),
        ]
        let active = alwaysActive(10) + [Participation.ActiveSpan(memberId: 11, since: 0, until: midnight - 1)]
        let byKey = rows(through: "2026-07-02", placements: placements, active: active, attempts: [])
        #expect(
            byKey["2026-07-01 3"]!.roster == [10], "member 11 was deactivated at 23:59:59.999, the day's last moment")
        #expect(byKey["2026-07-01 2"]!.roster.isEmpty)
        #expect(byKey["2026-07-02 2"]!.roster == [10])
        #expect(byKey["2026-07-02 3"]!.roster.isEmpty)
    }

    @Test func membersOutsideTheSubtreeOrAboveTheBranchesCountWhereTheRuleSays() {
        // Owner 党委 (1) with branches 一支部 and 二支部; member 10 is placed on 党委 itself, 11 in 二支部, 12 outside.
        let outside = OrgUnit(id: 9, parentId: nil, name: "别的党委")
        let tree = OrgTree([
            OrgUnit(id: 1, parentId: nil, name: "党委"), OrgUnit(id: 2, parentId: 1, name: "一支部"),
            OrgUnit(id: 3, parentId: 1, name: "二支部"), outside,
        ])
        let history = Participation.History(
            people: [:],
            placements: [
                Participation.Placement(memberId: 10, unitId: 1, since: 0, until: nil),
                Participation.Placement(memberId: 11, unitId: 3, since: 0, until: nil),
                Participation.Placement(memberId: 12, unitId: 9, since: 0, until: nil),
            ],
            activeSpans: [10, 11, 12].map { Participation.ActiveSpan(memberId: $0, since: 0, until: nil) })
        let rows = Participation.daily(
            days: [day("2026-07-01")], calendar: calendar, history: history,
            within: Set(tree.subtreeIds(of: 1)),
            attempts: [(10, day("2026-07-01")), (12, day("2026-07-01"))], branches: [2, 3], tree: tree)
        #expect(rows.map(\.unitId) == [2, 3, 1])
        #expect(rows.map(\.direct) == [false, false, true])
        #expect(rows[2].roster == [10])
        #expect(rows[2].participants == [10])
        #expect(!rows.contains { $0.roster.contains(12) }, "outside the campaign's subtree")
        let (units, total) = Participation.rollUp(rows, tree: tree)
        #expect(units[1] == Participation.Tally(roster: 2, participants: 1))
        #expect(total == Participation.Tally(roster: 2, participants: 1))
        #expect(Participation.unitsAboveBranches(owner: 1, branches: [2, 3], tree: tree) == [1])
    }

    @Test func aDayEndsAtMidnightInTheCampaignsZone() {
        // Shanghai is UTC+8: 2026-07-01 ends at 2026-07-01T16:00:00Z.
        #expect(calendar.end(of: day("2026-07-01")) == 1_782_921_600_000)
        #expect(calendar.day(of: calendar.end(of: day("2026-07-01")) - 1).description == "2026-07-01")
        #expect(calendar.day(of: calendar.end(of: day("2026-07-01"))).description == "2026-07-02")
        #expect(Participation.moment(of: day("2026-07-01"), in: calendar) == 1_782_921_600_000 - 1)
        // The overall roster is the last day's once the campaign is over, today's while it runs.
        let lastMoment = Participation.moment(of: day("2026-07-31"), in: calendar)
        #expect(Participation.overallMoment(today: day("2026-08-15"), in: calendar) == lastMoment)
        #expect(
            Participation.overallMoment(today: day("2026-07-10"), in: calendar)
                == Participation.moment(of: day("2026-07-10"), in: calendar))
    }
}
