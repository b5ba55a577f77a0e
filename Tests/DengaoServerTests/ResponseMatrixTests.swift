import DengaoCore
import DengaoStorage
import Testing

@testable import DengaoServer

/// How streamed answers become the matrix (docs/statistics.md): a contest's seats over its revealed questions, with
/// the questions a seat saw and left unanswered; campaign tries and a bank's answers grouped by attempt.
@Suite struct ResponseMatrixTests {
    static func contestAnswer(
        seat: Int, number: Int, question: QuestionID, revealed: Bool = true, at: Int64, picks: UInt64 = 1
    )
        -> AnswerFacts
    {
        AnswerFacts(
            attempt: .contestSeat(contestId: 1, seat: seat), memberId: nil, unitId: UnitID(10 + Int64(seat)),
            questionId: question,
            slot: number, answer: .choices(picks), correctness: picks == 1 ? .correct : .wrong,
            points: revealed ? 100 : nil,
            elapsedMilliseconds: 900, at: at)
    }

    static func seat(_ seat: Int, joinedAt: Int64, kicked: Bool = false) -> ContestSeatRow {
        ContestSeatRow(
            contestId: 1, seat: seat, memberId: nil, unitId: UnitID(10 + Int64(seat)), name: "\(seat)",
            joinedAt: joinedAt,
            kickedAt: kicked ? joinedAt + 1 : nil)
    }

    /// Seat 1 answers everything; seat 2 skips question 2, which it saw; seat 3 joined after question 1's last answer;
    /// seat 4 was kicked; question 3 is not revealed yet.
    @Test func aContestsSeatsCoverTheRevealedQuestionsTheySaw() {
        var matrix = ResponseMatrix.Contest(
            seats: [
                Self.seat(1, joinedAt: 0), Self.seat(2, joinedAt: 0), Self.seat(3, joinedAt: 5_000),
                Self.seat(4, joinedAt: 0, kicked: true),
            ], questionCount: 3)
        let answers = [
            Self.contestAnswer(seat: 1, number: 1, question: 70, at: 1_000),
            Self.contestAnswer(seat: 2, number: 1, question: 70, at: 2_000, picks: 2),
            Self.contestAnswer(seat: 4, number: 1, question: 70, at: 2_500),
            Self.contestAnswer(seat: 1, number: 2, question: 71, at: 6_000),
            Self.contestAnswer(seat: 3, number: 2, question: 71, at: 7_000),
            Self.contestAnswer(seat: 1, number: 3, question: 72, revealed: false, at: 9_000),
        ]
        for answer in answers { matrix.add(answer) }
        let attempts = matrix.attempts { UnitID($0.rawValue * 100) }
        #expect(matrix.rowCount == 6 && matrix.numbers == [70: 1, 71: 2, 72: 3])
        #expect(attempts.map(\.id) == [1, 2, 3] && attempts.map(\.unitId) == [1_100, 1_200, 1_300])
        #expect(
            attempts[0].responses.map(\.slot) == [1, 2]
                && attempts[0].responses.allSatisfy { $0.answered && $0.credit == 1 })
        #expect(attempts[1].responses.map(\.slot) == [1, 2])
        #expect(attempts[1].responses[0].chosen == [1] && attempts[1].responses[0].credit == 0)
        #expect(!attempts[1].responses[1].answered && attempts[1].responses[1].questionId == 71)
        #expect(attempts[2].responses.map(\.slot) == [2] && attempts[2].responses[0].answered)
    }

    /// A bank's rows come contest by contest in question order and campaign by campaign in attempt order; each seat
    /// and each try is one attempt, its responses in slot order.
    @Test func aBanksAnswersGroupByAttempt() {
        var matrix = ResponseMatrix.Attempts { $0 }
        let first = AttemptRef(campaignId: 5, memberId: 8, seq: 1)
        let second = AttemptRef(campaignId: 5, memberId: 8, seq: 2)
        func campaign(_ ref: AttemptRef, _ index: Int, _ answer: AnswerShape) -> AnswerFacts {
            AnswerFacts(
                attempt: .campaignAttempt(ref), memberId: 8, unitId: 3, questionId: QuestionID(80 + Int64(index)),
                slot: index,
                answer: answer,
                correctness: .correct, points: nil, elapsedMilliseconds: 500, at: 0)
        }
        let rows = [
            Self.contestAnswer(seat: 2, number: 1, question: 70, at: 0),
            Self.contestAnswer(seat: 1, number: 1, question: 70, at: 0),
            Self.contestAnswer(seat: 2, number: 3, question: 72, revealed: false, at: 0),
            campaign(first, 0, .truth(false)), campaign(first, 1, .unanswered), campaign(second, 0, .text),
        ]
        for row in rows { matrix.add(row) }
        let attempts = matrix.finished()
        #expect(attempts.count == 4 && matrix.rowCount == 6 && matrix.questionIds == [70, 72, 80, 81])
        #expect(attempts[0].responses.map(\.slot) == [1, 3] && attempts[1].responses.map(\.slot) == [1])
        #expect(
            attempts[2].responses.map(\.truth) == [false, nil]
                && attempts[2].responses.map(\.answered) == [true, false])
        #expect(attempts[2].responses[1].credit == 0 && attempts[3].responses[0].credit == 1)
    }
}
