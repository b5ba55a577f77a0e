import Testing

@testable import DengaoCore

/// Heights, the ranking order with its tie-breaks, and the branch board with the roster as denominator.
@Suite struct ClimbRankingTests {
    func key(height: Int, correct: Int, answered: Int, ms: Int64 = 0, reachedAt: Int64 = 0, member: MemberID)
        -> ClimbRankKey
    {
        ClimbRankKey(
            height: height, correct: correct, answered: answered, totalMilliseconds: ms, reachedAt: reachedAt,
            memberId: member)
    }

    @Test func heightThenAccuracyThenTimeThenWhoGotThereFirst() {
        let ordered = [
            key(height: 3, correct: 1, answered: 10, member: 9),
            key(height: 2, correct: 9, answered: 10, member: 8),
            key(height: 2, correct: 4, answered: 5, ms: 1_000, member: 7),  // 80 % like the next, but quicker
            key(height: 2, correct: 8, answered: 10, ms: 2_000, reachedAt: 5, member: 6),
            key(height: 2, correct: 8, answered: 10, ms: 2_000, reachedAt: 9, member: 5),
            key(height: 0, correct: 0, answered: 0, member: 1),
        ]
        #expect(ordered.shuffled().sorted() == ordered)
        // Equal on everything the ranking reads: the member id keeps the order total.
        #expect(key(height: 1, correct: 1, answered: 2, member: 1) < key(height: 1, correct: 2, answered: 4, member: 2))
    }

    @Test func aRankedSetOfClimbersAnswersRankAndTop() {
        var board = RankedSet<Int64, ClimbRankKey>()
        for member in Int64(1)...100 {
            board.update(
                member,
                to: key(height: Int(member % 10), correct: Int(member % 7), answered: 7, member: MemberID(member)))
        }
        #expect(board.top(1).first?.key.height == 9)
        let position = board.position(of: 9)!
        #expect(board.entries(from: position, count: 1).first?.id == 9)
        #expect(board.countBefore(key(height: 9, correct: 1, answered: 1, member: 0)) == 0)
    }

    @Test func failingNeverLowersAndOnlyTheNextLevelRaises() throws {
        var climb = Climb(memberId: 1)
        func attempt(level: Int, right: Int, of count: Int) throws -> Attempt {
            var a = Attempt(
                level: level,
                questions: Array(repeating: Question(type: .trueFalse, stem: "题", answer: .truth(true)), count: count),
                settings: LevelSettings(title: "", draw: DrawRule(count: count)), startedAt: 0)
            for index in 0..<count {
                _ = a.serve(at: Int64(index))
                _ = try a.answer(index, .truth(index < right), at: Int64(index) + 100)
            }
            return a
        }
        climb.finished(try attempt(level: 1, right: 5, of: 5))
        #expect(climb.height == 1)
        #expect(climb.reachedAt == 104)
        climb.finished(try attempt(level: 2, right: 1, of: 5))
        #expect(climb.height == 1)
        climb.finished(try attempt(level: 3, right: 5, of: 5))  // not the next level: no height
        #expect(climb.height == 1)
        climb.finished(try attempt(level: 2, right: 4, of: 5))
        #expect(climb.height == 2)
        #expect(climb.answered == 20)
        #expect(climb.correct == 15)
        #expect(climb.totalMilliseconds == 2_000)
    }

    @Test func attemptsAreCountedPerLocalDay() {
        var climb = Climb(memberId: 1)
        let monday = CampaignDay(year: 2026, month: 7, day: 6), tuesday = CampaignDay(year: 2026, month: 7, day: 7)
        for _ in 0..<3 { climb.started(on: monday) }
        #expect(climb.attemptsLeft(on: monday, limit: 3) == 0)
        #expect(climb.attemptsLeft(on: tuesday, limit: 3) == 3)
    }

    /// 机关 (1) has branches 2 and 3; 离退休 (4) has branch 5.
    func tree() -> OrgTree {
        OrgTree([
            OrgUnit(id: 1, parentId: nil, name: "机关"), OrgUnit(id: 2, parentId: 1, name: "一支部"),
            OrgUnit(id: 3, parentId: 1, name: "二支部"), OrgUnit(id: 4, parentId: nil, name: "离退休"),
            OrgUnit(id: 5, parentId: 4, name: "一支部"),
        ])
    }

    @Test func nonParticipantsCountAndTotalsRollUp() {
        var board = BranchBoard(
            tree: tree(), levelCount: 10, weights: CompositeWeights(participation: 0.5, height: 0.5))
        for _ in 0..<4 { board.addMember(unit: 2) }
        for _ in 0..<2 { board.addMember(unit: 3) }
        board.addMember(unit: 5)
        board.participated(unit: 2)
        board.climbed(unit: 2, by: 4)
        board.participated(unit: 3)
        board.participated(unit: 3)
        board.climbed(unit: 3, by: 1)
        let branches = board.standings(of: [2, 3, 5])
        // 二支部: everyone took part (1.0), mean height 0.5 → 50 + 2.5; 一支部: 1 of 4 (0.25), mean 1 → 12.5 + 5.
        #expect(branches.map(\.unitId) == [3, 2, 5])
        #expect(branches[0].composite == 52.5)
        #expect(branches[1].participationRate == 0.25)
        #expect(branches[1].meanHeight == 1)
        #expect(branches[2].composite == 0)
        #expect(board.totals(of: 1) == BranchBoard.Totals(rosterCount: 6, participants: 3, heightSum: 5, shareSum: 5))
        #expect(board.standings(of: [1, 4]).map(\.unitId) == [1, 4])
    }

    @Test func aMovedMemberTakesTheirClimbAlong() {
        var board = BranchBoard(tree: tree(), levelCount: 10, weights: CompositeWeights())
        board.addMember(unit: 2, participated: true, height: 3)
        board.addMember(unit: 5)
        board.moved(from: 2, to: 5, participated: true, height: 3)
        #expect(board.totals(of: 2) == BranchBoard.Totals())
        #expect(board.totals(of: 1).rosterCount == 0)
        #expect(board.totals(of: 4) == BranchBoard.Totals(rosterCount: 2, participants: 1, heightSum: 3, shareSum: 3))
    }

    @Test func equalCompositesShareARank() {
        var board = BranchBoard(tree: tree(), levelCount: 10, weights: CompositeWeights())
        board.addMember(unit: 2)
        board.addMember(unit: 3)
        #expect(board.standings(of: [2, 3]).map(\.rank) == [1, 1])
    }
}
