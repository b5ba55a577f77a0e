import DengaoCore
import Foundation

@testable import DengaoStorage

/// Questions of every type, for contests and campaigns that report on them.
let reportQuestions: [Question] = [
    Question(type: .single, stem: "单选一", options: ["甲", "乙", "丙", "丁"], answer: .choices([1]), category: "党史"),
    Question(type: .single, stem: "单选二", options: ["甲", "乙", "丙"], answer: .choices([0]), category: "党章"),
    Question(type: .multiple, stem: "多选一", options: ["甲", "乙", "丙", "丁"], answer: .choices([0, 2]), category: "理论"),
    Question(type: .multiple, stem: "多选二", options: ["甲", "乙", "丙"], answer: .choices([1, 2]), category: "党史"),
    Question(type: .trueFalse, stem: "判断一", answer: .truth(true), category: "党章"),
    Question(type: .trueFalse, stem: "判断二", answer: .truth(false), category: "理论"),
    Question(type: .fill, stem: "填空一", answer: .texts(["1921"]), category: "党史"),
]

func temporaryReportStore() throws -> Store {
    try Store(
        directory: FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID().uuidString)").path)
}

/// Drives a contest the way `ContestRoom` does — time settled first (journaled as `.clock`), each input applied to
/// the machine and journaled only when accepted, with the answer's row and the reveal's points in its entry — from
/// a seeded stream of random inputs: joins (members and guests), kicks, every host command, answers right, wrong,
/// partial and malformed, buzzes and wagers.
struct RandomContestDriver {
    var machine: ContestMachine
    let contestId: ContestID
    var generator: SeededGenerator
    var time: ContestTime = 1_000_000
    var nextSeq: Int64 = 1
    var entries: [JournalEntry] = []

    init(settings: ContestSettings, questions: [ContestQuestion], contestId: ContestID, seed: UInt64) {
        machine = ContestMachine(settings: settings, questions: questions)
        self.contestId = contestId
        generator = SeededGenerator(seed: seed)
    }

    /// A random contest of up to three rounds of kinds drawn at random, over the pool's questions.
    static func randomContest(pool: [(id: QuestionID, question: Question)], seed: UInt64) -> (
        ContestSettings, [ContestQuestion]
    ) {
        var generator = SeededGenerator(seed: seed, 1)
        let roundCount = Int.random(in: 1...3, using: &generator)
        var rounds: [RoundSettings] = []
        var questions: [ContestQuestion] = []
        for round in 0..<roundCount {
            let kind = RoundKind.allCases.randomElement(using: &generator)!
            rounds.append(
                RoundSettings(
                    title: "r\(round)", kind: kind, banks: ["题库"], draw: DrawRule(count: 1),
                    timeLimitSeconds: Int.random(in: 5...20, using: &generator),
                    streakBonus: Int.random(in: 0...50, using: &generator), readSeconds: 1, answerSeconds: 5))
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let drawn = pool.randomElement(using: &generator)!
                questions.append(
                    ContestQuestion(
                        number: questions.count + 1, round: round, questionId: drawn.id,
                        question: drawn.question))
            }
        }
        let settings = ContestSettings(
            title: "随机\(seed)", multipleChoice: Bool.random(using: &generator) ? .allOrNothing : .halfForSubset,
            rounds: rounds)
        return (settings, questions)
    }

    private mutating func record(_ input: ContestInput, accepted: AnswerRecord? = nil, changes: [ContestChange]) {
        let revealed = changes.compactMap { change -> RevealedPoints? in
            if case .revealed(let reveal) = change { RevealedPoints(reveal) } else { nil }
        }.first
        entries.append(
            JournalEntry(
                contestId: contestId, seq: nextSeq, at: time, input: input,
                answerRow: accepted.flatMap { ContestAnswerRow(accepted: $0, in: machine) },
                revealedPoints: revealed))
        nextSeq += 1
    }

    /// One step: time moves on, is settled, and one random input is tried.
    mutating func step() {
        time += ContestTime.random(in: 0...1_500, using: &generator)
        let settled = machine.advance(to: time)
        if !settled.isEmpty { record(.clock, changes: settled) }
        let seatCount = machine.seats.count
        let seat = Int.random(in: 1...max(1, seatCount), using: &generator)
        let number = machine.currentQuestion?.number ?? 1
        switch Int.random(in: 0..<20, using: &generator) {
        case 0..<3 where seatCount < 8 || machine.phase == .lobby:
            let id = seatCount + 1
            let member: MemberID? = Bool.random(using: &generator) ? MemberID(Int64(100 + id)) : nil
            let joined = Seat(id: id, branchId: UnitID(Int64(1 + id % 3)), name: "选手\(id)", memberId: member)
            let (refusal, changes) = machine.join(joined, at: time)
            if refusal == nil { record(.join(joined), changes: changes) }
        case 3
        where machine.phase != .finished && machine.seats[seat] != nil && !machine.kicked.contains(seat)
            && Int.random(in: 0..<4, using: &generator) == 0:
            record(.kick(seat: seat), changes: machine.apply(.kick(seat: seat), at: time))
        case 4..<8:
            let commands: [HostCommand] = [
                .next, .next, .close, .reveal, .reveal, .leaderboard, .pause, .resume, .finish,
            ]
            var command = commands.randomElement(using: &generator)!
            // Finishing ends the contest: rarely, so most runs play through several questions.
            if command == .finish, Int.random(in: 0..<12, using: &generator) != 0 { command = .next }
            if let changes = try? machine.command(command, at: time) { record(.command(command), changes: changes) }
        case 8..<10:
            let (outcome, changes) = machine.buzz(seat: seat, number: number, at: time)
            if case .rejected = outcome {} else { record(.buzz(seat: seat, number: number), changes: changes) }
        case 10:
            let amount = [10, 20, 30, 40].randomElement(using: &generator)!
            let (outcome, changes) = machine.wager(seat: seat, number: number, amount: amount, at: time)
            if case .accepted(let taken) = outcome {
                record(.wager(seat: seat, number: number, amount: taken), changes: changes)
            }
        default:
            let answer = randomAnswer()
            let (outcome, changes) = machine.answer(seat: seat, number: number, answer, at: time)
            if case .accepted(let accepted) = outcome {
                record(.answer(seat: seat, number: number, answer: answer), accepted: accepted, changes: changes)
            }
        }
    }

    /// An answer to the question on show: right, wrong, partial, or of the wrong shape.
    private mutating func randomAnswer() -> PlayerAnswer {
        guard let question = machine.currentQuestion?.question else { return .choices([0]) }
        switch (question.answer, Int.random(in: 0..<10, using: &generator)) {
        case (_, 0): return .text("不像样")
        case (.choices(let key), 1...3): return .choices(key)
        case (.choices(let key), 4) where key.count > 1: return .choices([key[0]])
        case (.choices, _):
            let count = question.options.count
            if question.type == .single { return .choices([Int.random(in: 0..<count, using: &generator)]) }
            return .choices(Array((0..<count).filter { _ in Bool.random(using: &generator) }.prefix(count)))
        case (.truth(let truth), let roll): return .truth(roll < 6 ? truth : !truth)
        case (.texts(let texts), let roll): return .text(roll < 6 ? " \(texts[0]) " : "1935")
        }
    }
}

/// An answer row as the reports and the replay both give it, for comparing the two.
struct ComparableAnswer: Hashable, CustomStringConvertible {
    let number: Int, seat: Int, memberId: MemberID?, unitId: UnitID, questionId: QuestionID, answer: PlayerAnswer?
    let correctness: Correctness, points: Int?, elapsed: Int, at: Int64

    init(_ row: ResponseRow) {
        guard case .contestSeat(_, let seat) = row.attempt else { fatalError("not a contest row") }
        (number, self.seat, memberId, unitId, questionId, answer) = (
            row.slot, seat, row.memberId, row.unitId, row.questionId, row.answer
        )
        (correctness, points, elapsed, at) = (row.correctness, row.points, row.elapsedMilliseconds, row.at)
    }

    init(_ row: ContestAnswerRow) {
        (number, seat, memberId, unitId, questionId, answer) = (
            row.number, row.seat, row.memberId, row.unitId, row.questionId, row.answer
        )
        (correctness, points, elapsed, at) = (row.correctness, row.points, row.elapsedMilliseconds, row.receivedAt)
    }

    var description: String {
        "q\(number)/s\(seat) \(String(describing: answer)) \(correctness) \(String(describing: points))"
    }
}
