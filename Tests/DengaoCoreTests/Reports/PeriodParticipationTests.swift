import Foundation
import Testing

@testable import DengaoCore

/// Periods of a report, and the organization's participation counted period by period by the campaigns' rule.
@Suite struct PeriodParticipationTests {
    func day(_ text: String) -> CampaignDay { CampaignDay(text)! }

    @Test func weeksRunMondayToSundayAndTheEndsAreCutToTheRange() {
        // 2026-11-04 is a Wednesday; 2026-11-09 and 2026-11-16 are Mondays.
        let weeks = ReportPeriod.split(day("2026-11-04"), day("2026-11-18"), by: .week)
        #expect(
            weeks.map { "\($0.first)…\($0.last)" } == [
                "2026-11-04…2026-11-08", "2026-11-09…2026-11-15", "2026-11-16…2026-11-18",
            ])
        #expect(weeks[1].label == "2026-11-09～11-15")
    }

    @Test func monthsAndQuartersFollowTheCalendarAcrossAYearEnd() {
        let months = ReportPeriod.split(day("2026-11-20"), day("2027-02-03"), by: .month)
        #expect(months.map(\.label) == ["2026-11", "2026-12", "2027-01", "2027-02"])
        #expect(months[0].first == day("2026-11-20") && months[3].last == day("2027-02-03"))
        #expect(months[2].last == day("2027-01-31"))
        let quarters = ReportPeriod.split(day("2026-08-15"), day("2027-04-01"), by: .quarter)
        #expect(quarters.map(\.label) == ["2026年第3季度", "2026年第4季度", "2027年第1季度", "2027年第2季度"])
        #expect(quarters[1].first == day("2026-10-01") && quarters[1].last == day("2026-12-31"))
        #expect(quarters[2].last == day("2027-03-31"))
    }

    @Test func daysCrossALeapDayAndABackwardRangeIsEmpty() {
        #expect(
            ReportPeriod.split(day("2028-02-28"), day("2028-03-01"), by: .day).map(\.label) == [
                "2028-02-28", "2028-02-29", "2028-03-01",
            ])
        #expect(ReportPeriod.split(day("2026-03-02"), day("2026-03-01"), by: .day).isEmpty)
        #expect(ReportPeriod.dayCount(day("2026-01-01"), day("2026-12-31")) == 365)
        #expect(ReportPeriod.dayCount(day("2026-01-02"), day("2026-01-01")) == 0)
    }

    @Test func theDaysOfARangeStopAtTheBound() {
        #expect(ReportPeriod.days(day("2000-01-01"), day("2099-12-31")).count == ReportPeriod.maximumDays)
    }

    // 党委 (1) ─ 一支部 (2)
    //          └ 二支部 (3)
    let tree = OrgTree([
        OrgUnit(id: 1, parentId: nil, name: "党委"), OrgUnit(id: 2, parentId: 1, name: "一支部"),
        OrgUnit(id: 3, parentId: 1, name: "二支部"),
    ])
    let zone = TimeZone(identifier: "Asia/Shanghai")!

    /// Shanghai's local `hour` on `day`, in epoch milliseconds.
    func at(_ text: String, hour: Int) -> Int64 {
        CampaignCalendar(timeZone: zone, first: day(text), last: day(text)).end(of: day(text)) - 86_400_000 + Int64(
            hour) * 3_600_000
    }

    @Test func aWeekCountsItsLastDaysRosterAndAnyActivityDuringIt() {
        let placements = [
            Participation.Placement(memberId: 10, unitId: 2, since: 0, until: nil),
            Participation.Placement(memberId: 11, unitId: 2, since: 0, until: nil),
            // 12 moves from 二支部 to 一支部 on Wednesday of the second week: that week he counts in 一支部.
            Participation.Placement(memberId: 12, unitId: 3, since: 0, until: at("2026-11-11", hour: 10)),
            Participation.Placement(memberId: 12, unitId: 2, since: at("2026-11-11", hour: 10), until: nil),
            Participation.Placement(memberId: 13, unitId: 3, since: 0, until: nil),
            // 14 sits on 党委 itself: the 直属 group.
            Participation.Placement(memberId: 14, unitId: 1, since: 0, until: nil),
        ]
        let active =
            [10, 11, 12, 14].map { Participation.ActiveSpan(memberId: $0, since: 0, until: nil) }
            // 13 is deactivated on the Friday of the second week: not on that week's roster, still on the first's.
            + [Participation.ActiveSpan(memberId: 13, since: 0, until: at("2026-11-13", hour: 15))]
        let history = Participation.History(people: [:], placements: placements, activeSpans: active)
        let activity: [(memberId: MemberID, day: CampaignDay)] = [
            (10, day("2026-11-03")), (10, day("2026-11-04")),  // twice in week 1: one participant
            (12, day("2026-11-05")),  // week 1, in 二支部 then
            (13, day("2026-11-10")),  // week 2, but gone by the week's end
            (14, day("2026-11-15")),  // Sunday, the last day of week 2
            (11, day("2026-10-30")),  // before the range: not counted anywhere
        ]
        let report = PeriodParticipation(
            periods: ReportPeriod.split(day("2026-11-02"), day("2026-11-15"), by: .week), timeZone: zone,
            history: history,
            activity: activity, owner: nil, branches: [2, 3], tree: tree)
        #expect(report.periods.count == 2)
        let week1 = groups(report, report.periods[0])
        #expect(week1[2]?.roster == [10, 11] && week1[2]?.participants == [10])
        #expect(week1[3]?.roster == [12, 13] && week1[3]?.participants == [12])
        #expect(week1[1]?.direct == true && week1[1]?.roster == [14] && week1[1]?.participants == [])
        #expect(report.periods[0].total == Participation.Tally(roster: 5, participants: 2))

        let week2 = groups(report, report.periods[1])
        #expect(week2[2]?.roster == [10, 11, 12] && week2[2]?.participants == [])
        #expect(week2[3]?.roster == [] && week2[3]?.participants == [])
        #expect(week2[1]?.participants == [14])
        #expect(report.periods[1].total == Participation.Tally(roster: 4, participants: 1))
        // The committee's figures are everyone's: its 直属 group plus both branches.
        #expect(report.periods[1].units[1] == Participation.Tally(roster: 4, participants: 1))
        #expect(report.periods[1].groups.map(\.unitId) == [2, 3, 1], "branches as listed, then the direct group")

        // The whole range: the roster at its end, and anything done on any of its days.
        let overall = groups(report, report.overall)
        #expect(overall[2]?.participants == [10, 12])
        #expect(overall[2]?.absent == [11])
        #expect(report.overall.total == Participation.Tally(roster: 4, participants: 3))
        #expect(report.overall.period.first == day("2026-11-02") && report.overall.period.last == day("2026-11-15"))
    }

    /// A group's members as the report lists them, by unit.
    struct Listed {
        let direct: Bool
        let roster: Set<MemberID>
        let participants: Set<MemberID>
        let absent: Set<MemberID>
    }

    func groups(_ report: PeriodParticipation, _ figures: PeriodParticipation.Figures) -> [UnitID: Listed] {
        var listed: [UnitID: Listed] = [:]
        for (index, group) in figures.groups.enumerated() {
            let entry = Listed(
                direct: group.direct, roster: Set(report.members(of: index, in: figures)),
                participants: Set(report.members(of: index, in: figures, tookPart: true)),
                absent: Set(report.members(of: index, in: figures, tookPart: false)))
            #expect(entry.roster.count == group.tally.roster && entry.participants.count == group.tally.participants)
            listed[group.unitId] = entry
        }
        return listed
    }

    @Test func aUnitsReportCountsOnlyItsSubtree() {
        let placements = [
            Participation.Placement(memberId: 10, unitId: 2, since: 0, until: nil),
            Participation.Placement(memberId: 13, unitId: 3, since: 0, until: nil),
        ]
        let history = Participation.History(
            people: [:], placements: placements,
            activeSpans: [10, 13].map { Participation.ActiveSpan(memberId: $0, since: 0, until: nil) })
        let report = PeriodParticipation(
            periods: ReportPeriod.split(day("2026-11-01"), day("2026-11-30"), by: .month), timeZone: zone,
            history: history,
            activity: [(10, day("2026-11-20")), (13, day("2026-11-20"))], owner: 3, branches: [3], tree: tree)
        #expect(report.periods.count == 1)
        #expect(report.periods[0].groups.map(\.unitId) == [3])
        #expect(report.periods[0].total == Participation.Tally(roster: 1, participants: 1))
        #expect(report.periods[0].units[2] == nil)
    }

    @Test func withoutListingPeriodsKeepTheirTalliesAndOnlyTheRangeListsMembers() {
        let placements = [10, 11].map { Participation.Placement(memberId: $0, unitId: 2, since: 0, until: nil) }
        let history = Participation.History(
            people: [:], placements: placements,
            activeSpans: [10, 11].map { Participation.ActiveSpan(memberId: $0, since: 0, until: nil) })
        func report(_ listing: Bool) -> PeriodParticipation {
            PeriodParticipation(
                periods: ReportPeriod.split(day("2026-11-01"), day("2026-11-03"), by: .day), timeZone: zone,
                history: history,
                activity: [(10, day("2026-11-02"))], owner: nil, branches: [2, 3], tree: tree, listingPeriods: listing)
        }
        let (listed, counted) = (report(true), report(false))
        #expect(listed.periods.map(\.total) == counted.periods.map(\.total))
        #expect(counted.periods[1].total == Participation.Tally(roster: 2, participants: 1))
        #expect(listed.members(of: 0, in: listed.periods[1], tookPart: false) == [11])
        #expect(counted.members(of: 0, in: counted.periods[1]).isEmpty, "no listing kept for a period")
        #expect(counted.members(of: 0, in: counted.overall, tookPart: false) == [11], "the range keeps its listing")
    }

    @Test func noPeriodsGiveAnEmptyReport() {
        let report = PeriodParticipation(
            periods: [], timeZone: zone, history: Participation.History(people: [:], placements: [], activeSpans: []),
            activity: [], owner: nil, branches: [], tree: tree)
        #expect(report.periods.isEmpty && report.overall.total == Participation.Tally())
    }
}
