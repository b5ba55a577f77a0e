import Foundation
import Testing

@testable import DengaoCore

/// The campaign's rules event by event, with time passed in by hand (milliseconds since the epoch): what each
/// request returns, what it asks to journal, and what it does to the climbs and the boards.
@Suite struct CampaignMachineTests {
    /// 01:00 in Shanghai on the campaign's first day, 2026-07-01.
    static let t0: Int64 = 1_782_835_200_000 + 3_600_000
    static let day: Int64 = 86_400_000
    /// A committee with two branches; members 10 and 12 in the first, 11 in the second.
    static let tree = OrgTree([
        OrgUnit(id: 1, parentId: nil, name: "党委"), OrgUnit(id: 2, parentId: 1, name: "一支部"),
        OrgUnit(id: 3, parentId: 1, name: "二支部"),
    ])
    static let roster: [MemberID: CampaignMember] = [
        10: CampaignMember(unitId: 2, name: "甲"), 11: CampaignMember(unitId: 3, name: "乙"),
        12: CampaignMember(unitId: 2, name: "丙"),
    ]
    /// Twenty true/false questions; the key of question n is "n is even".
    static let pool: [(id: QuestionID, question: Question)] = (1...20).map { id in
        (QuestionID(Int64(id)), Question(type: .trueFalse, stem: "题\(id)", answer: .truth(id % 2 == 0)))
    }

    static func machine(
        levels: Int = 2, limit: LevelTimeLimit = .perQuestion(seconds: 10), attemptsPerDay: Int = 2,
        attempts: [StoredAttempt] = []
    ) -> CampaignMachine {
        let level = LevelSettings(title: "关", draw: DrawRule(count: 3), timeLimit: limit, passThreshold: 0.6)
        let settings = CampaignSettings(
            title: "登高", startDate: "2026-07-01", endDate: "2026-07-03", banks: ["b"],
            levels: Array(repeating: level, count: levels), attemptsPerDay: attemptsPerDay)
        return CampaignMachine(
            campaignId: 7, seed: 42, settings: settings, calendar: settings.calendar!, ownerUnitId: 1, tree: tree,
            roster: roster,
            pool: pool, attempted: [:], attempts: attempts)
    }

    /// The key of question `index` of the member's open attempt, or its opposite.
    static func truth(_ m: CampaignMachine, _ member: MemberID, _ index: Int, right: Bool = true) -> Bool {
        guard case .truth(let key) = m.open[member]!.attempt.questions[index].answer else { return !right }
        return right ? key : !key
    }

    /// Answers every question of the member's open attempt, `right` deciding each, a second apart from `start`.
    @discardableResult
    static func answerAll(_ m: inout CampaignMachine, _ member: MemberID, seq: Int, right: [Bool], from start: Int64)
        throws
        -> [CampaignChange]
    {
        var changes: [CampaignChange] = []
        for (index, isRight) in right.enumerated() {
            let at = start + Int64(index) * 1_000
            if index > 0 { changes += m.attempt(member, seq: seq, at: at).changes }
            let truth = truth(m, member, index, right: isRight)
            let step = m.answer(member, seq: seq, index: index, picks: nil, truth: truth, text: nil, at: at)
            _ = try step.get()
            changes += step.changes
        }
        return changes
    }

    @Test func startingDrawsServesTheFirstQuestionAndCountsTheMemberIn() throws {
        var m = Self.machine()
        let revision = m.boardRevision
        let step = m.start(10, at: Self.t0)
        let entry = try step.get()
        #expect(entry.started.ref == AttemptRef(campaignId: 7, memberId: 10, seq: 1))
        #expect(entry.started.level == 1)
        #expect(entry.started.day == CampaignDay("2026-07-01"))
        #expect(entry.attempt.questions.count == 3)
        #expect(step.changes == [.started(entry.started), .served(entry.started.ref, index: 0, at: Self.t0)])
        #expect(m.board.totals(of: 2).participants == 1)
        #expect(m.participantsByDay[CampaignDay("2026-07-01")!] == 1)
        #expect(m.leaderboard.count == 1)
        #expect(m.boardRevision > revision)
        // A refresh or a retried request gets the same attempt back: nothing is drawn or journaled again.
        let again = m.start(10, at: Self.t0 + 500)
        #expect(try again.get() == entry)
        #expect(again.changes.isEmpty)
    }

    @Test func aPassLiftsTheMemberAndTheirBranch() throws {
        var m = Self.machine()
        _ = try m.start(10, at: Self.t0).get()
        let changes = try Self.answerAll(&m, 10, seq: 1, right: [true, false, true], from: Self.t0 + 2_000)
        guard case .answered(_, let last, let status, let endedAt) = changes.last else {
            Issue.record("no answer"); return
        }
        #expect(last.index == 2)
        #expect(status == .passed)
        #expect(endedAt == Self.t0 + 4_000)
        #expect(changes.filter { if case .served = $0 { true } else { false } }.count == 2)
        #expect(m.open[10] == nil)
        #expect(m.lastFinished[10]?.attempt.status == .passed)
        #expect(m.climbs[10]?.height == 1)
        #expect(m.climbs[10]?.correct == 2)
        #expect(m.board.totals(of: 2).heightSum == 1)
        #expect(m.leaderboard.rank(of: 10) == 1)
        // The next start is the next level.
        #expect(try m.start(10, at: Self.t0 + 10_000).get().started.level == 2)
    }

    @Test func aFailKeepsTheHeightAndTheNextAttemptDrawsFreshQuestions() throws {
        var m = Self.machine()
        let first = try m.start(10, at: Self.t0).get()
        let changes = try Self.answerAll(&m, 10, seq: 1, right: [true, false, false], from: Self.t0 + 1_000)
        guard case .answered(_, _, let status, _) = changes.last else { Issue.record("no answer"); return }
        #expect(status == .failed)
        #expect(m.climbs[10]?.height == 0)
        #expect(m.board.totals(of: 2).heightSum == 0)
        let second = try m.start(10, at: Self.t0 + 60_000).get()
        #expect(second.started.ref.seq == 2)
        #expect(second.started.level == 1)
        #expect(Set(second.started.questionIds).isDisjoint(with: first.started.questionIds))
    }

    @Test func aLateAnswerIsRefusedAndTheRunOutQuestionCountsAsWrong() throws {
        var m = Self.machine()
        let entry = try m.start(10, at: Self.t0).get()
        // 10 s for the question and 1 s of grace for the network: at the edge of the grace it still counts.
        let inGrace = m.answer(
            10, seq: 1, index: 0, picks: nil, truth: Self.truth(m, 10, 0), text: nil, at: Self.t0 + 11_000)
        #expect(try inGrace.get().answer.elapsedMilliseconds == 11_000)
        _ = m.attempt(10, seq: 1, at: Self.t0 + 12_000)
        let late = m.answer(10, seq: 1, index: 1, picks: nil, truth: true, text: nil, at: Self.t0 + 23_001)
        #expect(throws: CampaignMachine.Refusal.late) { try late.get() }
        let timedOut = AttemptAnswer(
            index: 1, answer: nil, correctness: .wrong, at: Self.t0 + 22_000, elapsedMilliseconds: 10_000)
        #expect(late.changes == [.answered(entry.started.ref, timedOut, status: .answering, endedAt: nil)])
        #expect(m.open[10]?.attempt.answers.count == 2)
        // Asking again for the same question changes nothing more.
        let again = m.answer(10, seq: 1, index: 1, picks: nil, truth: true, text: nil, at: Self.t0 + 23_500)
        #expect(throws: CampaignMachine.Refusal.late) { try again.get() }
        #expect(again.changes.isEmpty)
    }

    @Test func aDuplicateAnswerIsRefusedAndChangesNothing() throws {
        var m = Self.machine()
        _ = try m.start(10, at: Self.t0).get()
        let truth = Self.truth(m, 10, 0)
        _ = try m.answer(10, seq: 1, index: 0, picks: nil, truth: truth, text: nil, at: Self.t0 + 1_000).get()
        let before = m.open[10]
        let duplicate = m.answer(10, seq: 1, index: 0, picks: nil, truth: !truth, text: nil, at: Self.t0 + 1_200)
        #expect(throws: CampaignMachine.Refusal.alreadyAnswered) { try duplicate.get() }
        #expect(duplicate.changes.isEmpty)
        #expect(m.open[10] == before)
        // The next question has not been asked for yet; one beyond the attempt never exists.
        let unserved = m.answer(10, seq: 1, index: 1, picks: nil, truth: true, text: nil, at: Self.t0 + 1_300)
        #expect(throws: CampaignMachine.Refusal.notServed) { try unserved.get() }
        let beyond = m.answer(10, seq: 1, index: 3, picks: nil, truth: true, text: nil, at: Self.t0 + 1_300)
        #expect(throws: CampaignMachine.Refusal.notThisQuestion) { try beyond.get() }
        let shapeless = m.answer(10, seq: 1, index: 1, picks: [0], truth: nil, text: nil, at: Self.t0 + 1_300)
        #expect(throws: CampaignMachine.Refusal.malformed) { try shapeless.get() }
        #expect(throws: CampaignMachine.Refusal.noAttempt) {
            try m.answer(10, seq: 5, index: 0, picks: nil, truth: true, text: nil, at: Self.t0).get()
        }
    }

    @Test func answersToAFinishedAttemptAreRefusedByWhatTheyWouldHaveBeen() throws {
        var m = Self.machine()
        _ = try m.start(10, at: Self.t0).get()
        try Self.answerAll(&m, 10, seq: 1, right: [true, true, true], from: Self.t0 + 1_000)
        #expect(throws: CampaignMachine.Refusal.alreadyAnswered) {
            try m.answer(10, seq: 1, index: 2, picks: nil, truth: true, text: nil, at: Self.t0 + 5_000).get()
        }
        _ = try m.start(10, at: Self.t0 + 6_000).get()
        _ = try m.abandon(10, seq: 2, at: Self.t0 + 6_500).get()
        // Attempt 1 is no longer the latest: it is simply over.
        #expect(throws: CampaignMachine.Refusal.attemptOver) {
            try m.answer(10, seq: 1, index: 0, picks: nil, truth: true, text: nil, at: Self.t0 + 7_000).get()
        }
        #expect(throws: CampaignMachine.Refusal.attemptOver) { try m.abandon(10, seq: 1, at: Self.t0 + 7_000).get() }
        #expect(throws: CampaignMachine.Refusal.noAttempt) { try m.abandon(10, seq: 3, at: Self.t0 + 7_000).get() }
        #expect(throws: CampaignMachine.Refusal.noAttempt) { try m.attempt(10, seq: 3, at: Self.t0 + 7_000).get() }
    }

    @Test func aMachineRebuiltFromTheStoredAttemptsResumesWhereTheOtherStood() throws {
        var m = Self.machine()
        _ = try m.start(10, at: Self.t0).get()
        try Self.answerAll(&m, 10, seq: 1, right: [true, true, false], from: Self.t0 + 1_000)
        _ = try m.start(11, at: Self.t0 + 2_000).get()
        _ = try m.answer(11, seq: 1, index: 0, picks: nil, truth: Self.truth(m, 11, 0), text: nil, at: Self.t0 + 3_000)
            .get()
        _ = try m.attempt(11, seq: 1, at: Self.t0 + 4_000).get()
        let stored = (Array(m.lastFinished.values) + Array(m.open.values)).map { entry in
            StoredAttempt(
                started: entry.started, status: entry.attempt.status, endedAt: entry.attempt.endedAt,
                servedIndex: entry.attempt.servedAt == nil ? nil : entry.attempt.currentIndex,
                servedAt: entry.attempt.servedAt,
                answers: entry.attempt.answers)
        }
        var rebuilt = Self.machine(attempts: stored)
        #expect(rebuilt.climbs == m.climbs)
        #expect(rebuilt.open == m.open)
        #expect(rebuilt.attemptCount == m.attemptCount)
        #expect(rebuilt.leaderboard.rank(of: 10) == m.leaderboard.rank(of: 10))
        #expect(rebuilt.board.totals(of: 2) == m.board.totals(of: 2))
        #expect(rebuilt.participantsByDay == m.participantsByDay)
        // The question on show comes back with its clock still running: no new serve, the same deadline.
        let resumed = rebuilt.attempt(11, seq: 1, at: Self.t0 + 5_000)
        #expect(resumed.changes.isEmpty)
        #expect(try resumed.get().attempt.questionDeadline == Self.t0 + 14_000)
        // The next start is attempt 2, whose draw avoids what attempt 1 drew.
        let next = try rebuilt.start(10, at: Self.t0 + 6_000).get()
        #expect(next.started.ref.seq == 2)
        #expect(Set(next.started.questionIds).isDisjoint(with: m.lastFinished[10]!.started.questionIds))
    }

    @Test func theDailyLimitCountsAbandonedAttemptsAndTurnsOverAtLocalMidnight() throws {
        var m = Self.machine(attemptsPerDay: 2)
        for seq in 1...2 {
            let at = Self.t0 + Int64(seq) * 1_000
            _ = try m.start(10, at: at).get()
            let abandoned = m.abandon(10, seq: seq, at: at + 100)
            #expect(try abandoned.get().attempt.status == .abandoned)
            #expect(
                abandoned.changes == [
                    .ended(AttemptRef(campaignId: 7, memberId: 10, seq: seq), status: .abandoned, at: at + 100)
                ])
        }
        let third = m.start(10, at: Self.t0 + 5_000)
        #expect(throws: CampaignMachine.Refusal.noAttemptsLeft) { try third.get() }
        #expect(third.changes.isEmpty)
        #expect(try m.standing(of: 10, at: Self.t0 + 5_000).get().attemptsLeft == 0)
        // 23:59:59 in Shanghai is still the same day; a second later it is the next.
        let midnight = Self.t0 - 3_600_000 + Self.day
        #expect(throws: CampaignMachine.Refusal.noAttemptsLeft) { try m.start(10, at: midnight - 1_000).get() }
        #expect(try m.start(10, at: midnight).get().started.day == CampaignDay("2026-07-02"))
        #expect(m.climbs[10]?.attempts(on: CampaignDay("2026-07-01")!) == 2)
        // Abandoned attempts count against the day but add no height and no answers beyond those given.
        #expect(m.climbs[10]?.height == 0)
    }

    @Test func startsAreRefusedOutsideTheCampaignAboveTheTopAndToStrangers() throws {
        var m = Self.machine(levels: 1, attemptsPerDay: 3)
        #expect(throws: CampaignMachine.Refusal.closed) { try m.start(10, at: Self.t0 - 2 * 3_600_000).get() }
        #expect(throws: CampaignMachine.Refusal.closed) { try m.start(10, at: Self.t0 + 3 * Self.day).get() }
        #expect(throws: CampaignMachine.Refusal.notInCampaign) { try m.start(99, at: Self.t0).get() }
        #expect(throws: CampaignMachine.Refusal.notInCampaign) { try m.standing(of: 99, at: Self.t0).get() }
        _ = try m.start(10, at: Self.t0).get()
        try Self.answerAll(&m, 10, seq: 1, right: [true, true, true], from: Self.t0 + 1_000)
        #expect(throws: CampaignMachine.Refusal.summit) { try m.start(10, at: Self.t0 + 10_000).get() }
        #expect(m.attemptCount[10] == 1)
    }

    @Test func aDeadlinePassingExpiresTheAttemptOnTheSweepOnce() throws {
        var m = Self.machine(limit: .perLevel(seconds: 30))
        let entry = try m.start(10, at: Self.t0).get()
        // Due only once the level's 30 s and the second of grace have passed.
        #expect(m.advance(to: Self.t0 + 31_000).isEmpty)
        #expect(m.open[10] != nil)
        let swept = m.advance(to: Self.t0 + 31_001)
        #expect(swept == [.ended(entry.started.ref, status: .expired, at: Self.t0 + 30_000)])
        #expect(m.open[10] == nil)
        #expect(m.lastFinished[10]?.attempt.status == .expired)
        #expect(m.advance(to: Self.t0 + 40_000).isEmpty)
        #expect(throws: CampaignMachine.Refusal.attemptOver) {
            try m.answer(10, seq: 1, index: 0, picks: nil, truth: true, text: nil, at: Self.t0 + 40_000).get()
        }
    }

    @Test func theSweepRecordsARunOutQuestionEvenWithNoOneAsking() throws {
        var m = Self.machine()
        let entry = try m.start(10, at: Self.t0).get()
        _ = try m.start(11, at: Self.t0 + 5_000).get()
        let swept = m.advance(to: Self.t0 + 11_001)
        let timedOut = AttemptAnswer(
            index: 0, answer: nil, correctness: .wrong, at: Self.t0 + 10_000, elapsedMilliseconds: 10_000)
        #expect(swept == [.answered(entry.started.ref, timedOut, status: .answering, endedAt: nil)])
        #expect(m.open[11]?.attempt.answers.isEmpty == true)
    }

    @Test func theRosterMovesMembersBetweenBranchesAndLeaversLeaveTheBoards() throws {
        var m = Self.machine()
        _ = try m.start(10, at: Self.t0).get()
        try Self.answerAll(&m, 10, seq: 1, right: [true, true, true], from: Self.t0 + 1_000)
        var roster = Self.roster
        roster[10] = CampaignMember(unitId: 3, name: "甲")
        var revision = m.boardRevision
        m.updateRoster(roster, tree: Self.tree)
        #expect(m.boardRevision > revision)
        #expect(m.board.totals(of: 2).heightSum == 0)
        #expect(m.board.totals(of: 3).heightSum == 1)
        #expect(m.board.totals(of: 3).rosterCount == 2)
        roster[10] = nil
        m.updateRoster(roster, tree: Self.tree)
        #expect(m.leaderboard.count == 0)
        #expect(m.board.totals(of: 3).participants == 0)
        #expect(m.participantsByDay[CampaignDay("2026-07-01")!] == 0)
        #expect(throws: CampaignMachine.Refusal.notInCampaign) { try m.start(10, at: Self.t0 + 9_000).get() }
        revision = m.boardRevision
        m.updateRoster(roster, tree: Self.tree)
        #expect(m.boardRevision == revision, "nothing changed, nothing to push")
        // A new unit changes the branches the boards list.
        let grown = OrgTree([OrgUnit(id: 4, parentId: 1, name: "三支部")] + Self.tree.depthFirst().map(\.unit))
        m.updateRoster(roster, tree: grown)
        #expect(m.branches.pickable.map(\.id) == [2, 3, 4])
    }
}
