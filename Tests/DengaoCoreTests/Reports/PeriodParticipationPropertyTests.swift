import Foundation
import Testing

@testable import DengaoCore

/// The organization's report counts with arrays; `Participation.daily` is the rule as campaigns count it. On
/// generated organizations (random trees, moves and deactivations at random moments, midnights included, a zone
/// with daylight saving among them) both must give every group the same members on every day, and a week must
/// equal the rule applied to its last day with the week's activity.
@Suite struct PeriodParticipationPropertyTests {
    @Test func theReportCountsAsTheCampaignsRuleOnGeneratedOrganizations() {
        for seed in UInt64(0)..<120 {
            var random = SeededGenerator(seed: 0xBEEF, seed)
            var units: [OrgUnit] = []
            for raw in Int64(1)...Int64.random(in: 2...14, using: &random) {
                let parent: UnitID? =
                    raw == 1 || Int.random(in: 0..<6, using: &random) == 0
                    ? nil : UnitID(Int64.random(in: 1..<raw, using: &random))
                units.append(OrgUnit(id: UnitID(raw), parentId: parent, name: "单位\(raw)"))
            }
            let tree = OrgTree(units)
            let owner = Bool.random(using: &random) ? nil : units.randomElement(using: &random)!.id
            let leaves = tree.depthFirst(from: owner).filter { tree.children(of: $0.unit.id).isEmpty }.map(\.unit.id)
            // Sometimes only some of the leaves are listed: the rest count in their units' direct groups.
            let branches = Bool.random(using: &random) ? leaves : leaves.filter { _ in Bool.random(using: &random) }
            let zone = TimeZone(identifier: Bool.random(using: &random) ? "Asia/Shanghai" : "America/New_York")!
            let first = CampaignDay("2026-03-02")!  // a Monday; New York changes clocks on 2026-03-08
            let days = ReportPeriod.days(first, CampaignDay("2026-03-29")!)
            let calendar = CampaignCalendar(timeZone: zone, first: first, last: days.last!)
            let start = calendar.end(of: first) - 86_400_000
            let end = calendar.end(of: days.last!)
            func moment() -> Int64 {
                // Now and then exactly a midnight, or the last millisecond before one.
                let day = days.randomElement(using: &random)!
                switch Int.random(in: 0..<4, using: &random) {
                case 0: return calendar.end(of: day)
                case 1: return calendar.end(of: day) - 1
                default: return Int64.random(in: start..<end, using: &random)
                }
            }

            var placements: [Participation.Placement] = [], spans: [Participation.ActiveSpan] = []
            var activity: [(memberId: MemberID, day: CampaignDay)] = []
            for member in Int64(1)...Int64.random(in: 1...40, using: &random) {
                // A member's placements follow one another without overlap; so do their active spans.
                var cuts = (0..<Int.random(in: 0...3, using: &random)).map { _ in moment() }.sorted()
                cuts = [start - 86_400_000 * Int64.random(in: 0...2, using: &random)] + cuts
                for (index, since) in cuts.enumerated() {
                    let until = index + 1 < cuts.count ? cuts[index + 1] : nil
                    placements.append(
                        Participation.Placement(
                            memberId: MemberID(member), unitId: units.randomElement(using: &random)!.id, since: since,
                            until: until))
                }
                var spanCuts = (0..<Int.random(in: 0...2, using: &random) * 2).map { _ in moment() }.sorted()
                spanCuts = [start - 1] + spanCuts
                for index in stride(from: 0, to: spanCuts.count, by: 2) {
                    spans.append(
                        Participation.ActiveSpan(
                            memberId: MemberID(member), since: spanCuts[index],
                            until: index + 1 < spanCuts.count ? spanCuts[index + 1] : nil))
                }
                for day in days where Int.random(in: 0..<5, using: &random) == 0 {
                    activity.append((MemberID(member), day))
                }
            }
            let history = Participation.History(people: [:], placements: placements, activeSpans: spans)
            let subtree = owner.map { Set(tree.subtreeIds(of: $0)) }
            let report = PeriodParticipation(
                periods: ReportPeriod.split(days.first!, days.last!, by: .day), timeZone: zone, history: history,
                activity: activity,
                owner: owner, branches: branches, tree: tree)
            let rule = Participation.daily(
                days: days, calendar: calendar, history: history, within: subtree, attempts: activity,
                branches: branches, tree: tree)
            expectSame(report, report.periods, rule, seed: seed)

            // Weeks: the rule applied to each week's last day, with the week's activity filed under it.
            let weeks = ReportPeriod.split(days.first!, days.last!, by: .week)
            let weekly = PeriodParticipation(
                periods: weeks, timeZone: zone, history: history, activity: activity, owner: owner,
                branches: branches, tree: tree)
            let filed = activity.map { entry in
                (memberId: entry.memberId, day: weeks.first { $0.first <= entry.day && entry.day <= $0.last }!.last)
            }
            let weeklyRule = Participation.daily(
                days: weeks.map(\.last), calendar: calendar, history: history, within: subtree, attempts: filed,
                branches: branches, tree: tree)
            expectSame(weekly, weekly.periods, weeklyRule, seed: seed)
            let overallRule = Participation.daily(
                days: [days.last!], calendar: calendar, history: history, within: subtree,
                attempts: activity.map { ($0.memberId, days.last!) }, branches: branches, tree: tree)
            expectSame(weekly, [weekly.overall], overallRule, seed: seed)
        }
    }

    func expectSame(
        _ report: PeriodParticipation, _ figures: [PeriodParticipation.Figures], _ rule: [Participation.Row],
        seed: UInt64
    ) {
        let counted = figures.flatMap { period in
            period.groups.enumerated().map { index, group in
                "\(period.period.last) \(group.unitId)\(group.direct ? "d" : "") \(report.members(of: index, in: period)) \(report.members(of: index, in: period, tookPart: true))"
            }
        }
        let expected = rule.map { row in
            "\(row.day) \(row.unitId)\(row.direct ? "d" : "") \(row.roster.sorted()) \(row.participants.sorted())"
        }
        #expect(counted == expected, "seed \(seed)")
        for period in figures {
            let rolled = Participation.rollUp(rule.filter { $0.day == period.period.last }, tree: OrgTree([]))
            #expect(period.total == rolled.total, "seed \(seed)")
        }
    }
}
