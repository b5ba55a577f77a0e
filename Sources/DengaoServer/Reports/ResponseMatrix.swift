import DengaoCore

/// The answer matrix item analysis reads, built from the answers the store walks (`AnswerFacts`, one at a time, so
/// no row array is ever held): one `ReportAttempt` per contest seat or campaign attempt, one `ReportItem` per
/// question. docs/statistics.md states the choices made here.
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

    /// One answer as a cell of the matrix.
    static func response(_ facts: AnswerFacts) -> ItemResponse {
        var bits: UInt64 = 0
        var truth: Bool?
        switch facts.answer {
        case .choices(let chosen): bits = chosen
        case .truth(let value): truth = value
        case .text, .unanswered: break
        }
        let answered = facts.answer != .unanswered
        return ItemResponse(
            questionId: facts.questionId, slot: facts.slot, credit: credit(facts.correctness, answered: answered),
            answered: answered, choiceBits: bits, truth: truth, elapsedMilliseconds: facts.elapsedMilliseconds)
    }

    /// A contest's matrix, built as its answers stream in (question order, then seat): every seat the host kept,
    /// over the questions revealed so far. A seat saw a question if it had joined by the question's last answer; a
    /// seat that saw it and did not answer scores 0 there.
    struct Contest {
        /// The seats kept, in seat order.
        private let seats: [ContestSeatRow]
        private let seatIndex: [Int: Int]
        /// Each kept seat's answers to revealed questions, in question order.
        private var answers: [[ItemResponse]]
        /// The revealed questions in order, with the time of each one's last answer.
        private var revealed: [(slot: Int, questionId: QuestionID, lastAnswer: Int64)] = []
        /// Every question answered (revealed or not) and its number.
        private(set) var numbers: [QuestionID: Int] = [:]
        private var lastNumber: Int?
        private(set) var rowCount = 0

        /// Room for `questionCount` answers per seat is made at a seat's first: grown one append at a time, ten
        /// thousand arrays scattered over the heap cost more than reading the rows.
        private let questionCount: Int

        init(seats: [ContestSeatRow], questionCount: Int) {
            self.questionCount = min(max(questionCount, 0), 1_000)
            self.seats = seats.filter { $0.kickedAt == nil }
            seatIndex = Dictionary(
                self.seats.enumerated().map { ($1.seat, $0) }, uniquingKeysWith: { first, _ in first })
            answers = Array(repeating: [], count: self.seats.count)
        }

        mutating func add(_ facts: AnswerFacts) {
            rowCount += 1
            if facts.slot != lastNumber {
                numbers[facts.questionId] = facts.slot
                lastNumber = facts.slot
            }
            guard facts.points != nil else { return }
            if revealed.last?.slot == facts.slot {
                revealed[revealed.count - 1].lastAnswer = max(revealed[revealed.count - 1].lastAnswer, facts.at)
            } else {
                revealed.append((facts.slot, facts.questionId, facts.at))
            }
            guard case .contestSeat(_, let seat) = facts.attempt, let index = seatIndex[seat] else { return }
            if answers[index].isEmpty { answers[index].reserveCapacity(questionCount) }
            answers[index].append(ResponseMatrix.response(facts))
        }

        /// The attempts, one per kept seat; `group` maps a seat's branch to the group reports show.
        func attempts(group: (UnitID) -> UnitID) -> [ReportAttempt] {
            seats.indices.map { index in
                let seat = seats[index]
                var responses = answers[index]
                if responses.count < revealed.count {
                    // Fill in what the seat saw and left unanswered, keeping question order.
                    var merged: [ItemResponse] = []
                    merged.reserveCapacity(revealed.count)
                    var next = 0
                    for question in revealed {
                        if next < responses.count, responses[next].slot == question.slot {
                            merged.append(responses[next])
                            next += 1
                        } else if seat.joinedAt <= question.lastAnswer {
                            merged.append(
                                ItemResponse(
                                    questionId: question.questionId, slot: question.slot, credit: 0, answered: false))
                        }
                    }
                    responses = merged
                }
                return ReportAttempt(
                    id: Int64(seat.seat), memberId: seat.memberId, unitId: group(seat.unitId), responses: responses)
            }
        }
    }

    /// Campaign attempts, or a bank's answers across activities, built as answers stream in grouped by activity
    /// (each activity's rows as its walk gives them): every row is a question its attempt was shown.
    struct Attempts {
        private(set) var attempts: [ReportAttempt] = []
        private(set) var questionIds = Set<QuestionID>()
        private(set) var rowCount = 0
        private var current: ResponseAttempt?
        /// The current contest's seats, by seat number (a contest's rows come by question, not by seat).
        private var contestId: ContestID?
        private var seatAttempts: [Int: Int] = [:]
        private let group: (UnitID) -> UnitID

        init(group: @escaping (UnitID) -> UnitID) { self.group = group }

        mutating func add(_ facts: AnswerFacts) {
            rowCount += 1
            questionIds.insert(facts.questionId)
            let response = ResponseMatrix.response(facts)
            switch facts.attempt {
            case .campaignAttempt:
                if facts.attempt != current {
                    current = facts.attempt
                    attempts.append(start(facts))
                }
                attempts[attempts.count - 1].responses.append(response)
            case .contestSeat(let contest, let seat):
                if contest != contestId {
                    (contestId, seatAttempts) = (contest, [:])
                }
                if let index = seatAttempts[seat] {
                    attempts[index].responses.append(response)
                } else {
                    seatAttempts[seat] = attempts.count
                    attempts.append(start(facts))
                    attempts[attempts.count - 1].responses.append(response)
                }
            }
        }

        private func start(_ facts: AnswerFacts) -> ReportAttempt {
            ReportAttempt(
                id: Int64(attempts.count), memberId: facts.memberId, unitId: group(facts.unitId), responses: [])
        }

        /// The attempts, each one's responses in slot order.
        func finished() -> [ReportAttempt] {
            attempts.map { attempt in
                var attempt = attempt
                if zip(attempt.responses, attempt.responses.dropFirst()).contains(where: { $0.slot > $1.slot }) {
                    attempt.responses.sort { $0.slot < $1.slot }
                }
                return attempt
            }
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
            questionId: question.id, optionCount: question.optionCount, key: key,
            isTrueFalse: question.question.type == .trueFalse,
            category: question.question.category)
    }
}
