import Testing

@testable import DengaoCore

/// 抢答 and 风险 figures read from a contest's journal, on hand-counted plays.
@Suite struct PlayFiguresTests {
    typealias F = ContestFixtures

    @Test func aReplayCountsBuzzesFalseStartsAndStakes() {
        // Question 1 (抢答, single keyed B, reading 3 s): seat 1 presses at 1 s (抢跑), seat 1 again (refused: already
        // tried), seat 2 wins at 3 s and is wrong, seat 3 wins at 4 s and lets the 10 s run out, then the host reveals.
        // Question 2 (风险, true/false keyed true): seat 1 stakes 30 then changes to 20, seat 2 stakes 10, seat 3 none;
        // seat 1 right, seat 2 wrong, seat 3 does not answer.
        let machine = F.machine(
            [F.round(.buzz, count: 1), F.round(.risk, count: 1)], pool: [F.single, F.truth], seats: 0)
        let seats = (1...3).map { Seat(id: $0, branchId: 100, name: "p\($0)", memberId: nil) }
        var journal: [(input: ContestInput, at: ContestTime)] = seats.map { (.join($0), 0) }
        journal += [
            (.command(.next), 0), (.buzz(seat: 1, number: 1), 1_000), (.buzz(seat: 1, number: 1), 3_500),
            (.buzz(seat: 2, number: 1), 3_000), (.answer(seat: 2, number: 1, answer: .choices([0])), 3_500),
            (.buzz(seat: 3, number: 1), 4_000), (.clock, 14_500), (.command(.reveal), 15_000),
            (.command(.next), 16_000), (.wager(seat: 1, number: 2, amount: 30), 16_100),
            (.wager(seat: 1, number: 2, amount: 20), 16_200), (.wager(seat: 2, number: 2, amount: 10), 16_300),
            (.command(.next), 17_000), (.answer(seat: 1, number: 2, answer: .truth(true)), 18_000),
            (.answer(seat: 2, number: 2, answer: .truth(false)), 18_000), (.command(.reveal), 40_000),
            (.command(.finish), 41_000),
        ]
        let results = ContestResults(settings: machine.settings, questions: machine.questions, journal: journal)
        let buzz = results.buzzFigures[1]
        #expect(buzz?.buzzes == 2 && buzz?.falseStarts == 1)
        #expect(buzz?.correct == 0 && buzz?.wrong == 1 && buzz?.timedOut == 1)
        #expect(buzz?.winnerAccuracy == 0)
        #expect(results.stakeFigures[1] == nil && results.buzzFigures[2] == nil)
        let stakes = results.stakeFigures[2]
        #expect(
            stakes?.levels.map { [$0.stake, $0.count] } == [[10, 2], [20, 1], [30, 0]], "the changed stake counts once")
        #expect(stakes?.players == 3 && stakes?.defaulted == 1)
        #expect(stakes?.meanStake == 40.0 / 3)
        #expect(stakes?.pointsWon == 20 && stakes?.pointsLost == 20, "seat 2 loses 10, seat 3 (no answer) loses 10")
        // The scores the replay gives agree: −50 (抢跑) + 20; −100 (wrong buzz) − 10; −100 (timed out) − 10.
        #expect(
            Dictionary(uniqueKeysWithValues: results.standings.map { ($0.seat.id, $0.score) }) == [
                1: -30, 2: -110, 3: -110,
            ])
        let figures = results.playFigures(questions: machine.questions)
        #expect(figures[1]?.buzz == buzz && figures[2]?.stakes == stakes)
    }

    @Test func figuresWithoutPlayersAreEmptyNotNaN() {
        let buzz = BuzzFigures(buzzes: 0, falseStarts: 2, answered: 0, correct: 0)
        #expect(buzz.winnerAccuracy == nil && buzz.timedOut == 0)
        let stakes = StakeFigures(allowed: [30, 10], seats: [])
        #expect(stakes.levels.map(\.stake) == [10, 30] && stakes.meanStake == nil && stakes.pointsWon == 0)
        let cells = QuestionPlayFigures(buzz: buzz, stakes: nil).cells
        #expect(cells == [.number(0), .number(2), .number(0), .text(""), .text(""), .text(""), .text(""), .text("")])
    }
}
