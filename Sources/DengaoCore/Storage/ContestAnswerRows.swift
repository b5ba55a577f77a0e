/// An accepted contest answer as the reports read it: one row of `contestAnswer`, written in the same transaction
/// as the journal entry that accepted it, so a report never counts an answer the journal lost or misses one it kept.
public struct ContestAnswerRow: Sendable, Hashable {
    public let number: Int
    public let seat: Int
    /// nil for a guest.
    public let memberId: MemberID?
    /// The seat's branch when it joined.
    public let unitId: UnitID
    public let questionId: QuestionID
    /// In the bank's option indices, not the phone's shuffled order.
    public let answer: PlayerAnswer
    public let correctness: Correctness
    public let elapsedMilliseconds: Int
    public let receivedAt: ContestTime
    /// What the reveal gave the seat; nil until the question is revealed.
    public let points: Int?

    public init(
        number: Int, seat: Int, memberId: MemberID?, unitId: UnitID, questionId: QuestionID, answer: PlayerAnswer,
        correctness: Correctness,
        elapsedMilliseconds: Int, receivedAt: ContestTime, points: Int? = nil
    ) {
        self.number = number
        self.seat = seat
        self.memberId = memberId
        self.unitId = unitId
        self.questionId = questionId
        self.answer = answer
        self.correctness = correctness
        self.elapsedMilliseconds = elapsedMilliseconds
        self.receivedAt = receivedAt
        self.points = points
    }

    /// The row of an answer `machine` has just accepted; nil if the machine does not know its seat or question,
    /// or the question is a poll's: the reports read results, and a poll's answers are opinions with no bank
    /// question behind them.
    public init?(accepted record: AnswerRecord, in machine: ContestMachine) {
        guard let seat = machine.seats[record.seat],
            let question = machine.questions.first(where: { $0.number == record.number }),
            machine.round(of: question).kind != .poll
        else { return nil }
        self.init(
            number: record.number, seat: record.seat, memberId: seat.memberId, unitId: seat.branchId,
            questionId: question.questionId,
            answer: record.answer, correctness: question.question.grade(record.answer),
            elapsedMilliseconds: record.elapsedMilliseconds, receivedAt: record.receivedAt)
    }

    func with(points: Int?) -> ContestAnswerRow {
        ContestAnswerRow(
            number: number, seat: seat, memberId: memberId, unitId: unitId, questionId: questionId, answer: answer,
            correctness: correctness, elapsedMilliseconds: elapsedMilliseconds, receivedAt: receivedAt, points: points)
    }
}

/// A reveal's points for the answer rows of its question, written with the reveal's journal entry. Seats that
/// answered but are not in `points` (kicked before the reveal) get 0, as the results' replay gives them.
public struct RevealedPoints: Sendable, Hashable {
    public let number: Int
    /// By seat, for every seat the reveal scored.
    public let points: [Int: Int]

    public init(number: Int, points: [Int: Int]) {
        self.number = number
        self.points = points
    }

    public init(_ reveal: Reveal) {
        self.init(
            number: reveal.number,
            points: Dictionary(reveal.results.map { ($0.seat, $0.points) }, uniquingKeysWith: { first, _ in first }))
    }
}

/// Rebuilds a contest's answer rows from its journal, as the room would have written them: how the migration
/// that added `contestAnswer` fills it for contests played before, and what tests compare the live rows with.
public enum ContestAnswerReplay {
    public static func rows(
        settings: ContestSettings, questions: [ContestQuestion], journal: [(input: ContestInput, at: ContestTime)]
    )
        -> [ContestAnswerRow]
    {
        var machine = ContestMachine(settings: settings, questions: questions)
        var rows: [ContestAnswerRow] = []
        var rowIndex: [Int: [Int: Int]] = [:]  // number → seat → index in rows
        for (input, at) in journal {
            let changes: [ContestChange]
            if case .answer(let seat, let number, let answer) = input {
                let (outcome, answerChanges) = machine.answer(seat: seat, number: number, answer, at: at)
                if case .accepted(let record) = outcome, let row = ContestAnswerRow(accepted: record, in: machine) {
                    if let index = rowIndex[number]?[seat] {
                        rows[index] = row
                    } else {
                        rowIndex[number, default: [:]][seat] = rows.count
                        rows.append(row)
                    }
                }
                changes = answerChanges
            } else {
                changes = machine.apply(input, at: at)
            }
            for case .revealed(let reveal) in changes {
                let points = RevealedPoints(reveal)
                for (seat, index) in rowIndex[reveal.number] ?? [:] {
                    rows[index] = rows[index].with(points: points.points[seat] ?? 0)
                }
            }
        }
        return rows
    }
}
