import DengaoCore
import Foundation
import PostgresNIO

/// The walks item analysis reads, as the SQLite store's `Store+AnswerFacts`: every answer of a contest, of a
/// campaign or to a bank, handed to `body` one at a time as the rows arrive from the server, in the same order.
/// A walk that has handed over a row is never run again after a lost connection (its caller has counted those rows);
/// it fails with `.unavailable` instead.
extension PostgresStore {
    /// Every accepted answer of a contest in question order, then seat.
    public func contestAnswerFacts(contest id: ContestID, _ body: (AnswerFacts) throws -> Void) async throws {
        try await reportRead(retrying: false) { sql in
            try await Self.walkContest(id, sql, questions: nil, units: nil, body)
        }
    }

    /// Every answer of a campaign (timed-out questions as `.unanswered`) in attempt order (member, attempt, index).
    public func campaignAnswerFacts(campaign id: CampaignID, _ body: (AnswerFacts) throws -> Void) async throws {
        try await reportRead(retrying: false) { sql in
            try await Self.walkCampaign(id, sql, questions: nil, units: nil, body)
        }
    }

    /// Every answer to any version of a bank, contest by contest and campaign by campaign (each in the order of the
    /// two walks above); only those given in `units` (the branch at the time) when given. One read transaction.
    public func bankAnswerFacts(bank id: BankID, within units: Set<UnitID>? = nil, _ body: (AnswerFacts) throws -> Void)
        async throws
    {
        try await reportRead(retrying: false) { sql in
            let questions = Set(
                try await sql.values(
                    "SELECT qu.id FROM bankVersion v JOIN question qu ON qu.bankVersionId = v.id WHERE v.bankId = \(id)",
                    as: QuestionID.self))
            guard !questions.isEmpty else { return }
            let asked = Array(questions)
            let contests = try await sql.values(
                "SELECT DISTINCT contestId FROM contestAnswer WHERE questionId = ANY(\(asked)) ORDER BY contestId",
                as: ContestID.self)
            let campaigns = try await sql.values(
                """
                SELECT DISTINCT campaignId FROM campaignAttemptQuestion WHERE questionId = ANY(\(asked))
                ORDER BY campaignId
                """, as: CampaignID.self)
            for contest in contests {
                try await Self.walkContest(contest, sql, questions: questions, units: units, body)
            }
            for campaign in campaigns {
                try await Self.walkCampaign(campaign, sql, questions: questions, units: units, body)
            }
        }
    }

    /// A contest's answers, those to `questions` and in `units` when given.
    static func walkContest(
        _ id: ContestID, _ sql: SQL, questions: Set<QuestionID>?, units: Set<UnitID>?,
        _ body: (AnswerFacts) throws -> Void
    ) async throws {
        let rows = try await sql.query(
            """
            SELECT seat, number, memberId, unitId, questionId, answer, correctness, points, elapsedMs, receivedAt
            FROM contestAnswer WHERE contestId = \(id) ORDER BY number, seat
            """)
        for try await row in rows {
            let (seat, number, memberId, unitId, questionId, answerText, correctnessText, points, elapsed, at) =
                try row.decode((Int, Int, MemberID?, UnitID, QuestionID, String, String, Int?, Int, Int64).self)
            if let questions, !questions.contains(questionId) { continue }
            if let units, !units.contains(unitId) { continue }
            guard let answer = shape(answerText), answer != .unanswered,
                let correctness = Correctness(rawValue: correctnessText)
            else { throw StorageError.corrupt("contest \(id) has an unreadable answer") }
            try body(
                AnswerFacts(
                    attempt: .contestSeat(contestId: id, seat: seat), memberId: memberId, unitId: unitId,
                    questionId: questionId, slot: number, answer: answer, correctness: correctness, points: points,
                    elapsedMilliseconds: elapsed, at: at))
        }
    }

    /// A campaign's answers, each with its attempt's unit and the question drawn at its index; an answer with no
    /// drawn question is damage, as on SQLite.
    static func walkCampaign(
        _ id: CampaignID, _ sql: SQL, questions: Set<QuestionID>?, units: Set<UnitID>?,
        _ body: (AnswerFacts) throws -> Void
    ) async throws {
        let rows = try await sql.query(
            """
            SELECT a.memberId, a.seq, a.idx, t.unitId, q.questionId, a.answer, a.correct, a.elapsedMs, a.at
            FROM campaignAnswer a
            JOIN campaignAttempt t ON t.campaignId = a.campaignId AND t.memberId = a.memberId AND t.seq = a.seq
            LEFT JOIN campaignAttemptQuestion q
                ON q.campaignId = a.campaignId AND q.memberId = a.memberId AND q.seq = a.seq AND q.idx = a.idx
            WHERE a.campaignId = \(id) ORDER BY a.memberId, a.seq, a.idx
            """)
        for try await row in rows {
            let (memberId, seq, index, unitId, asked, answerText, correct, elapsed, at) =
                try row.decode((MemberID, Int, Int, UnitID, QuestionID?, String?, Bool, Int, Int64).self)
            guard let questionId = asked else {
                throw StorageError.corrupt(
                    "campaign \(id) answer \(memberId)/\(seq)/\(index) has no question or attempt")
            }
            if let questions, !questions.contains(questionId) { continue }
            if let units, !units.contains(unitId) { continue }
            guard let answer = answerText.map(shape) ?? .unanswered else {
                throw StorageError.corrupt("campaign \(id) has an unreadable answer")
            }
            try body(
                AnswerFacts(
                    attempt: .campaignAttempt(AttemptRef(campaignId: id, memberId: memberId, seq: seq)),
                    memberId: memberId, unitId: unitId, questionId: questionId, slot: index, answer: answer,
                    correctness: correct ? .correct : .wrong, points: nil, elapsedMilliseconds: elapsed, at: at))
        }
    }

    /// A stored answer's shape, read from the text's own bytes.
    private static func shape(_ text: String) -> AnswerShape? {
        var text = text
        return text.withUTF8 { AnswerJSON.shape($0) }
    }
}
