import Testing

@testable import DengaoCore

/// A contest's report against hand counts: members, a guest and a removed seat; branches, a unit above them with
/// members placed directly on it, and the roll-up to the owner.
@Suite struct ContestReportTests {
    typealias F = ContestFixtures

    /// 机关 (1) ─ 一支部 (2)
    ///          └ 总支 (3) ─ 二支部 (4)
    static let tree = OrgTree([
        OrgUnit(id: 1, parentId: nil, name: "机关"), OrgUnit(id: 2, parentId: 1, name: "一支部"),
        OrgUnit(id: 3, parentId: 1, name: "总支"), OrgUnit(id: 4, parentId: 3, name: "二支部"),
    ])

    @Test func figuresCountMembersOnceGuestsInNoGroupAndRemovedSeatsInNoScore() {
        let machine = F.machine([F.round(.everyone, count: 1)], seats: 0)
        // Roster at the start: 10 and 11 in 一支部, 12 in 二支部, 13 placed directly on 总支, 14 directly on 机关.
        let roster: [MemberID: UnitID] = [10: 2, 11: 2, 12: 4, 13: 3, 14: 1]
        let seats = [
            Seat(id: 1, branchId: 2, name: "甲", memberId: 10), Seat(id: 2, branchId: 3, name: "乙", memberId: 13),
            Seat(id: 3, branchId: 4, name: "访客", memberId: nil), Seat(id: 4, branchId: 4, name: "丙", memberId: 12),
        ]
        var journal: [(input: ContestInput, at: ContestTime)] = seats.map { (.join($0), 0) }
        journal += [
            (.kick(seat: 4), 0), (.command(.next), 0), (.answer(seat: 1, number: 1, answer: .choices([1])), 0),
            (.answer(seat: 2, number: 1, answer: .choices([0])), 0),
            (.answer(seat: 3, number: 1, answer: .choices([1])), 0),
            (.command(.reveal), 1_000),
        ]
        let results = ContestResults(settings: machine.settings, questions: machine.questions, journal: journal)
        #expect(results.standings.map(\.score) == [1000, 1000, 0, 0])
        let names: [UnitID: String] = [1: "机关", 2: "一支部", 3: "总支", 4: "二支部"]
        let report = ContestReport(
            results: results, questionCount: 1, roster: roster, branches: [2, 4], owner: 1, tree: Self.tree,
            names: names)

        let headline = report.headline
        #expect([headline.players, headline.members, headline.guests] == [3, 2, 1], "the removed seat plays no more")
        #expect(headline.meanScore == 2000.0 / 3)
        #expect(headline.medianScore == 1000)
        #expect(headline.roster == 5)
        #expect(headline.rosterParticipants == 3, "丙 joined before being removed: they took part")
        #expect(headline.participationRate == 3.0 / 5)
        #expect(headline.meanScoreOverRoster == 200, "(1000 + 0) over five, 丙's score left out with the seat")

        let groups = report.participation.groups
        #expect(groups.map(\.name) == ["一支部", "二支部", "机关（直属）", "总支（直属）"])
        #expect(groups.map(\.direct) == [false, false, true, true])
        #expect(groups.map(\.roster) == [2, 1, 1, 1])
        #expect(groups.map(\.participants) == [1, 1, 0, 1], "the guest of 二支部 is on no roster")
        #expect(report.participation.units.map(\.name) == ["机关", "总支"])
        #expect(report.participation.units.map(\.depth) == [0, 1])
        #expect(report.participation.units.map(\.roster) == [5, 2])
        #expect(report.participation.units.map(\.participants) == [3, 2])
        #expect(report.participation.total.roster == 5 && report.participation.total.participants == 3)

        #expect(report.branches.map(\.name) == ["一支部", "二支部", "总支"])
        #expect(report.branches.map(\.players) == [1, 1, 1])
        #expect(report.branches.map(\.meanScore) == [1000, 1000, 0])
        #expect(report.histogram.map(\.from) == [0, 200, 400, 600, 800, 1000])
        #expect(report.histogram.map(\.count) == [1, 0, 0, 0, 0, 2])
        #expect(report.top.map(\.name) == ["甲", "访客", "乙"])
        #expect(report.top.map(\.guest) == [false, true, false])
    }

    @Test func nobodyPlayedGivesNoMeansNotNaN() {
        let machine = F.machine([F.round(.everyone, count: 1)], seats: 0)
        let results = ContestResults(settings: machine.settings, questions: machine.questions, journal: [])
        let report = ContestReport(
            results: results, questionCount: 1, roster: [:], branches: [2, 4], owner: nil, tree: Self.tree, names: [:])
        #expect(report.headline.meanScore == nil && report.headline.medianScore == nil)
        #expect(report.headline.meanScoreOverRoster == nil && report.headline.participationRate == 0)
        #expect(report.histogram.isEmpty && report.top.isEmpty && report.branches.isEmpty)
        #expect(report.participation.groups.map(\.roster) == [0, 0])
        #expect(report.participation.units.map(\.depth) == [0, 1], "the whole organization: the root is at depth 0")
    }
}
