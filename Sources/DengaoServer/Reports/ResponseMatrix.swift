import DengaoCore
import DengaoStorage

/// The answer matrix item analysis reads, built from the rows the store keeps: one `ReportAttempt` per contest seat
/// or campaign attempt, one `ReportItem` per question. docs/statistics.md states the choices made here.
enum ResponseMatrix {
    /// The credit of an answer: right 1, a partly right multiple choice ½ (as the contest's half-for-subset rule
    /// scores it), wrong or unanswered 0.
    static func credit(_ correctness: Correctness, answered: Bool) -> Double {
        guard answered else { return 0 }
        switch correctness {
        case .correct: return 1
        case .partial: return 0.5
        case .wrong: return 0
        }
    }

    static func response(_ row: ResponseRow) -> ItemResponse {
        var chosen: [Int] = []
        var truth: Bool?
        switch row.answer {
        case .choices(let picks): chosen = picks
        case .truth(let value): truth = value
        case .text, nil: break
        }
        return ItemResponse(
            questionId: row.questionId, slot: row.slot, credit: credit(row.correctness, answered: row.answer != nil),
            answered: row.answer != nil, chosen: chosen, truth: truth, elapsedMilliseconds: row.elapsedMilliseconds)
    }

    /// A contest's matrix: every seat the host kept, over the questions revealed so far. A seat saw a question if it
    /// had joined by the question's last answer; a seat that saw it and did not answer scores 0 there. `group` maps a
    /// seat's branch to the group reports show (its branch on the board).
    static func contest(rows: [ResponseRow], seats: [ContestSeatRow], group: (Int64) -> Int64) -> [ReportAttempt] {
        let revealed = rows.filter { $0.points != nil }
        var lastAnswer: [Int: Int64] = [:]
        var questionOfSlot: [Int: Int64] = [:]
        for row in revealed {
            lastAnswer[row.slot] = max(lastAnswer[row.slot] ?? row.at, row.at)
            questionOfSlot[row.slot] = row.questionId
        }
        var answers: [Int: [Int: ResponseRow]] = [:]
        for row in revealed {
            if case .contestSeat(_, let seat) = row.attempt { answers[seat, default: [:]][row.slot] = row }
        }
        return seats.filter { $0.kickedAt == nil }.map { seat in
            let own = answers[seat.seat] ?? [:]
            let responses = questionOfSlot.keys.sorted().compactMap { slot -> ItemResponse? in
                if let row = own[slot] { return response(row) }
                guard seat.joinedAt <= lastAnswer[slot]! else { return nil }
                return ItemResponse(questionId: questionOfSlot[slot]!, slot: slot, credit: 0, answered: false)
            }
            return ReportAttempt(id: Int64(seat.seat), memberId: seat.memberId, unitId: group(seat.unitId), responses: responses)
        }
    }

    /// Campaign attempts, or a bank's answers across activities: every row is a question its attempt was shown.
    static func attempts(rows: [ResponseRow], group: (Int64) -> Int64) -> [ReportAttempt] {
        var byAttempt: [ResponseAttempt: [ResponseRow]] = [:]
        for row in rows { byAttempt[row.attempt, default: []].append(row) }
        return byAttempt.values.enumerated().map { index, rows in
            ReportAttempt(
                id: Int64(index), memberId: rows[0].memberId, unitId: group(rows[0].unitId),
                responses: rows.sorted { $0.slot < $1.slot }.map(response))
        }
    }

    static func item(_ question: ReportQuestion) -> ReportItem {
        let key: [Int]
        switch question.question.answer {
        case .choices(let indices): key = indices
        case .truth(let value): key = [value ? 0 : 1]
        case .texts: key = []
        }
        return ReportItem(
            questionId: question.id, optionCount: question.optionCount, key: key, isTrueFalse: question.question.type == .trueFalse,
            category: question.question.category)
    }
}
