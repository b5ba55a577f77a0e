import Testing

@testable import DengaoCore

/// The contest rules event by event, with time passed in by hand (milliseconds).
@Suite struct ContestMachineTests {
    typealias F = ContestFixtures

    @Test func speedRuleScoresFullForInstantAndHalfAtTheDeadline() {
        #expect(Scoring.speedPoints(points: 1000, elapsedMilliseconds: 0, limitMilliseconds: 20_000) == 1000)
        #expect(Scoring.speedPoints(points: 1000, elapsedMilliseconds: 10_000, limitMilliseconds: 20_000) == 750)
        #expect(Scoring.speedPoints(points: 1000, elapsedMilliseconds: 20_000, limitMilliseconds: 20_000) == 500)
        #expect(Scoring.speedPoints(points: 1000, elapsedMilliseconds: 25_000, limitMilliseconds: 20_000) == 500)
        #expect(Scoring.speedPoints(points: 999, elapsedMilliseconds: 1, limitMilliseconds: 3) == 833)
    }

    @Test func everyoneRoundFromLobbyToReveal() throws {
        var m = F.machine([F.round(.everyone, count: 2)])
        #expect(m.phase == .lobby)
        #expect(try m.command(.next, at: 1_000) == [.phase])
        #expect(m.phase == .open)
        #expect(m.nextDeadline == 21_500)
        // Seat 1 right after 5 s, seat 2 wrong, seat 3 silent.
        #expect(
            m.answer(seat: 1, number: 1, .choices([1]), at: 6_000).outcome
                == .accepted(
                    AnswerRecord(
                        seat: 1, number: 1, answer: .choices([1]), receivedAt: 6_000, elapsedMilliseconds: 5_000)))
        if case .accepted = m.answer(seat: 2, number: 1, .choices([0]), at: 7_000).outcome {
        } else {
            Issue.record("seat 2 refused")
        }
        #expect(m.phase == .open)
        let changes = try m.command(.reveal, at: 8_000)
        #expect(m.phase == .revealed)
        guard case .revealed(let reveal) = changes.last else { Issue.record("no reveal"); return }
        #expect(reveal.distribution == [1, 1, 0, 0])
        #expect(reveal.key == .choices([1]))
        #expect(reveal.results.map(\.points) == [875, 0, 0])
        #expect(reveal.results.map(\.correctness) == [.correct, .wrong, nil])
        #expect(m.scores == [1: 875, 2: 0, 3: 0])
        _ = try m.command(.leaderboard, at: 9_000)
        #expect(m.phase == .leaderboard)
        _ = try m.command(.next, at: 10_000)
        #expect(m.currentQuestion?.number == 2)
    }

    @Test func answersAtTheDeadlineAndInTheGraceCountAsAtTheDeadline() throws {
        var m = F.machine([F.round(.everyone, count: 1, limit: 10)])
        _ = try m.command(.next, at: 0)
        guard case .accepted(let atDeadline) = m.answer(seat: 1, number: 1, .choices([1]), at: 10_000).outcome,
            case .accepted(let inGrace) = m.answer(seat: 2, number: 1, .choices([1]), at: 10_499).outcome
        else { Issue.record("refused"); return }
        #expect(atDeadline.elapsedMilliseconds == 10_000)
        #expect(inGrace.elapsedMilliseconds == 10_000)
        #expect(m.phase == .open)
        // At deadline + grace the window is shut: late, and the phase closes on that very event.
        let late = m.answer(seat: 3, number: 1, .choices([1]), at: 10_500)
        #expect(late.outcome == .late)
        #expect(late.changes == [.phase])
        #expect(m.phase == .closed)
        _ = try m.command(.reveal, at: 11_000)
        #expect(m.scores == [1: 500, 2: 500, 3: 0])
    }

    @Test func advanceClosesOnlyOnceTheGraceHasPassed() throws {
        var m = F.machine([F.round(.everyone, count: 1, limit: 10)])
        _ = try m.command(.next, at: 0)
        let early = m.advance(to: 10_499)
        let due = m.advance(to: 10_500)
        #expect(early.isEmpty)
        #expect(due == [.phase])
        #expect(m.phase == .closed)
        #expect(m.nextDeadline == nil)
    }

    @Test func aSecondAnswerIsTheFirstAcknowledgedAgain() throws {
        var m = F.machine([F.round(.everyone, count: 1)])
        _ = try m.command(.next, at: 0)
        guard case .accepted(let first) = m.answer(seat: 1, number: 1, .choices([2]), at: 1_000).outcome else {
            Issue.record(); return
        }
        #expect(m.answer(seat: 1, number: 1, .choices([1]), at: 2_000).outcome == .duplicate(first))
        _ = try m.command(.reveal, at: 3_000)
        #expect(m.scores[1] == 0)
        // Even after the reveal, the same answer is the same acknowledgement, not "late".
        #expect(m.answer(seat: 1, number: 1, .choices([2]), at: 4_000).outcome == .duplicate(first))
    }

    @Test func lastAnswerClosesTheWindowEarly() throws {
        var m = F.machine([F.round(.everyone, count: 1)], seats: 2)
        _ = try m.command(.next, at: 0)
        _ = m.answer(seat: 1, number: 1, .choices([1]), at: 100)
        let last = m.answer(seat: 2, number: 1, .choices([1]), at: 200)
        #expect(last.changes == [.progress, .phase])
        #expect(m.phase == .closed)
    }

    @Test func refusalsChangeNothing() throws {
        var m = F.machine([F.round(.everyone, count: 2)])
        #expect(m.answer(seat: 1, number: 1, .choices([1]), at: 0).outcome == .rejected(.notThisQuestion))
        _ = try m.command(.next, at: 0)
        let before = m.current
        #expect(m.answer(seat: 9, number: 1, .choices([1]), at: 10).outcome == .rejected(.notSeated))
        #expect(m.answer(seat: 1, number: 2, .choices([1]), at: 10).outcome == .rejected(.notThisQuestion))
        #expect(m.answer(seat: 1, number: 1, .choices([7]), at: 10).outcome == .rejected(.malformedAnswer))
        #expect(m.answer(seat: 1, number: 1, .choices([1, 2]), at: 10).outcome == .rejected(.malformedAnswer))
        #expect(m.answer(seat: 1, number: 1, .truth(true), at: 10).outcome == .rejected(.malformedAnswer))
        #expect(m.current == before)
        #expect(throws: ContestMachine.CommandError.notNow(.next, .open)) { try m.command(.next, at: 20) }
        #expect(throws: ContestMachine.CommandError.notNow(.leaderboard, .open)) { try m.command(.leaderboard, at: 20) }
    }

    @Test func pauseFreezesTheClockAndRefusesAnswers() throws {
        var m = F.machine([F.round(.everyone, count: 1, limit: 10)])
        _ = try m.command(.next, at: 0)
        _ = try m.command(.pause, at: 4_000)
        #expect(m.remainingMilliseconds(at: 60_000) == 6_000)
        #expect(m.nextDeadline == nil)
        #expect(m.advance(to: 60_000).isEmpty)
        #expect(m.answer(seat: 1, number: 1, .choices([1]), at: 60_000).outcome == .rejected(.paused))
        _ = try m.command(.resume, at: 64_000)
        #expect(m.remainingMilliseconds(at: 65_000) == 5_000)
        #expect(m.nextDeadline == 70_500)
        guard case .accepted(let record) = m.answer(seat: 1, number: 1, .choices([1]), at: 65_000).outcome else {
            Issue.record(); return
        }
        #expect(record.elapsedMilliseconds == 5_000)
    }

    @Test func streakBonusGrowsWithConsecutiveCorrectAnswers() throws {
        var m = F.machine([F.round(.everyone, count: 3, streak: 100)], pool: [F.truth], seats: 1)
        var total = 0
        for (number, truth) in [(1, true), (2, true), (3, true)] {
            _ = try m.command(.next, at: Int64(number) * 100_000)
            _ = m.answer(seat: 1, number: number, .truth(truth), at: Int64(number) * 100_000)
            _ = try m.command(.reveal, at: Int64(number) * 100_000 + 1)
            total += 1000 + 100 * (number - 1)
        }
        #expect(m.scores[1] == total)
    }

    @Test func multipleChoiceHalfCreditOnlyWhenChosen() throws {
        for (rule, expected) in [(MultipleChoiceScoring.allOrNothing, 0), (.halfForSubset, 500)] {
            var m = F.machine([F.round(.everyone, count: 1)], pool: [F.multiple], seats: 1, multipleChoice: rule)
            _ = try m.command(.next, at: 0)
            _ = m.answer(seat: 1, number: 1, .choices([0]), at: 0)
            _ = try m.command(.reveal, at: 1)
            #expect(m.scores[1] == expected)
        }
    }

    @Test func buzzBeforeTheBuzzerOpensIsPenalizedAndEndsTheTurn() throws {
        var m = F.machine([F.round(.buzz, count: 1)], seats: 3)
        _ = try m.command(.next, at: 0)
        #expect(m.buzz(seat: 1, number: 1, at: 2_999).outcome == .early(penalty: 50))
        #expect(m.buzz(seat: 1, number: 1, at: 3_500).outcome == .rejected(.alreadyTried))
        #expect(m.buzz(seat: 2, number: 1, at: 3_000).outcome == .won(answerBy: 13_000))
        #expect(m.buzz(seat: 3, number: 1, at: 3_100).outcome == .rejected(.buzzerTaken))
        #expect(m.answer(seat: 3, number: 1, .choices([1]), at: 3_200).outcome == .rejected(.notYourTurn))
        // Seat 2 is wrong: −100, the buzzer reopens for seat 3, who is right: +100 and the question closes.
        _ = m.answer(seat: 2, number: 1, .choices([0]), at: 4_000)
        #expect(m.phase == .open)
        #expect(m.current?.buzz.holder == nil)
        #expect(m.buzz(seat: 3, number: 1, at: 5_000).outcome == .won(answerBy: 15_000))
        _ = m.answer(seat: 3, number: 1, .choices([1]), at: 6_000)
        #expect(m.phase == .closed)
        _ = try m.command(.reveal, at: 7_000)
        #expect(m.scores == [1: -50, 2: -100, 3: 100])
    }

    @Test func aBuzzerHolderWhoRunsOutOfTimeLosesThePenalty() throws {
        var m = F.machine([F.round(.buzz, count: 1)], seats: 2)
        _ = try m.command(.next, at: 0)
        _ = m.buzz(seat: 1, number: 1, at: 4_000)
        #expect(m.nextDeadline == 14_500)
        let timedOut = m.advance(to: 14_500)
        #expect(timedOut == [.buzzer])
        #expect(m.current?.buzz.holder == nil)
        #expect(m.phase == .open)
        // The buzzer reopened with a fresh 20 s window for seat 2, who lets it lapse too: closed, nobody scores.
        let lapsed = m.advance(to: 35_000)
        #expect(lapsed == [.phase])
        _ = try m.command(.reveal, at: 40_000)
        #expect(m.scores == [1: -100, 2: 0])
    }

    @Test func riskRoundStakesAndMissingWager() throws {
        var m = F.machine([F.round(.risk, count: 1)], seats: 3)
        _ = try m.command(.next, at: 0)
        #expect(m.phase == .wagering)
        #expect(m.answer(seat: 1, number: 1, .choices([1]), at: 10).outcome == .rejected(.notOpen))
        #expect(m.wager(seat: 1, number: 1, amount: 30, at: 100).outcome == .accepted(amount: 30))
        #expect(m.wager(seat: 2, number: 1, amount: 25, at: 100).outcome == .rejected(.wagerNotAllowed))
        #expect(m.wager(seat: 2, number: 1, amount: 20, at: 100).outcome == .accepted(amount: 20))
        _ = try m.command(.next, at: 1_000)
        #expect(m.phase == .open)
        #expect(m.wager(seat: 3, number: 1, amount: 30, at: 1_100).outcome == .rejected(.notWagering))
        _ = m.answer(seat: 1, number: 1, .choices([1]), at: 2_000)
        _ = m.answer(seat: 2, number: 1, .choices([2]), at: 2_000)
        _ = m.answer(seat: 3, number: 1, .choices([1]), at: 2_000)
        _ = try m.command(.reveal, at: 3_000)
        // Seat 3 chose no stake: the smallest (10) applies.
        #expect(m.scores == [1: 30, 2: -20, 3: 10])
    }

    @Test func teamModeSeatsOneDevicePerBranch() {
        var m = F.machine([F.round(.everyone, count: 1)], seats: 0, mode: .team)
        #expect(m.join(Seat(id: 1, branchId: 7, name: "一支部", memberId: nil), at: 0).outcome == nil)
        #expect(m.join(Seat(id: 2, branchId: 7, name: "一支部", memberId: nil), at: 0).outcome == .branchTaken)
        _ = m.kick(1, at: 1)
        #expect(m.join(Seat(id: 3, branchId: 7, name: "一支部", memberId: nil), at: 2).outcome == nil)
    }

    @Test func kickingTheLastUnansweredSeatClosesTheWindow() throws {
        var m = F.machine([F.round(.everyone, count: 1)], seats: 2)
        _ = try m.command(.next, at: 0)
        _ = m.answer(seat: 1, number: 1, .choices([1]), at: 100)
        #expect(m.kick(2, at: 200) == [.seats, .phase])
        #expect(m.phase == .closed)
        #expect(m.answer(seat: 2, number: 1, .choices([1]), at: 300).outcome == .rejected(.notSeated))
    }

    @Test func finishScoresAnUnrevealedQuestion() throws {
        var m = F.machine([F.round(.everyone, count: 2)], seats: 1)
        _ = try m.command(.next, at: 0)
        _ = m.answer(seat: 1, number: 1, .choices([1]), at: 0)
        _ = try m.command(.finish, at: 1_000)
        #expect(m.phase == .finished)
        #expect(m.scores[1] == 1000)
        #expect(throws: ContestMachine.CommandError.finished) { try m.command(.next, at: 2_000) }
        #expect(m.answer(seat: 1, number: 2, .choices([1]), at: 2_000).outcome == .late)
    }

    @Test func noMoreQuestionsAfterTheLast() throws {
        var m = F.machine([F.round(.everyone, count: 1)], seats: 1)
        _ = try m.command(.next, at: 0)
        _ = try m.command(.reveal, at: 1)
        #expect(!m.hasMoreQuestions)
        #expect(throws: ContestMachine.CommandError.noMoreQuestions) { try m.command(.next, at: 2) }
    }

    @Test func aClockEntryReplaysWhatTheDeadlineDidWithNoInputAfterIt() throws {
        // Live: the window closes at its deadline with nobody acting; the owner journals `.clock` at that moment.
        var live = F.machine([F.round(.buzz, count: 1), F.round(.everyone, count: 1)], seats: 2)
        _ = try live.command(.next, at: 0)
        _ = live.buzz(seat: 1, number: 1, at: 4_000)
        #expect(live.advance(to: 14_500) == [.buzzer])
        #expect(live.advance(to: 35_000) == [.phase])
        #expect(live.phase == .closed)
        // Replayed from the inputs and the two clock entries, the machine is where clients saw it, not still open.
        var replayed = F.machine([F.round(.buzz, count: 1), F.round(.everyone, count: 1)], seats: 2)
        replayed.apply(.command(.next), at: 0)
        replayed.apply(.buzz(seat: 1, number: 1), at: 4_000)
        replayed.apply(.clock, at: 14_500)
        #expect(replayed.current?.buzz.holder == nil && replayed.phase == .open)
        replayed.apply(.clock, at: 35_000)
        #expect(replayed.phase == .closed)
        #expect(replayed.current == live.current)
    }

    @Test func timeSettlesInOneStepSoAnInputMeetsASettledMachine() throws {
        // After any input at a moment, letting time pass to that same moment changes nothing more: the owner can
        // settle time first, journal it, and the input's own changes are all that remain.
        let rounds = [F.round(.everyone, count: 1, limit: 10), F.round(.buzz, count: 1), F.round(.risk, count: 1)]
        var m = F.machine(rounds, seats: 3)
        var generator = SeededGenerator(seed: 7)
        var time: ContestTime = 0
        for _ in 0..<2_000 {
            time += ContestTime.random(in: 0...3_000, using: &generator)
            let seat = Int.random(in: 1...3, using: &generator)
            let number = m.currentQuestion?.number ?? 1
            switch Int.random(in: 0..<8, using: &generator) {
            case 0: _ = try? m.command(HostCommand.allCases.randomElement(using: &generator)!, at: time)
            case 1: _ = m.buzz(seat: seat, number: number, at: time)
            case 2: _ = m.wager(seat: seat, number: number, amount: 20, at: time)
            case 3: _ = m.advance(to: time)
            default:
                _ = m.answer(seat: seat, number: number, .choices([Int.random(in: 0...3, using: &generator)]), at: time)
            }
            #expect(m.advance(to: time) == [], "time was not settled at \(time)")
            if m.phase == .finished { break }
        }
    }

    @Test func replayingTheInputsRebuildsTheSameMachine() throws {
        let rounds = [F.round(.everyone, count: 2, streak: 50), F.round(.buzz, count: 1), F.round(.risk, count: 1)]
        var live = F.machine(rounds, seats: 0)
        var journal: [(ContestInput, ContestTime)] = []
        func record(_ input: ContestInput, _ at: ContestTime) {
            journal.append((input, at))
            live.apply(input, at: at)
        }
        for id in 1...4 {
            record(.join(Seat(id: id, branchId: UnitID(Int64(id % 2)), name: "p\(id)", memberId: nil)), 0)
        }
        record(.command(.next), 1_000)
        record(.answer(seat: 1, number: 1, answer: .choices([1])), 2_000)
        record(.answer(seat: 2, number: 1, answer: .choices([1])), 9_000)
        record(.command(.pause), 10_000)
        record(.command(.resume), 50_000)
        record(.answer(seat: 3, number: 1, answer: .choices([3])), 51_000)
        // Deadline passes with no input; the next input's time closes it during replay as it did live.
        record(.command(.reveal), 90_000)
        record(.command(.next), 91_000)
        record(.answer(seat: 1, number: 2, answer: .truth(true)), 92_000)
        record(.kick(seat: 4), 92_500)
        record(.command(.reveal), 200_000)
        record(.command(.next), 201_000)
        record(.buzz(seat: 2, number: 3), 202_000)
        record(.buzz(seat: 3, number: 3), 204_500)
        record(.answer(seat: 3, number: 3, answer: .choices([0, 2])), 205_000)
        record(.command(.reveal), 206_000)
        record(.command(.next), 207_000)
        record(.wager(seat: 1, number: 4, amount: 30), 208_000)
        record(.command(.next), 209_000)
        record(.answer(seat: 1, number: 4, answer: .text("上 海")), 210_000)

        var replayed = F.machine(rounds, seats: 0)
        for (input, at) in journal { replayed.apply(input, at: at) }
        #expect(replayed.scores == live.scores)
        #expect(replayed.current == live.current)
        #expect(replayed.phase == live.phase)
        #expect(replayed.streaks == live.streaks)
        #expect(replayed.kicked == [4])
        #expect(live.phase == .open && live.currentQuestion?.number == 4)
        // Question 1: seat 1 right at 1 s (975), seat 2 right at 8 s (800), seat 3 wrong. Question 2: seat 1 right
        // again after 1 s (975 + streak 50). Question 3 (buzz): seat 2 early (−50), seat 3 right (+100).
        #expect(live.scores == [1: 975 + 1025, 2: 800 - 50, 3: 100, 4: 0])
        #expect(live.current?.answers[1]?.answer == .text("上 海"))
    }

    @Test func gradingFillAnswersIgnoresSpacingAndWidth() {
        #expect(F.fill.grade(.text(" 上海 ")) == .correct)
        #expect(F.fill.grade(.text("上海市")) == .correct)
        #expect(F.fill.grade(.text("北京")) == .wrong)
        #expect(F.fill.grade(.text("，")) == .wrong)
        #expect(F.multiple.grade(.choices([2, 0])) == .correct)
        #expect(F.multiple.grade(.choices([0, 1])) == .wrong)
    }
}
