import DengaoCore
import Foundation
import GRDB
import GRDBSQLite

/// The walks item analysis reads: every answer of a contest, of a campaign or to a bank, handed over one at a time
/// as `AnswerFacts` with nothing allocated per row. At a million answers per request the per-row cost is what
/// matters, so columns are read from SQLite's statement by position (the statements fix the order) and answers are
/// parsed in SQLite's buffer; every walk follows a primary key, so rows come grouped by attempt.
extension Store {
    /// Every accepted answer of a contest in question order, then seat.
    public func contestAnswerFacts(contest id: ContestID, _ body: (AnswerFacts) throws -> Void) throws {
        try pool.read { db in try Self.walkContest(id, db, questions: nil, units: nil, body) }
    }

    /// Every answer of a campaign (timed-out questions as `.unanswered`) in attempt order (member, attempt, index).
    public func campaignAnswerFacts(campaign id: CampaignID, _ body: (AnswerFacts) throws -> Void) throws {
        try pool.read { db in try Self.walkCampaign(id, db, questions: nil, units: nil, body) }
    }

    /// Every answer to any version of a bank, contest by contest and campaign by campaign (each in the order of the
    /// two walks above); only those given in `units` (the branch at the time) when given. One read transaction.
    ///
    /// The activities are found by skipping through the question indexes (one seek per question and activity);
    /// each is then walked by its primary key and its rows kept when they answer the bank. Walking beats the
    /// three seeks per answer a join by question costs, as long as the bank is a fair share of what an activity
    /// asked.
    public func bankAnswerFacts(bank id: BankID, within units: Set<UnitID>? = nil, _ body: (AnswerFacts) throws -> Void)
        throws
    {
        try pool.read { db in
            let questions = try Set(QuestionID.fetchAll(db, sql: AnswerFactsSQL.bankQuestions, arguments: [id]))
            for contest in try Self.activities(AnswerFactsSQL.nextContest, questions: questions, db) {
                try Self.walkContest(ContestID(contest), db, questions: questions, units: units, body)
            }
            for campaign in try Self.activities(AnswerFactsSQL.nextCampaign, questions: questions, db) {
                try Self.walkCampaign(CampaignID(campaign), db, questions: questions, units: units, body)
            }
        }
    }

    /// The distinct activity ids the question index names for `questions`, ascending: for each question, the
    /// next activity after the last one found, until none is left.
    static func activities(_ sql: String, questions: Set<QuestionID>, _ db: Database) throws -> [Int64] {
        let next = try db.makeStatement(sql: sql)
        var found = Set<Int64>()
        for question in questions {
            var after = Int64.min
            while let activity = try Int64.fetchOne(next, arguments: [question, after]) {
                found.insert(activity)
                after = activity
            }
        }
        return found.sorted()
    }

    /// A contest's answers (`AnswerFactsSQL.contest`), those to `questions` and in `units` when given.
    static func walkContest(
        _ id: ContestID, _ db: Database, questions: Set<QuestionID>?, units: Set<UnitID>?,
        _ body: (AnswerFacts) throws -> Void
    ) throws {
        let statement = try db.makeStatement(sql: AnswerFactsSQL.contest)
        let rows = try Row.fetchCursor(statement, arguments: [id])
        let columns = StatementColumns(statement)
        while try rows.next() != nil {
            let questionId = QuestionID(columns.int64(4)), unitId = UnitID(columns.int64(3))
            if let questions, !questions.contains(questionId) { continue }
            if let units, !units.contains(unitId) { continue }
            guard let answer = columns.answer(5), answer != .unanswered, let correctness = columns.correctness(6) else {
                throw StorageError.corrupt("contest \(id) has an unreadable answer")
            }
            try body(
                AnswerFacts(
                    attempt: .contestSeat(contestId: id, seat: Int(columns.int64(0))),
                    memberId: columns.optionalInt64(2).map { MemberID($0) },
                    unitId: unitId, questionId: questionId, slot: Int(columns.int64(1)), answer: answer,
                    correctness: correctness, points: columns.optionalInt64(7).map { Int($0) },
                    elapsedMilliseconds: Int(columns.int64(8)), at: columns.int64(9)))
        }
    }

    /// A campaign's answers: its attempts, drawn questions and answers walked side by side in primary-key order,
    /// each answer given its attempt's unit and the question drawn at its index.
    static func walkCampaign(
        _ id: CampaignID, _ db: Database, questions: Set<QuestionID>?, units: Set<UnitID>?,
        _ body: (AnswerFacts) throws -> Void
    ) throws {
        let attemptStatement = try db.makeStatement(sql: AnswerFactsSQL.campaignAttempts)
        let drawnStatement = try db.makeStatement(sql: AnswerFactsSQL.campaignDrawn)
        let answerStatement = try db.makeStatement(sql: AnswerFactsSQL.campaignAnswers)
        let attemptRows = try Row.fetchCursor(attemptStatement, arguments: [id])
        let drawnRows = try Row.fetchCursor(drawnStatement, arguments: [id])
        let answerRows = try Row.fetchCursor(answerStatement, arguments: [id])
        let (attempt, drawn, answers) = (
            StatementColumns(attemptStatement), StatementColumns(drawnStatement), StatementColumns(answerStatement)
        )
        var attemptKey: (memberId: Int64, seq: Int64)?
        var unitId: UnitID = 0
        func nextAttempt() throws {
            attemptKey = try attemptRows.next() == nil ? nil : (attempt.int64(0), attempt.int64(1))
            if attemptKey != nil { unitId = UnitID(attempt.int64(2)) }
        }
        var drawnKey: (memberId: Int64, seq: Int64, index: Int64)?
        var questionId: QuestionID = 0
        func nextDrawn() throws {
            drawnKey = try drawnRows.next() == nil ? nil : (drawn.int64(0), drawn.int64(1), drawn.int64(2))
            if drawnKey != nil { questionId = QuestionID(drawn.int64(3)) }
        }
        try nextAttempt()
        try nextDrawn()
        while try answerRows.next() != nil {
            let key = (memberId: answers.int64(0), seq: answers.int64(1), index: answers.int64(2))
            while let current = attemptKey, current < (key.memberId, key.seq) { try nextAttempt() }
            while let current = drawnKey, current < key { try nextDrawn() }
            guard let placed = attemptKey, placed.memberId == key.memberId, placed.seq == key.seq, let asked = drawnKey,
                asked.memberId == key.memberId, asked.seq == key.seq, asked.index == key.index
            else {
                throw StorageError.corrupt(
                    "campaign \(id) answer \(key.memberId)/\(key.seq)/\(key.index) has no question or attempt")
            }
            if let questions, !questions.contains(questionId) { continue }
            if let units, !units.contains(unitId) { continue }
            guard let answer = answers.answer(3) else {
                throw StorageError.corrupt("campaign \(id) has an unreadable answer")
            }
            try body(
                AnswerFacts(
                    attempt: .campaignAttempt(
                        AttemptRef(campaignId: id, memberId: MemberID(key.memberId), seq: Int(key.seq))),
                    memberId: MemberID(key.memberId), unitId: unitId, questionId: questionId, slot: Int(key.index),
                    answer: answer,
                    correctness: answers.int64(4) != 0 ? .correct : .wrong, points: nil,
                    elapsedMilliseconds: Int(answers.int64(5)), at: answers.int64(6)))
        }
    }
}

/// The statements of the walks above; each follows a primary key or an index (a test checks their plans).
public enum AnswerFactsSQL {
    /// Arguments: contest id.
    public static let contest = """
        SELECT seat, number, memberId, unitId, questionId, answer, correctness, points, elapsedMs, receivedAt
        FROM contestAnswer WHERE contestId = ? ORDER BY number, seat
        """
    /// Arguments: campaign id.
    public static let campaignAttempts =
        "SELECT memberId, seq, unitId FROM campaignAttempt WHERE campaignId = ? ORDER BY memberId, seq"
    /// Arguments: campaign id.
    public static let campaignDrawn =
        "SELECT memberId, seq, idx, questionId FROM campaignAttemptQuestion WHERE campaignId = ? ORDER BY memberId, seq, idx"
    /// Arguments: campaign id.
    public static let campaignAnswers = """
        SELECT memberId, seq, idx, answer, correct, elapsedMs, at FROM campaignAnswer WHERE campaignId = ?
        ORDER BY memberId, seq, idx
        """
    /// Every question of every version of a bank. Arguments: bank id.
    public static let bankQuestions =
        "SELECT qu.id FROM bankVersion v JOIN question qu ON qu.bankVersionId = v.id WHERE v.bankId = ?"
    /// The first contest after one that answered a question: the question index holds the primary key after the
    /// question, so this is one seek. Arguments: question id, the contest id to skip past.
    public static let nextContest =
        "SELECT contestId FROM contestAnswer WHERE questionId = ? AND contestId > ? ORDER BY contestId LIMIT 1"
    /// The same for campaigns, by the questions drawn. Arguments: question id, the campaign id to skip past.
    public static let nextCampaign = """
        SELECT campaignId FROM campaignAttemptQuestion WHERE questionId = ? AND campaignId > ?
        ORDER BY campaignId LIMIT 1
        """
}

/// Reads the current row of a stepping statement straight from SQLite by column position, without GRDB's
/// per-value decoding (a few nanoseconds a column instead of tens, which at ten columns and a million rows is the
/// difference the item report needs).
struct StatementColumns {
    let statement: SQLiteStatement

    init(_ statement: Statement) { self.statement = statement.sqliteStatement }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func optionalInt64(_ column: Int32) -> Int64? {
        sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, column)
    }

    /// The stored answer at `column` (NULL: unanswered), or nil when it cannot be read.
    func answer(_ column: Int32) -> AnswerShape? {
        guard sqlite3_column_type(statement, column) != SQLITE_NULL else { return .unanswered }
        return bytes(column) { AnswerJSON.shape($0) }
    }

    func correctness(_ column: Int32) -> Correctness? {
        bytes(column) { bytes in
            switch bytes.first {
            case UInt8(ascii: "c") where bytes.count == 7: .correct
            case UInt8(ascii: "p") where bytes.count == 7: .partial
            case UInt8(ascii: "w") where bytes.count == 5: .wrong
            default: nil
            }
        }
    }

    /// The text at `column` in SQLite's own buffer, valid until the statement steps.
    private func bytes<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        let start = sqlite3_column_text(statement, column)
        let count = Int(sqlite3_column_bytes(statement, column))
        return body(UnsafeBufferPointer(start: start, count: start == nil ? 0 : count))
    }
}
