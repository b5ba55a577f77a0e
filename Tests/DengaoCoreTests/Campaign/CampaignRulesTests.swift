import Foundation
import Testing

@testable import DengaoCore

/// Campaign rules with a hand-driven clock (milliseconds since the epoch).
@Suite struct CampaignRulesTests {
    static let question = Question(type: .trueFalse, stem: "题", answer: .truth(true))

    func attempt(count: Int = 5, limit: LevelTimeLimit = .perQuestion(seconds: 20), threshold: Double = 0.8) -> Attempt
    {
        Attempt(
            level: 1, questions: Array(repeating: Self.question, count: count),
            settings: LevelSettings(
                title: "第1关", draw: DrawRule(count: count), timeLimit: limit, passThreshold: threshold),
            startedAt: 0)
    }

    @Test func thresholdsAreMetExactly() {
        let level = LevelSettings(title: "", draw: DrawRule(count: 5))
        #expect(level.correctNeeded(of: 5) == 4)
        #expect(level.correctNeeded(of: 10) == 8)
        #expect(level.correctNeeded(of: 6) == 5)  // 4.8 rounds up
        #expect(LevelSettings(title: "", draw: DrawRule(count: 3), passThreshold: 0.7).correctNeeded(of: 10) == 7)
        #expect(LevelSettings(title: "", draw: DrawRule(count: 3), passThreshold: 1).correctNeeded(of: 3) == 3)
    }

    @Test func theDefaultLadderGetsHarder() {
        let ladder = CampaignSettings.defaultLadder()
        #expect(ladder.count == 10)
        #expect(ladder.first?.draw.difficulty == 1...2)
        #expect(ladder.last?.draw.difficulty == 4...5)
        for (lower, upper) in zip(ladder, ladder.dropFirst()) {
            #expect(lower.draw.difficulty.lowerBound <= upper.draw.difficulty.lowerBound)
            #expect(lower.draw.count <= upper.draw.count)
        }
        #expect(ladder.allSatisfy { $0.passThreshold == 0.8 })
    }

    @Test func daysTurnOverAtMidnightInTheCampaignsZone() throws {
        let settings = CampaignSettings(title: "登高", startDate: "2026-07-01", endDate: "2026-07-31", banks: ["b"])
        let zoned = settings.calendar
        let calendar = try #require(zoned)
        // 2026-07-01 16:00 UTC is midnight of 07-02 in Shanghai (UTC+8).
        let lastSecondOfFirstDay: Int64 = 1_782_921_599_000
        #expect(calendar.day(of: lastSecondOfFirstDay).description == "2026-07-01")
        #expect(calendar.day(of: lastSecondOfFirstDay + 1000).description == "2026-07-02")
        // The campaign opens at Shanghai's midnight of its first day, 16:00 UTC the day before.
        #expect(!calendar.isOpen(at: 1_782_835_199_000))
        #expect(calendar.isOpen(at: 1_782_835_200_000))
        #expect(
            calendar.days(through: CampaignDay("2026-07-03")!).map(\.description) == [
                "2026-07-01", "2026-07-02", "2026-07-03",
            ])
    }

    @Test func settingsProblemsAreAllReported() {
        var settings = CampaignSettings(
            title: " ", startDate: "2026-02-30", endDate: "2026-07-31", timeZone: "Mars/Base", banks: [])
        settings.attemptsPerDay = 0
        let problems = settings.problems()
        #expect(problems.count == 5, "\(problems)")
        #expect(CampaignDay("2026-02-28") != nil)
        #expect(CampaignDay("2026-2-28") == nil)
        let backwards = CampaignSettings(title: "t", startDate: "2026-07-31", endDate: "2026-07-01", banks: ["b"])
        #expect(backwards.problems() == ["结束日期早于开始日期 (endDate is before startDate)"])
    }

    @Test func passingWithTheThresholdExactlyMet() throws {
        var a = attempt()
        for index in 0..<5 {
            let serving = a.serve(at: Int64(index) * 10_000)
            let served = try #require(serving)
            #expect(served.index == index)
            _ = try a.answer(index, .truth(index != 0), at: Int64(index) * 10_000 + 3_000)
        }
        #expect(a.correctCount == 4)
        #expect(a.status == .passed)
        #expect(a.endedAt == 43_000)
    }

    @Test func oneWrongTooManyFails() throws {
        var a = attempt()
        for index in 0..<5 {
            _ = a.serve(at: 0)
            _ = try a.answer(index, .truth(index > 1), at: 1_000)
        }
        #expect(a.status == .failed)
    }

    @Test func refreshingResumesTheSameQuestionWithItsClockRunning() throws {
        var a = attempt()
        let firstServing = a.serve(at: 1_000), secondServing = a.serve(at: 15_000)
        let first = try #require(firstServing)
        let again = try #require(secondServing)
        #expect(again == first)
        #expect(first.deadline == 21_000)
        #expect(throws: Attempt.Refusal.notThisQuestion) { try a.answer(1, .truth(true), at: 16_000) }
    }

    @Test func anUnansweredQuestionTimesOutAsWrong() throws {
        var a = attempt()
        _ = a.serve(at: 0)
        // Within the grace the answer still counts; after it, the question is gone and the next is served.
        var b = a
        #expect(try b.answer(0, .truth(true), at: 20_900).correctness == .correct)
        #expect(throws: Attempt.Refusal.late) { try a.answer(0, .truth(true), at: 21_001) }
        #expect(throws: Attempt.Refusal.notServed) { try a.answer(1, .truth(true), at: 21_001) }
        #expect(a.answers.first?.answer == nil)
        #expect(a.answers.first?.correctness == .wrong)
        let next = a.serve(at: 21_001)
        #expect(next?.index == 1)
    }

    @Test func anAttemptLeftOpenExpires() throws {
        var a = attempt(count: 2, limit: .perLevel(seconds: 30))
        _ = a.serve(at: 0)
        _ = try a.answer(0, .truth(true), at: 5_000)
        let second = a.serve(at: 6_000)
        #expect(second?.deadline == 30_000)
        a.advance(to: 31_000)
        #expect(a.status == .answering)
        a.advance(to: 31_001)
        #expect(a.status == .expired)
        #expect(a.endedAt == 30_000)
        let none = a.serve(at: 31_001)
        #expect(none == nil)
        #expect(throws: Attempt.Refusal.over) { try a.answer(1, .truth(true), at: 31_001) }
    }

    @Test func abandoningEndsTheAttemptOnce() throws {
        var a = attempt()
        _ = a.serve(at: 0)
        try a.abandon(at: 1_000)
        #expect(a.status == .abandoned)
        #expect(throws: Attempt.Refusal.over) { try a.abandon(at: 2_000) }
        #expect(throws: Attempt.Refusal.over) { try a.answer(0, .truth(true), at: 2_000) }
    }

    @Test func aStoredAttemptComesBackAsItWasAndGoesOnTheSame() throws {
        var live = attempt(count: 3)
        _ = live.serve(at: 1_000)
        _ = try live.answer(0, .truth(true), at: 3_000)
        _ = live.serve(at: 10_000)
        let restored = Attempt(
            restoring: 1, questions: live.questions,
            settings: LevelSettings(title: "第1关", draw: DrawRule(count: 3), timeLimit: .perQuestion(seconds: 20)),
            startedAt: live.startedAt, status: live.status, answers: live.answers, servedAt: live.servedAt,
            endedAt: live.endedAt)
        #expect(restored == live)
        // The served question's clock kept running across the restart: it still times out at 10 s + 20 s.
        var resumed = restored
        resumed.advance(to: 31_001)
        #expect(resumed.answers.count == 2)
        #expect(resumed.answers[1].answer == nil)
        #expect(resumed.answers[1].at == 30_000)
    }

    @Test func malformedAnswersChangeNothing() throws {
        var a = attempt()
        _ = a.serve(at: 0)
        #expect(throws: Attempt.Refusal.malformed) { try a.answer(0, .choices([0]), at: 100) }
        #expect(a.answers.isEmpty)
    }
}
