import Foundation
import Testing

@testable import DengaoCore

/// 投票 rounds: the organizer's own questions, no key, no score, the room's distribution at the reveal.
struct PollRoundTests {
    typealias F = ContestFixtures

    static let pollJSON = #"""
        {"kind":"poll","title":"你最想学哪方面内容？","timeLimitSeconds":30,
         "poll":[{"prompt":"你最想学哪方面内容？","options":["党史","党章","时事"]},
                 {"prompt":"哪些学习方式适合你？","options":["线上","线下","送学上门"],"multiple":true}]}
        """#

    static func poll() throws -> RoundSettings {
        try JSONDecoder().decode(RoundSettings.self, from: Data(pollJSON.utf8))
    }

    /// Two 必答 questions, then the poll's two, then one 必答: drawn rows are stored at the numbers around the poll.
    static func contest(seats: Int = 3) throws -> ContestMachine {
        let settings = ContestSettings(
            title: "测试",
            rounds: [F.round(.everyone, count: 2, streak: 100), try poll(), F.round(.everyone, count: 1, streak: 100)])
        let slots = settings.questionSlots(drawn: [[11, 12], [], [13]])
        let drawn = slots.map {
            ContestQuestion(number: $0.number, round: $0.round, questionId: $0.questionId, question: F.single)
        }
        var machine = ContestMachine(settings: settings, questions: settings.questions(drawn: drawn))
        for id in 1...seats {
            _ = machine.join(Seat(id: id, branchId: 100, name: "选手\(id)", memberId: nil), at: 0)
        }
        return machine
    }

    @Test func aPollRoundNeedsNoBanksNorDrawAndScoresNothingByDefault() throws {
        let round = try Self.poll()
        #expect(round.banks.isEmpty)
        #expect(round.points == 0)
        #expect(round.poll.count == 2)
        #expect(round.poll[1].multiple)
        #expect(round.poll[1].question.type == .multiple)
        #expect(round.poll[0].question.answer == .choices([]))
        #expect(ContestSettings(title: "测试", rounds: [round]).problems().isEmpty)
        // Stored settings read back the same.
        let again = try JSONDecoder().decode(RoundSettings.self, from: JSONEncoder().encode(round))
        #expect(again == round)
    }

    @Test func badPollsAreRefusedNamingRoundAndQuestion() throws {
        var empty = try Self.poll()
        empty.poll = []
        #expect(
            ContestSettings(title: "测试", rounds: [F.round(.everyone, count: 1), empty]).problems()
                == ["第2轮：投票题须为 1–20 项 (round 2: poll must be 1–20 entries)"])
        var bad = try Self.poll()
        bad.poll[1].options = ["只有一个"]
        bad.poll[0].prompt = "  "
        bad.poll.append(PollQuestion(prompt: "重复？", options: ["是", "是"]))
        let problems = ContestSettings(title: "测试", rounds: [bad]).problems()
        #expect(problems.contains("第1轮第1题：投票题目须为 1–200 个字 (round 1 poll question 1: prompt must be 1–200 characters)"))
        #expect(problems.contains("第1轮第2题：投票选项须为 2–8 项 (round 1 poll question 2: options must be 2–8 entries)"))
        #expect(problems.contains("第1轮第3题：选项不能重复 (round 1 poll question 3: options must differ)"))
        var stray = F.round(.everyone, count: 1)
        stray.poll = [PollQuestion(prompt: "？", options: ["a", "b"])]
        #expect(
            ContestSettings(title: "测试", rounds: [stray]).problems()
                == ["第1轮：只有投票轮可以有投票题 (round 1: only a poll round has poll questions)"])
        // A poll round without its questions, or any other round without banks, does not even decode.
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(RoundSettings.self, from: Data(#"{"kind":"everyone","draw":{"count":1}}"#.utf8))
        }
    }

    @Test func drawnQuestionsKeepTheirNumbersAroundThePoll() throws {
        let machine = try Self.contest()
        #expect(machine.questions.map(\.number) == [1, 2, 3, 4, 5])
        #expect(machine.questions.map(\.round) == [0, 0, 1, 1, 2])
        #expect(machine.questions.map(\.questionId) == [11, 12, 0, 0, 13])
        #expect(machine.questions[2].question.stem == "你最想学哪方面内容？")
        #expect(machine.settings.pollQuestionCount == 2)
        // A contest without polls is stored and read exactly as before.
        let plain = ContestSettings(title: "测试", rounds: [F.round(.everyone, count: 2), F.round(.buzz, count: 1)])
        #expect(plain.questionSlots(drawn: [[5, 6], [7]]).map(\.number) == [1, 2, 3])
    }

    @Test func aPollCountsTheRoomAndMovesNoScoreNorStreak() throws {
        var machine = try Self.contest()
        var now: ContestTime = 0
        // Two right 必答 answers build seat 1's streak.
        for number in 1...2 {
            _ = try machine.command(.next, at: now)
            _ = machine.answer(seat: 1, number: number, .choices([1]), at: now + 100)
            _ = try machine.command(.reveal, at: now + 200)
            now += 1_000
        }
        let before = machine.scores
        #expect(machine.streaks[1] == 2)
        _ = try machine.command(.next, at: now)
        #expect(machine.answer(seat: 1, number: 3, .choices([0]), at: now + 10).outcome.isAccepted)
        #expect(machine.answer(seat: 2, number: 3, .choices([0]), at: now + 20).outcome.isAccepted)
        #expect(
            machine.answer(seat: 3, number: 3, .choices([0, 1]), at: now + 30).outcome == .rejected(.malformedAnswer))
        let changes = try machine.command(.reveal, at: now + 40)
        let reveal = try #require(changes.compactMap { if case .revealed(let r) = $0 { r } else { nil } }.first)
        #expect(reveal.distribution == [2, 0, 0])
        #expect(reveal.results.allSatisfy { $0.points == 0 && $0.correctness == nil })
        #expect(machine.scores == before)
        now += 1_000
        // The multiple-choice poll takes several picks.
        _ = try machine.command(.next, at: now)
        #expect(machine.answer(seat: 3, number: 4, .choices([0, 2]), at: now + 10).outcome.isAccepted)
        _ = try machine.command(.reveal, at: now + 20)
        #expect(machine.scores == before)
        now += 1_000
        // The streak went on past the poll: the next right 必答 answer earns its bonus.
        _ = try machine.command(.next, at: now)
        _ = machine.answer(seat: 1, number: 5, .choices([1]), at: now + 100)
        _ = try machine.command(.reveal, at: now + 200)
        #expect(machine.streaks[1] == 3)
        #expect(machine.scores[1]! - before[1]! > 1000)
    }

    @Test func resultsAndReportRowsLeaveThePollOut() throws {
        var machine = try Self.contest(seats: 2)
        var journal: [(input: ContestInput, at: ContestTime)] = []
        func apply(_ input: ContestInput, _ at: ContestTime) {
            journal.append((input, at))
            machine.apply(input, at: at)
        }
        for id in 1...2 { journal.append((.join(machine.seats[id]!), 0)) }
        var now: ContestTime = 0
        for number in 1...5 {
            apply(.command(.next), now)
            apply(.answer(seat: 1, number: number, answer: .choices([1])), now + 10)
            if let record = machine.current.flatMap({ $0.answers[1] }) {
                let row = ContestAnswerRow(accepted: record, in: machine)
                #expect((row == nil) == [3, 4].contains(number))
            }
            apply(.command(.reveal), now + 20)
            now += 1_000
        }
        let results = ContestResults(settings: machine.settings, questions: machine.questions, journal: journal)
        #expect(results.answers.map(\.number) == [1, 2, 5])
        #expect(results.revealed == 3)
        #expect(results.polls.map(\.number) == [3, 4])
        #expect(results.polls[0].counts == [0, 1, 0] && results.polls[0].voters == 1)
        #expect(results.polls[1].multiple)
        let sheet = try #require(results.pollSheet())
        #expect(sheet.name == "投票" && sheet.rows.count == 6)
        #expect(ContestResults(settings: machine.settings, questions: [], journal: []).pollSheet() == nil)
        let rows = ContestAnswerReplay.rows(settings: machine.settings, questions: machine.questions, journal: journal)
        #expect(rows.map(\.number) == [1, 2, 5])
    }
}

extension AnswerOutcome {
    fileprivate var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }
}
