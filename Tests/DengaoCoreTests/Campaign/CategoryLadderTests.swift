import Foundation
import Testing

@testable import DengaoCore

/// Extra ladders per member category: which one a member climbs, how settings naming them are checked, and how a
/// campaign draws, pins and counts them.
@Suite struct CategoryLadderTests {
    typealias T = CampaignMachineTests

    /// Categories of the organization's list in these tests: 1 农村党员, 3 离退休, 4 两新组织.
    static let rural: MemberCategoryID = 1
    static let retired: MemberCategoryID = 3
    static let newOrganizations: MemberCategoryID = 4

    static func level(_ count: Int = 3, difficulty: ClosedRange<Int> = 1...5) -> LevelSettings {
        LevelSettings(
            title: "关", draw: DrawRule(count: count, difficulty: difficulty), timeLimit: .perQuestion(seconds: 10),
            passThreshold: 0.6)
    }

    static func settings(
        levels: Int = 4, ladders: [CategoryLadder] = [CategoryLadder(memberCategoryIds: [retired], levels: [level()])]
    ) -> CampaignSettings {
        CampaignSettings(
            title: "登高", startDate: "2026-07-01", endDate: "2026-07-03", banks: ["b"],
            levels: Array(repeating: level(), count: levels), attemptsPerDay: 5, categoryLadders: ladders)
    }

    // MARK: - The rule

    @Test func aMemberClimbsTheFirstExtraLadderNamingOneOfTheirCategoriesElseTheDefault() {
        let settings = Self.settings(ladders: [
            CategoryLadder(memberCategoryIds: [Self.retired], levels: [Self.level()]),
            CategoryLadder(memberCategoryIds: [Self.newOrganizations, 9], levels: [Self.level(), Self.level()]),
        ])
        #expect(settings.ladderIndex(forCategories: []) == 0)
        #expect(settings.ladderIndex(forCategories: [Self.rural]) == 0)
        #expect(settings.ladderIndex(forCategories: [Self.retired]) == 1)
        #expect(settings.ladderIndex(forCategories: [9]) == 2)
        // Holding categories of two ladders: the first listed wins, whatever the order they are held in.
        #expect(settings.ladderIndex(forCategories: [Self.newOrganizations, Self.retired]) == 1)
        #expect(settings.ladderIndex(forCategories: [Self.rural, Self.newOrganizations]) == 2)
        #expect(settings.ladder(1).levels.count == 1)
        #expect(settings.ladder(2).levels.count == 2)
        // A number no ladder has (a hand-edited store) reads as the default ladder rather than trapping.
        #expect(settings.ladder(7).levels.count == 4)
        #expect(Self.settings(ladders: []).ladderIndex(forCategories: [Self.retired]) == 0)
    }

    @Test func anExtraLadderDrawsFromItsOwnBanksOrTheCampaigns() {
        var settings = Self.settings()
        settings.categoryLadders.append(
            CategoryLadder(memberCategoryIds: [Self.rural], levels: [Self.level()], banks: ["老干部题库", "b"]))
        #expect(settings.ladders.map(\.banks) == [["b"], ["b"], ["老干部题库", "b"]])
        #expect(settings.allBanks == ["b", "老干部题库"])
    }

    // MARK: - Settings

    @Test func settingsWithExtraLaddersRoundTripAndOldOnesReadTheSame() throws {
        let settings = Self.settings(ladders: [
            CategoryLadder(memberCategoryIds: [Self.retired], levels: [Self.level()], banks: ["老干部题库"])
        ])
        let data = try JSONEncoder().encode(settings)
        #expect(try JSONDecoder().decode(CampaignSettings.self, from: data) == settings)
        let plain = try JSONEncoder().encode(Self.settings(ladders: []))
        #expect(!String(decoding: plain, as: UTF8.self).contains("categoryLadders"))
    }

    @Test func extraLaddersAreCheckedLikeTheDefaultOneEachProblemLocated() {
        var bad = Self.level()
        bad.passThreshold = 2
        let settings = Self.settings(ladders: [
            CategoryLadder(memberCategoryIds: [Self.retired], levels: [Self.level(), bad]),
            CategoryLadder(memberCategoryIds: [], levels: [], banks: []),
            CategoryLadder(memberCategoryIds: [Self.retired, Self.rural], levels: [Self.level()]),
        ])
        let problems = settings.problems()
        #expect(problems.contains("分类阶梯1第2关：及格线须为 0.01–1 (categoryLadders 1 level 2: passThreshold must be 0.01–1)"))
        #expect(
            problems.contains(
                "分类阶梯2：须至少选一个党员类别 (categoryLadders 2: memberCategoryIds must name at least one category)"))
        #expect(problems.contains("分类阶梯2：关数须为 1–50 项 (categoryLadders 2: levels must be 1–50 entries)"))
        #expect(problems.contains("分类阶梯2：题库须为 1–50 项 (categoryLadders 2: banks must be 1–50 entries)"))
        #expect(
            problems.contains(
                "党员类别 3 同时属于分类阶梯1和分类阶梯3 (member category 3 is in category ladders 1 and 3)"))
        #expect(problems.count == 5)
        let many = Self.settings(
            ladders: (1...9).map {
                CategoryLadder(memberCategoryIds: [MemberCategoryID(Int64($0))], levels: [Self.level()])
            })
        #expect(many.problems() == ["分类阶梯须为 0–8 项 (categoryLadders must be 0–8 entries)"])
        #expect(Self.settings().problems().isEmpty)
    }

    // MARK: - The machine

    /// Members 10 and 12 (一支部) are retired, 11 (二支部) rural; the retired ladder has one level of three questions
    /// drawn from ids 1–6 only (difficulty 1), the default ladder four levels from the whole pool.
    static func machine(attempts: [StoredAttempt] = [], roster: [MemberID: CampaignMember]? = nil) -> CampaignMachine {
        let settings = Self.settings(ladders: [
            CategoryLadder(memberCategoryIds: [retired], levels: [level(3, difficulty: 1...1)])
        ])
        let pool: [(id: QuestionID, question: Question)] = (1...20).map { id in
            var question = Question(type: .trueFalse, stem: "题\(id)", answer: .truth(id % 2 == 0))
            question.difficulty = id <= 6 ? 1 : 3
            return (QuestionID(Int64(id)), question)
        }
        let members =
            roster ?? [
                10: CampaignMember(unitId: 2, name: "甲", categoryIds: [retired]),
                11: CampaignMember(unitId: 3, name: "乙", categoryIds: [rural]),
                12: CampaignMember(unitId: 2, name: "丙", categoryIds: [retired, rural]),
            ]
        return CampaignMachine(
            campaignId: 7, seed: 42, settings: settings, calendar: settings.calendar!, ownerUnitId: 1, tree: T.tree,
            roster: members, pool: pool, attempted: [:], attempts: attempts)
    }

    @Test func eachMemberDrawsFromTheirOwnLadderAndReachesItsSummit() throws {
        var m = Self.machine()
        let retired = try m.start(10, at: T.t0).get()
        #expect(retired.started.ladder == 1)
        #expect(retired.started.questionIds.allSatisfy { $0 <= 6 })
        try T.answerAll(&m, 10, seq: 1, right: [true, true, true], from: T.t0)
        #expect(m.climbs[10]?.height == 1)
        // One level is the whole of the gentle ladder: the summit.
        #expect(m.start(10, at: T.t0 + 10_000).outcome == .failure(.summit))
        let rural = try m.start(11, at: T.t0).get()
        #expect(rural.started.ladder == 0)
        try T.answerAll(&m, 11, seq: 1, right: [true, true, true], from: T.t0)
        #expect(m.climbs[11]?.height == 1)
        #expect(try m.start(11, at: T.t0 + 10_000).get().started.level == 2)
        #expect(try m.standing(of: 10, at: T.t0 + 20_000).get().ladder.levels.count == 1)
        #expect(try m.standing(of: 11, at: T.t0 + 20_000).get().ladder.levels.count == 4)
        // The board compares shares of each member's own ladder: 1 of 1 is the whole ladder, 1 of 4 a quarter.
        let scale = m.board.scale
        #expect(scale == 4)
        #expect(m.board.totals(of: 2).shareSum == scale)
        #expect(m.board.totals(of: 3).shareSum == scale / 4)
        #expect(m.board.totals(of: 1).heightSum == 2)
    }

    @Test func theLadderIsPinnedByTheFirstAttemptThroughCategoryChangesAndReplay() throws {
        var m = Self.machine()
        let first = try m.start(10, at: T.t0).get()
        try T.answerAll(&m, 10, seq: 1, right: [true, false, false], from: T.t0)
        // The member leaves 离退休: their ladder stays the one they began.
        var moved = m.roster
        moved[10] = CampaignMember(unitId: 2, name: "甲", categoryIds: [Self.rural])
        m.updateRoster(moved, tree: T.tree)
        let second = try m.start(10, at: T.t0 + 60_000).get()
        #expect(second.started.ladder == 1)
        // A newcomer to 离退休 who has not climbed yet gets the gentle ladder when they start.
        moved[11] = CampaignMember(unitId: 3, name: "乙", categoryIds: [Self.retired])
        m.updateRoster(moved, tree: T.tree)
        #expect(try m.start(11, at: T.t0).get().started.ladder == 1)
        // Rebuilt from what was stored (the roster now says 农村党员 for member 10): still the gentle ladder.
        let stored = [
            StoredAttempt(
                started: first.started, status: .failed, endedAt: T.t0 + 2_000, servedIndex: nil, servedAt: nil,
                answers: m.lastFinished[10]!.attempt.answers),
            StoredAttempt(
                started: second.started, status: .answering, endedAt: nil, servedIndex: 0, servedAt: T.t0 + 60_000,
                answers: []),
        ]
        let replayed = Self.machine(attempts: stored, roster: moved)
        #expect(replayed.ladderOf[10] == 1)
        #expect(replayed.open[10]?.attempt.questions.count == 3)
        #expect(replayed.ladder(of: 10).levels.count == 1)
    }

    @Test func oneLadderKeepsTheBoardsFiguresExactlyAsBefore() {
        var board = BranchBoard(tree: T.tree, levelCount: 10, weights: CompositeWeights())
        board.addMember(unit: 2, participated: true, height: 3)
        board.addMember(unit: 2)
        board.climbed(unit: 2, by: 4)
        #expect(board.scale == 10)
        #expect(board.totals(of: 2).shareSum == board.totals(of: 2).heightSum)
        // (0.5 × 1/2 + 0.5 × 3.5 / 10) × 100
        #expect(board.standings(of: [2])[0].composite == 100 * (0.5 * 0.5 + 0.5 * 3.5 / 10))
    }

    @Test func ladderLengthsWithoutASmallCommonMultipleRoundToMillionths() {
        var board = BranchBoard(tree: T.tree, ladderLevels: [49, 47, 43, 41], weights: CompositeWeights())
        #expect(board.scale == 1_000_000)
        board.addMember(unit: 2, participated: true, height: 1, ladder: 1)
        #expect(board.totals(of: 2).shareSum == 21_277)
        board.climbed(unit: 2, from: 1, to: 47, ladder: 1)
        #expect(board.totals(of: 2).shareSum == 1_000_000)
        board.removeMember(unit: 2, participated: true, height: 47, ladder: 1)
        #expect(board.totals(of: 2) == BranchBoard.Totals())
    }

    @Test func resultsAndBandsCountEachMemberOnTheirOwnLadder() {
        let settings = Self.settings(ladders: [
            CategoryLadder(memberCategoryIds: [Self.retired], levels: [Self.level(), Self.level()])
        ])
        let day = CampaignDay("2026-07-01")!
        func passed(_ member: MemberID, _ level: Int, ladder: Int) -> CampaignResults.AttemptSummary {
            .init(
                memberId: member, day: day, level: level, status: .passed, endedAt: T.t0 + Int64(level), answered: 3,
                correct: 3, milliseconds: 3_000, ladder: ladder)
        }
        let history = Participation.History(
            people: [
                10: .init(number: "10", name: "甲"), 11: .init(number: "11", name: "乙"),
            ],
            placements: [
                .init(memberId: 10, unitId: 2, since: 0, until: nil),
                .init(memberId: 11, unitId: 2, since: 0, until: nil),
            ],
            activeSpans: [.init(memberId: 10, since: 0, until: nil), .init(memberId: 11, since: 0, until: nil)])
        // 甲 (retired) passed both levels of the 2-level ladder, 乙 two of the default's four.
        let results = CampaignResults(
            settings: settings, calendar: settings.calendar!,
            summaries: [
                passed(10, 1, ladder: 1), passed(10, 2, ladder: 1), passed(11, 1, ladder: 0), passed(11, 2, ladder: 0),
            ],
            history: history, owner: 1, branches: [2, 3], tree: T.tree, today: day)
        #expect(results.ladders == [10: 1, 11: 0])
        let report = results.report(owner: 1, unitNames: [1: "党委", 2: "一支部", 3: "二支部"])
        #expect(report.headline.ladderLevels == [4, 2])
        // 优秀 (100 % of the gentle ladder) and 待提高 (50 % of the default one), not both 待提高 at 2 of 4 levels.
        #expect(report.bands.groups.first { $0.id == 2 }?.counts == [1, 0, 0, 1])
        // Mean share 0.75 of a ladder, everyone took part: (0.5 × 1 + 0.5 × 0.75) × 100.
        #expect(results.composites()[2] == 100 * (0.5 * 1 + 0.5 * 0.75))
        #expect(report.histogram.count == 5)
    }
}
