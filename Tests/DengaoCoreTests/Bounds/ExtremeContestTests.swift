import Foundation
import Testing

@testable import DengaoCore

/// A contest whose numbers are absurd (stored before the bounds existed, or edited by hand) plays and replays
/// without trapping, its scores held at the limits; one at the edges of the bounds plays exactly.
@Suite struct ExtremeContestTests {
    typealias F = ContestFixtures

    /// The answer `question`'s key asks for.
    static func right(_ question: Question) -> PlayerAnswer {
        switch question.answer {
        case .choices(let key): .choices(key)
        case .truth(let truth): .truth(truth)
        case .texts(let texts): .text(texts[0])
        }
    }

    static func absurdBuzzRound(_ count: Int) -> RoundSettings {
        RoundSettings(
            title: "抢答", kind: .buzz, banks: ["示例"], draw: DrawRule(count: count), timeLimitSeconds: .max, points: .max,
            streakBonus: .max, readSeconds: .max, answerSeconds: .max, earlyBuzzPenalty: .max, wrongAnswerPenalty: .max,
            wagers: [.max, .min])
    }

    /// The issue's case: `earlyBuzzPenalty` 9223372036854775807, two early buzzes and a reveal, twice. It used
    /// to trap in the reveal and again in every replay at start-up.
    @Test func earlyBuzzesWithAnAbsurdPenaltySaturate() throws {
        var machine = F.machine([Self.absurdBuzzRound(2)])
        var journal: [(input: ContestInput, at: ContestTime)] = (1...3).map {
            (.join(Seat(id: $0, branchId: UnitID(Int64(100 + $0 % 2)), name: "选手\($0)", memberId: nil)), 0)
        }
        var scoreboard = ContestScoreboard(branchScoring: .mean)
        for seat in 1...3 { scoreboard.add(seat: seat, branchId: UnitID(Int64(100 + seat % 2))) }
        var now: ContestTime = 1000
        func input(_ input: ContestInput) {
            journal.append((input, now))
            for case .revealed(let reveal) in machine.apply(input, at: now) {
                for result in reveal.results { scoreboard.add(points: result.points, to: result.seat) }
            }
            now += 100
        }
        for number in 1...2 {
            input(.command(.next))
            #expect(machine.buzz(seat: 1, number: number, at: now).outcome == .early(penalty: .max))
            journal.append((.buzz(seat: 1, number: number), now))
            input(.buzz(seat: 2, number: number))
            input(.command(.reveal))
            input(.command(.leaderboard))
        }
        #expect(machine.scores == [1: .min, 2: .min, 3: 0])
        #expect(scoreboard.score(of: 1) == .min && scoreboard.score(of: 3) == 0)
        #expect(scoreboard.rank(of: 3) == 1 && scoreboard.rank(of: 1) == 2 && scoreboard.rank(of: 2) == 2)
        #expect(scoreboard.top(3).map(\.seat) == [3, 1, 2])
        // Branch 101 holds seats 1 and 3: its mean of Int.min and 0 is rounded without trapping.
        let branches = scoreboard.branches()
        #expect(branches.map(\.branchId) == [101, 100])
        #expect(branches.last?.score == .min)
        // The replay a restart and the results download make.
        let results = ContestResults(settings: machine.settings, questions: machine.questions, journal: journal)
        #expect(results.standings.map(\.score) == [0, .min, .min])
        let sheets = results.sheets(
            questions: machine.questions, branchNames: [100: "一支部", 101: "二支部"], memberNumbers: [:],
            branchScoring: .mean, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        #expect(sheets.count == 3)
        #expect(machine.nextDeadline == nil || machine.nextDeadline! >= 0)
    }

    @Test func absurdPointsStakesAndLimitsSaturateInEveryKindOfRound() throws {
        let everyone = RoundSettings(
            title: "必答", kind: .everyone, banks: ["示例"], draw: DrawRule(count: 3), timeLimitSeconds: .max, points: .max,
            streakBonus: .max)
        var risk = Self.absurdBuzzRound(2)
        risk.kind = .risk
        let buzz = Self.absurdBuzzRound(1)
        var machine = F.machine([everyone, risk, buzz], multipleChoice: .halfForSubset, grace: .max)
        var now: ContestTime = 0
        // 必答: seat 1 right every time (Int.max points, then an Int.max streak bonus on top), seat 2 wrong.
        for _ in 0..<3 {
            _ = try machine.command(.next, at: now)
            let question = try #require(machine.currentQuestion)
            #expect(machine.nextDeadline == .max)
            _ = machine.answer(seat: 1, number: question.number, Self.right(question.question), at: now + 1)
            _ = machine.answer(seat: 2, number: question.number, .text("错"), at: now + 2)
            #expect(machine.advance(to: .max - 1).isEmpty)
            _ = try machine.command(.reveal, at: now + 3)
            now += 10
        }
        #expect(machine.scores[1] == .max)
        // 风险: stakes of Int.max and Int.min; seat 1 stakes Int.min and does not answer (it loses Int.min: the
        // negation is held at Int.max), seat 2 stakes Int.max and answers right, seat 3 neither.
        for _ in 0..<2 {
            _ = try machine.command(.next, at: now)
            let question = try #require(machine.currentQuestion)
            #expect(
                machine.wager(seat: 1, number: question.number, amount: .min, at: now).outcome
                    == .accepted(amount: .min))
            #expect(
                machine.wager(seat: 2, number: question.number, amount: .max, at: now).outcome
                    == .accepted(amount: .max))
            #expect(
                machine.wager(seat: 3, number: question.number, amount: 10, at: now).outcome
                    == .rejected(.wagerNotAllowed))
            _ = try machine.command(.next, at: now + 1)
            _ = machine.answer(seat: 2, number: question.number, Self.right(question.question), at: now + 2)
            _ = try machine.command(.reveal, at: now + 3)
            now += 10
        }
        #expect(machine.scores[1] == .max)
        #expect(machine.scores[2] == .max)
        // Seat 3 staked nothing: the smallest stake, Int.min, lost twice — held at Int.max.
        #expect(machine.scores[3] == .max)
        // 抢答 after the buzzer opens: the buzzer never opens (read time Int.max), so every buzz is early.
        _ = try machine.command(.next, at: now)
        let number = try #require(machine.currentQuestion).number
        #expect(machine.buzz(seat: 3, number: number, at: .max).outcome == .early(penalty: .max))
        _ = try machine.command(.reveal, at: .max)
        #expect(machine.scores[3] == 0)
        _ = try machine.command(.finish, at: .max)
        #expect(machine.phase == .finished)
    }

    @Test func aBuzzerHolderWithAbsurdAnswerTimeAndPenalty() throws {
        var round = Self.absurdBuzzRound(1)
        round.readSeconds = 0
        var machine = F.machine([round])
        _ = try machine.command(.next, at: 0)
        let number = try #require(machine.currentQuestion).number
        #expect(machine.buzz(seat: 1, number: number, at: 1).outcome == .won(answerBy: .max))
        _ = machine.answer(seat: 1, number: number, .choices([0]), at: 2)
        // The holder answered wrong: the penalty is Int.max, the others get a window of Int.max milliseconds.
        #expect(machine.current?.buzz.points[1] == -Int.max)
        #expect(machine.current?.buzz.closesAt == .max)
        #expect(machine.remainingMilliseconds(at: 3) != nil)
        #expect(machine.buzz(seat: 2, number: number, at: 4).outcome == .won(answerBy: .max))
        // Time runs out only at the end of time: advancing to it settles nothing early and does not trap.
        _ = machine.advance(to: .max)
        _ = try machine.command(.reveal, at: .max)
        #expect(machine.scores[1] == -Int.max)
    }

    /// Pausing and resuming at extreme times, as a replay of a hand-edited journal could.
    @Test func pausesAtExtremeTimesDoNotTrap() throws {
        var machine = F.machine([F.round(.everyone, count: 1)])
        _ = try machine.command(.next, at: .min)
        _ = try machine.command(.pause, at: .min)
        _ = try machine.command(.resume, at: .max)
        _ = try machine.command(.pause, at: .max)
        _ = try machine.command(.resume, at: .max)
        #expect(machine.current?.pausedMilliseconds == .max)
        #expect(machine.remainingMilliseconds(at: .max) != nil)
        _ = machine.nextDeadline
        _ = try machine.command(.reveal, at: .max)
    }

    /// Every number at the upper edge of its bound: the contest plays exactly, nowhere near saturating.
    @Test func aContestAtTheEdgesOfTheBoundsScoresExactly() throws {
        typealias B = RoundSettings.Bounds
        let count = DrawRule.Bounds.count.range.upperBound
        let everyone = RoundSettings(
            title: String(repeating: "题", count: B.title.range.upperBound), kind: .everyone, banks: ["示例"],
            draw: DrawRule(count: count), timeLimitSeconds: B.timeLimitSeconds.range.upperBound,
            points: B.points.range.upperBound,
            streakBonus: B.streakBonus.range.upperBound, readSeconds: B.readSeconds.range.upperBound,
            answerSeconds: B.answerSeconds.range.upperBound, earlyBuzzPenalty: B.earlyBuzzPenalty.range.upperBound,
            wrongAnswerPenalty: B.wrongAnswerPenalty.range.upperBound,
            wagers: Array(repeating: B.wager.range.upperBound, count: B.wagerCount.range.upperBound))
        var buzz = everyone
        buzz.kind = .buzz
        var risk = everyone
        risk.kind = .risk
        let rounds = (0..<ContestSettings.Bounds.rounds.range.upperBound).map { [everyone, buzz, risk][$0 % 3] }
        var machine = F.machine(rounds, grace: ContestSettings.Bounds.graceMilliseconds.range.upperBound)
        #expect(machine.settings.problems().isEmpty)
        var now: ContestTime = 0
        var expected = 0
        var streak = 0
        for question in machine.questions {
            _ = try machine.command(.next, at: now)
            let kind = machine.round(of: question).kind
            switch kind {
            case .everyone:
                _ = machine.answer(seat: 1, number: question.number, Self.right(question.question), at: now)
                expected += 100_000 + 10_000 * min(streak, RoundSettings.maxStreak)
                streak += 1
            case .risk:
                #expect(
                    machine.wager(seat: 1, number: question.number, amount: 100_000, at: now).outcome
                        == .accepted(amount: 100_000))
                _ = try machine.command(.next, at: now)
                _ = machine.answer(seat: 1, number: question.number, Self.right(question.question), at: now)
                expected += 100_000
            case .buzz:
                // Seat 1 buzzes early (the read time is a minute) and loses the penalty.
                #expect(machine.buzz(seat: 1, number: question.number, at: now).outcome == .early(penalty: 100_000))
                expected -= 100_000
            case .poll:
                Issue.record("no poll round in this contest")
            }
            _ = try machine.command(.reveal, at: now + 1)
            now += 1_000
        }
        #expect(machine.scores[1] == expected)
        // Seats 2 and 3 never answered: they lost the smallest stake on every 风险 question.
        let riskQuestions = machine.questions.filter { machine.round(of: $0).kind == .risk }.count
        #expect(machine.scores[2] == -100_000 * riskQuestions)
        #expect(abs(expected) < 1_000_000_000)
    }

    /// Random contests with numbers drawn from the extremes (in bounds and out), driven by random inputs: nothing
    /// traps, the live scoreboard agrees with the machine, and the results replay agrees with both. A failing seed
    /// is printed; `DENGAO_FUZZ_SEED` replays one.
    @Test(arguments: FuzzSeeds.seeds) func randomContestsWithExtremeNumbersNeverTrap(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        for iteration in 0..<60 {
            func pick<T>(_ values: [T]) -> T { values[random.uniform(below: values.count)] }
            let extremes = [
                0, 1, -1, 3, 5, 60, 100, 100_000, 100_001, .max, .min, .max - 1, .min + 1, 1 << 53, -(1 << 53),
            ]
            let rounds = (0..<(1 + random.uniform(below: 3))).map { _ in
                RoundSettings(
                    title: "轮", kind: pick(RoundKind.allCases), banks: ["示例"],
                    draw: DrawRule(count: 1 + random.uniform(below: 3)),
                    timeLimitSeconds: pick(extremes), points: pick(extremes), streakBonus: pick(extremes),
                    readSeconds: pick(extremes),
                    answerSeconds: pick(extremes), earlyBuzzPenalty: pick(extremes), wrongAnswerPenalty: pick(extremes),
                    wagers: [pick(extremes), pick(extremes)])
            }
            var machine = F.machine(
                rounds, multipleChoice: pick([.allOrNothing, .halfForSubset]), grace: pick(extremes))
            var scoreboard = ContestScoreboard(branchScoring: pick([.sum, .mean]))
            var journal: [(input: ContestInput, at: ContestTime)] = machine.seats.values.sorted { $0.id < $1.id }.map {
                (.join($0), 0)
            }
            for seat in machine.seats.values { scoreboard.add(seat: seat.id, branchId: seat.branchId) }
            var now: ContestTime = 0
            for _ in 0..<40 {
                now = now.saturatingAdding(ContestTime(pick([0, 1, 500, 3_000, 60_000, 1 << 40, .max])))
                let current = machine.currentQuestion?.number ?? 1
                let number = pick([current, current + 1, 0, -1, .max, .min])
                let seat = 1 + random.uniform(below: 4)
                let input: ContestInput =
                    switch random.uniform(below: 6) {
                    case 0, 1: .command(pick(HostCommand.allCases.filter { $0 != .finish }))
                    case 2:
                        .answer(
                            seat: seat, number: number,
                            answer: pick([
                                .choices([1]), .choices([0, 2]), .truth(true), .text("上海"), .choices([.max]),
                            ]))
                    case 3: .buzz(seat: seat, number: number)
                    case 4: .wager(seat: seat, number: number, amount: pick(rounds.flatMap(\.wagers) + extremes))
                    default: .kick(seat: seat)
                    }
                journal.append((input, now))
                if case .kick(let kicked) = input, machine.seats[kicked] != nil, !machine.kicked.contains(kicked),
                    machine.phase != .finished
                {
                    scoreboard.remove(seat: kicked)
                }
                for case .revealed(let reveal) in machine.apply(input, at: now) {
                    for result in reveal.results { scoreboard.add(points: result.points, to: result.seat) }
                }
                _ = machine.nextDeadline
                _ = machine.remainingMilliseconds(at: now)
            }
            journal.append((.command(.finish), now))
            for case .revealed(let reveal) in machine.apply(.command(.finish), at: now) {
                for result in reveal.results { scoreboard.add(points: result.points, to: result.seat) }
            }
            for seat in machine.activeSeatIds {
                #expect(
                    scoreboard.score(of: seat) == machine.scores[seat],
                    "seed \(seed), iteration \(iteration), seat \(seat)")
            }
            _ = scoreboard.branches()
            _ = scoreboard.top(10)
            let results = ContestResults(settings: machine.settings, questions: machine.questions, journal: journal)
            #expect(
                Dictionary(uniqueKeysWithValues: results.standings.map { ($0.seat.id, $0.score) }) == machine.scores,
                "seed \(seed), iteration \(iteration)")
            _ = results.sheets(
                questions: machine.questions, branchNames: [:], memberNumbers: [:], branchScoring: .mean,
                timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        }
    }
}

/// The seeds of the randomized tests: a fixed one, so a run is reproducible, and a fresh one each run, so runs
/// keep exploring (its value is in the test's name and in every failure). `DENGAO_FUZZ_SEED` replaces the fresh one.
enum FuzzSeeds {
    static let seeds: [UInt64] = [
        0x5EED_B0D5,
        ProcessInfo.processInfo.environment["DENGAO_FUZZ_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 1...UInt64.max),
    ]
}
