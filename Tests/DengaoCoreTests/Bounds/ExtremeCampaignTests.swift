import Testing

@testable import DengaoCore

/// Attempts, climbs and the ranking key with absurd stored numbers: nothing traps.
@Suite struct ExtremeCampaignTests {
    static let questions = [ContestFixtures.single, ContestFixtures.truth, ContestFixtures.fill]

    @Test func absurdThresholdsNeedASaneNumberOfCorrectAnswers() {
        func needed(_ threshold: Double, of count: Int = 5) -> Int {
            LevelSettings(title: "l", draw: DrawRule(count: count), passThreshold: threshold).correctNeeded(of: count)
        }
        #expect(needed(0.8) == 4)
        #expect(needed(0.01) == 1)
        #expect(needed(1) == 5)
        #expect(needed(.nan) == 5)
        #expect(needed(.infinity) == 5)
        #expect(needed(-.infinity) == 0)
        #expect(needed(-1) == 0)
        #expect(needed(1e300) == 5)
        #expect(needed(1, of: .max) == .max / 1000)
    }

    @Test(arguments: [
        LevelTimeLimit.perQuestion(seconds: .max), .perLevel(seconds: .max), .perQuestion(seconds: .min),
        .perLevel(seconds: .min),
    ])
    func absurdTimeLimitsDoNotTrap(limit: LevelTimeLimit) {
        let settings = LevelSettings(title: "l", draw: DrawRule(count: 3), timeLimit: limit)
        var attempt = Attempt(
            level: 1, questions: Self.questions, settings: settings, startedAt: .max - 10, graceMilliseconds: .max)
        #expect(limit.milliseconds >= 0)
        let served = attempt.serve(at: .max - 5)
        #expect(served?.index == 0)
        _ = attempt.isDue(at: .max)
        _ = try? attempt.answer(0, .choices([1]), at: .max)
        attempt.advance(to: .max)
        _ = attempt.serve(at: .max)
        _ = attempt.isDue(at: .min)
        var climb = Climb(memberId: 1)
        climb.finished(attempt)
        _ = climb.rankKey
    }

    @Test func answersNamingNoQuestionAreRefused() throws {
        var attempt = Attempt(
            level: 1, questions: Self.questions, settings: LevelSettings(title: "l", draw: DrawRule(count: 3)),
            startedAt: 0)
        _ = attempt.serve(at: 0)
        for index in [-1, Int.min, 3, Int.max] {
            #expect(throws: Attempt.Refusal.notThisQuestion) { try attempt.answer(index, .choices([1]), at: 1) }
        }
        #expect(try attempt.answer(0, .choices([1]), at: 1).correctness == .correct)
    }

    @Test func climbsWithAbsurdTimesAndCountsStillRank() {
        var slow = Climb(memberId: 3)
        let forever = AttemptAnswer(
            index: 0, answer: .truth(true), correctness: .correct, at: 0, elapsedMilliseconds: .max)
        slow.finished(level: 1, status: .passed, endedAt: 0, answers: [forever, forever])
        #expect(slow.totalMilliseconds == .max)
        // Counts far past any campaign: the accuracy comparison is exact, not a trapping product.
        let a = ClimbRankKey(height: 1, correct: .max, answered: .max, totalMilliseconds: 0, reachedAt: 0, memberId: 1)
        let b = ClimbRankKey(
            height: 1, correct: .max - 1, answered: .max, totalMilliseconds: 0, reachedAt: 0, memberId: 2)
        #expect(a < b)
        #expect(!(b < a))
        var board = CampaignLeaderboard()
        board.update(b, unit: 1)
        board.update(slow.rankKey, unit: 2)
        board.update(a, unit: 1)
        // Equal accuracy (all right), then the quicker first; the one with a wrong answer last.
        #expect(board.top(3).map(\.memberId) == [1, 3, 2])
        #expect(board.rankInUnit(of: 2)?.rank == 2)
    }
}
