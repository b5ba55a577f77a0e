import Foundation
import Testing

@testable import DengaoCore

/// `CampaignResults` counts a campaign's participation for its reports, its day view and its workbook; whatever
/// way it counts, every figure must be the one `Participation.daily` (the rule, as the results first counted it)
/// gives: each day's rows, each day's roll-up, the trend and the three participation sheets. Checked on a
/// hand-made campaign whose roster changes every way it can (moves, a move at midnight and one at a day's last
/// millisecond, leaving, rejoining, joining late, leaving the campaign's subtree) and on generated ones.
@Suite struct CampaignResultsCountingTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let calendar = CampaignCalendar(
        timeZone: zone, first: CampaignDay("2026-03-01")!, last: CampaignDay("2026-03-10")!)

    /// 1 committee ⊃ 2 general branch ⊃ {3, 4}, 1 ⊃ 5; 9 is another committee, outside the campaign's subtree.
    static let tree = OrgTree([
        OrgUnit(id: 1, parentId: nil, name: "委员会"), OrgUnit(id: 2, parentId: 1, name: "总支"),
        OrgUnit(id: 3, parentId: 2, name: "一支部"), OrgUnit(id: 4, parentId: 2, name: "二支部"),
        OrgUnit(id: 5, parentId: 1, name: "三支部"), OrgUnit(id: 9, parentId: nil, name: "外单位"),
    ])

    static func day(_ n: Int) -> CampaignDay { CampaignDay(year: 2026, month: 3, day: n) }
    /// A moment on day n of March: `hour` o'clock local time.
    static func at(_ n: Int, _ hour: Int) -> Int64 { calendar.end(of: day(n)) - 86_400_000 + Int64(hour) * 3_600_000 }

    @Test func aCampaignWithRosterChangesCountsAsTheRule() {
        let long = Self.at(1, 0) - 30 * 86_400_000
        var placements: [Participation.Placement] = []
        var spans: [Participation.ActiveSpan] = []
        func place(_ member: MemberID, _ unit: UnitID, _ since: Int64, _ until: Int64? = nil) {
            placements.append(.init(memberId: member, unitId: unit, since: since, until: until))
        }
        func active(_ member: MemberID, _ since: Int64, _ until: Int64? = nil) {
            spans.append(.init(memberId: member, since: since, until: until))
        }
        place(101, 3, long); active(101, long)
        place(102, 3, long, Self.at(3, 12)); place(102, 4, Self.at(3, 12)); active(102, long)  // moves on day 3
        place(103, 4, long); active(103, long, Self.at(4, 10))  // leaves on day 4
        place(104, 5, Self.at(3, 9)); active(104, Self.at(3, 9))  // joins on day 3
        place(105, 2, long); active(105, long)  // placed directly on the general branch
        place(106, 4, long, Self.at(5, 15)); place(106, 9, Self.at(5, 15)); active(106, long)  // leaves the subtree
        // away on days 2–3, back on day 4
        place(107, 3, long); active(107, long, Self.at(2, 8)); active(107, Self.at(4, 20))
        place(108, 1, long); active(108, long)  // directly on the committee, never climbs
        place(109, 3, long, Self.calendar.end(of: Self.day(3))); place(109, 5, Self.calendar.end(of: Self.day(3)))
        active(109, long)  // moves at the midnight that starts day 4
        place(110, 5, long, Self.calendar.end(of: Self.day(2)) - 1);
        place(110, 3, Self.calendar.end(of: Self.day(2)) - 1)
        active(110, long)  // moves at day 2's last millisecond
        let people = Dictionary(
            uniqueKeysWithValues: (Int64(101)...110).map {
                (MemberID($0), Participation.History.Person(number: "DG\($0)", name: "党员\($0)"))
            })
        let history = Participation.History(people: people, placements: placements, activeSpans: spans)
        let climbs: [(MemberID, Int)] = [
            (101, 1), (101, 2), (101, 5), (102, 3), (102, 4), (103, 2), (103, 4), (104, 3), (104, 6), (105, 1),
            (106, 2), (106, 5), (107, 1), (107, 4), (109, 3), (109, 4), (110, 2), (101, 5),
        ]
        let attempts = Self.attempts(climbs.map { (member: $0.0, day: Self.day($0.1), at: Self.at($0.1, 11)) })
        let results = Self.results(
            tree: Self.tree, history: history, attempts: attempts, owner: 1, branches: [3, 4, 5], today: Self.day(6))
        let rule = Self.rule(
            tree: Self.tree, history: history, attempts: attempts, owner: 1, branches: [3, 4, 5], today: Self.day(6))
        Self.expectSame(results, rule, "hand-made")

        // The reference is not empty: day 3 as the rule has it.
        let third = rule.filter { $0.day == Self.day(3) }
        #expect(third.map(\.unitId) == [3, 4, 5, 1, 2])
        #expect(third.map(\.roster) == [[101, 109, 110], [102, 103, 106], [104], [108], [105]])
        #expect(third.map(\.participants) == [[109], [102], [104], [], []])
        let fourth = rule.filter { $0.day == Self.day(4) }
        #expect(fourth.map(\.roster) == [[101, 107, 110], [102, 106], [104, 109], [108], [105]])
        #expect(fourth.map(\.participants) == [[107], [102], [109], [], []])
    }

    @Test func generatedCampaignsCountAsTheRule() {
        for seed in UInt64(0)..<60 {
            var random = SeededGenerator(seed: 0xC0DE, seed)
            var units: [OrgUnit] = []
            for number in Int64(1)...Int64.random(in: 2...12, using: &random) {
                let parent: UnitID? =
                    number == 1 || Int.random(in: 0..<6, using: &random) == 0
                    ? nil : UnitID(Int64.random(in: 1..<number, using: &random))
                units.append(OrgUnit(id: UnitID(number), parentId: parent, name: "单位\(number)"))
            }
            let tree = OrgTree(units)
            let owner = Bool.random(using: &random) ? nil : units.randomElement(using: &random)!.id
            let leaves = tree.depthFirst(from: owner).filter { tree.children(of: $0.unit.id).isEmpty }.map(\.unit.id)
            let branches = Bool.random(using: &random) ? leaves : leaves.filter { _ in Bool.random(using: &random) }
            let start = Self.at(1, 0) - 86_400_000, end = Self.calendar.end(of: Self.day(10))
            func moment() -> Int64 {
                let day = Self.day(Int.random(in: 1...10, using: &random))
                switch Int.random(in: 0..<4, using: &random) {
                case 0: return Self.calendar.end(of: day)
                case 1: return Self.calendar.end(of: day) - 1
                default: return Int64.random(in: start..<end, using: &random)
                }
            }
            var placements: [Participation.Placement] = [], spans: [Participation.ActiveSpan] = []
            var climbs: [(member: MemberID, day: CampaignDay, at: Int64)] = []
            var people: [MemberID: Participation.History.Person] = [:]
            for number in Int64(1)...Int64.random(in: 1...30, using: &random) {
                let member = MemberID(number)
                people[member] = .init(number: String(format: "N%03d", number), name: "党员\(number)")
                // Placements follow one another without overlap; so do active spans. Some join late.
                let joined = Bool.random(using: &random) ? start - 86_400_000 : moment()
                let cuts =
                    [joined]
                    + (0..<Int.random(in: 0...3, using: &random)).map { _ in moment() }.filter { $0 > joined }.sorted()
                for (index, since) in cuts.enumerated() {
                    placements.append(
                        .init(
                            memberId: member, unitId: units.randomElement(using: &random)!.id, since: since,
                            until: index + 1 < cuts.count ? cuts[index + 1] : nil))
                }
                let spanCuts =
                    [joined]
                    + (0..<Int.random(in: 0...2, using: &random) * 2).map { _ in moment() }.filter { $0 > joined }
                    .sorted()
                for index in stride(from: 0, to: spanCuts.count, by: 2) {
                    spans.append(
                        .init(
                            memberId: member, since: spanCuts[index],
                            until: index + 1 < spanCuts.count ? spanCuts[index + 1] : nil))
                }
                for n in 1...10 where Int.random(in: 0..<3, using: &random) == 0 {
                    climbs.append((member, Self.day(n), Self.at(n, Int.random(in: 0..<24, using: &random))))
                }
            }
            let history = Participation.History(people: people, placements: placements, activeSpans: spans)
            let attempts = Self.attempts(climbs.sorted { $0.at < $1.at })
            let today = Self.day(Int.random(in: 1...12, using: &random))
            let results = Self.results(
                tree: tree, history: history, attempts: attempts, owner: owner, branches: branches, today: today)
            let rule = Self.rule(
                tree: tree, history: history, attempts: attempts, owner: owner, branches: branches, today: today)
            Self.expectSame(results, rule, "seed \(seed)")
        }
    }

    // MARK: - Helpers

    /// Attempts in the order given, each member's numbered from 1; every other one passed.
    static func attempts(_ climbs: [(member: MemberID, day: CampaignDay, at: Int64)]) -> [StoredAttempt] {
        var seq: [MemberID: Int] = [:]
        return climbs.enumerated().map { index, climb in
            seq[climb.member, default: 0] += 1
            return StoredAttempt(
                started: StartedAttempt(
                    ref: AttemptRef(campaignId: 1, memberId: climb.member, seq: seq[climb.member]!), unitId: 0,
                    level: seq[climb.member]!, day: climb.day, seed: 0, questionIds: [], startedAt: climb.at),
                status: index % 2 == 0 ? .passed : .failed, endedAt: climb.at + 1000, servedIndex: nil, servedAt: nil,
                answers: [])
        }
    }

    static func results(
        tree: OrgTree, history: Participation.History, attempts: [StoredAttempt], owner: UnitID?, branches: [UnitID],
        today: CampaignDay
    ) -> CampaignResults {
        let settings = CampaignSettings(
            title: "登高", startDate: calendar.first.description, endDate: calendar.last.description, banks: ["题库"],
            levels: (1...20).map { LevelSettings(title: "第\($0)关", draw: DrawRule(count: 1)) })
        return CampaignResults(
            settings: settings, calendar: calendar, attempts: attempts, history: history, owner: owner,
            branches: branches,
            tree: tree, today: today)
    }

    static func rule(
        tree: OrgTree, history: Participation.History, attempts: [StoredAttempt], owner: UnitID?, branches: [UnitID],
        today: CampaignDay
    ) -> [Participation.Row] {
        Participation.daily(
            days: calendar.days(through: today), calendar: calendar, history: history,
            within: owner.map { Set(tree.subtreeIds(of: $0)) },
            attempts: attempts.map { ($0.started.ref.memberId, $0.started.day) },
            branches: branches, tree: tree)
    }

    static func expectSame(_ results: CampaignResults, _ rule: [Participation.Row], _ note: String) {
        let tree = results.tree
        let days = Array(Set(rule.map(\.day))).sorted()
        let asked = [CampaignDay(year: 2026, month: 2, day: 28), day(11), day(12)] + days
        for day in asked {
            let expected = rule.filter { $0.day == day }
            #expect(results.rows(on: day) == expected, "\(note): rows of \(day)")
            let (units, total) = Participation.rollUp(expected, tree: tree)
            let counted = results.rollUp(on: day)
            #expect(counted.units.map(\.0) == results.unitsAboveBranches, "\(note): \(day)")
            #expect(
                counted.units.map(\.1) == results.unitsAboveBranches.map { units[$0] ?? Participation.Tally() },
                "\(note): \(day)")
            #expect(counted.total == total, "\(note): total of \(day)")
        }
        let rolled = results.dailyRollUps()
        #expect(rolled.map(\.day) == days, "\(note)")
        for (day, units, total) in rolled {
            let (expected, expectedTotal) = Participation.rollUp(rule.filter { $0.day == day }, tree: tree)
            #expect(
                units.map(\.1) == results.unitsAboveBranches.map { expected[$0] ?? Participation.Tally() },
                "\(note): \(day)")
            #expect(total == expectedTotal, "\(note): \(day)")
        }

        // The sheets: 每日参与 row by row, 每日汇总's totals, 参与名单's days.
        var names: [UnitID: String] = [:]
        for unit in tree.depthFirst() { names[unit.unit.id] = unit.unit.name }
        let sheets = results.sheets(unitNames: names)
        let daily = rule.map { row -> [Spreadsheet.Cell] in
            [
                .text(row.day.description), .text(names[row.unitId]! + (row.direct ? "（直属）" : "")),
                .number(row.roster.count),
                .number(row.participants.count), .text(CampaignResults.percent(row.rate)), .number(row.absent.count),
            ]
        }
        #expect(sheets[2].rows == daily, "\(note): 每日参与")
        let totals = sheets[3].rows.filter { $0[1] == .text("合计") }
        #expect(totals.map { $0[0] } == days.map { .text($0.description) }, "\(note)")
        #expect(
            totals.map { $0[2] }
                == days.map { day in .number(rule.filter { $0.day == day }.map(\.roster.count).reduce(0, +)) },
            "\(note)")
        #expect(
            totals.map { $0[3] }
                == days.map { day in .number(rule.filter { $0.day == day }.map(\.participants.count).reduce(0, +)) },
            "\(note)")
        for (member, entry) in zip(results.roster, sheets[4].rows) {
            let taken = rule.filter { $0.participants.contains(member.memberId) }.map(\.day.description)
            #expect(entry[3] == .number(taken.count), "\(note): 参与天数 of \(member.memberId)")
            #expect(
                entry[4] == .text(taken.isEmpty ? "未参与" : taken.joined(separator: " ")),
                "\(note): 参与日期 of \(member.memberId)")
        }

        // The report's trend and latest day are 每日汇总's totals.
        let report = results.report(owner: nil, unitNames: names)
        #expect(report.trend.map(\.day) == days.map(\.description), "\(note)")
        #expect(
            report.trend.map(\.participants)
                == days.map { day in rule.filter { $0.day == day }.map(\.participants.count).reduce(0, +) }, "\(note)")
        #expect(
            report.headline.latestDayRoster
                == (days.last.map { day in rule.filter { $0.day == day }.map(\.roster.count).reduce(0, +) } ?? 0),
            "\(note)")
    }
}
