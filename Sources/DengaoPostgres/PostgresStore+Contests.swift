import DengaoCore
import Foundation
import PostgresNIO

/// A `contest` row with its question count and set-aside reason, as one `SELECT` reads it.
private struct ContestRow {
    static let select = """
        SELECT c.id, c.title, c.ownerUnitId, c.settings, c.seed, c.pin, c.status, c.createdAt, c.finishedAt,
            (SELECT count(*) FROM contestQuestion q WHERE q.contestId = c.id),
            (SELECT reason FROM roomSetAside r WHERE r.kind = 'contest' AND r.entityId = c.id)
        FROM contest c
        """
    typealias Columns = (ContestID, String, UnitID?, String, Int64, String, String, String, String?, Int, String?)

    /// The row as the console sees it, exactly as the SQLite store's `ContestRecord.summary`: unreadable settings or
    /// status leave the contest listed, set aside with the reason.
    static func summary(_ row: Columns) throws -> ContestSummary {
        let (id, title, ownerUnitId, settingsText, seed, pin, statusText, createdAt, finishedAt, count, reason) = row
        var setAside = reason
        let settings: ContestSettings
        do {
            settings = try JSONDecoder().decode(ContestSettings.self, from: Data(settingsText.utf8))
        } catch {
            settings = ContestSettings(title: title, rounds: [])
            setAside = setAside ?? "比赛设置无法读取 (the contest's settings are unreadable)"
        }
        let status = ContestStatus(rawValue: statusText) ?? .finished
        if ContestStatus(rawValue: statusText) == nil {
            setAside = setAside ?? "比赛状态无法读取 (unknown status \(statusText))"
        }
        guard let created = StoredDate.date(createdAt) else {
            throw StorageError.corrupt("contest \(id) has an unreadable date")
        }
        return ContestSummary(
            id: id, title: title, ownerUnitId: ownerUnitId, pin: pin, status: status, settings: settings,
            seed: UInt64(bitPattern: seed), questionCount: count + settings.pollQuestionCount, createdAt: created,
            finishedAt: finishedAt.flatMap(StoredDate.date), setAside: setAside)
    }
}

extension PostgresStore {
    /// The latest version's questions of each named bank, with their row ids: the pool a round draws from.
    public func latestQuestions(ofBanks names: [String]) async throws -> [(id: QuestionID, question: Question)] {
        let rows = try await read { sql in
            var rows: [QuestionText.Row] = []
            for name in Set(names).sorted() {
                guard let bankId = try await sql.value("SELECT id FROM bank WHERE name = \(name)", as: BankID.self)
                else {
                    throw StorageError.bankNotFound(name)
                }
                rows += try await sql.rows(
                    """
                    SELECT \(unescaped: QuestionText.Row.columns) FROM question
                    WHERE bankVersionId = (SELECT id FROM bankVersion WHERE bankId = \(bankId) ORDER BY version DESC LIMIT 1)
                    ORDER BY position
                    """, as: (QuestionID, String, String, String, String, String, Int, String, String).self
                ).map(QuestionText.Row.init)
            }
            return rows
        }
        return try rows.map { ($0.id, try $0.question()) }
    }

    /// Creates a contest with a fresh 6-digit PIN not used by any unfinished contest.
    public func createContest(_ new: NewContest, now: Date = Date()) async throws -> ContestSummary {
        let settingsJSON = String(decoding: try JSONEncoder().encode(new.settings), as: UTF8.self)
        return try await transaction { sql in
            // Two creations at once could draw the same PIN; the partial unique index refuses the second, and a
            // lock on this otherwise unused key serializes PIN choices as SQLite's single writer does.
            try await sql.lock(.contestPINs)
            let pin = try await Self.freshPIN(sql)
            let title = new.settings.title.trimmingCharacters(in: .whitespaces)
            guard
                let id = try await sql.value(
                    """
                    INSERT INTO contest (title, ownerUnitId, createdById, settings, seed, pin, displayTokenHash, status, createdAt)
                    VALUES (\(title), \(new.ownerUnitId), \(new.createdById), \(settingsJSON), \(Int64(bitPattern: new.seed)),
                        \(pin), \(new.displayTokenHash), \(ContestStatus.ready.rawValue), \(StoredDate.text(now)))
                    RETURNING id
                    """, as: ContestID.self)
            else { throw StorageError.corrupt("contest insert returned no id") }
            try await Self.insertQuestions(new, contestId: id, sql)
            return try await Self.contestSummary(where: "WHERE c.id = \(id)", sql)!
        }
    }

    private static func freshPIN(_ sql: SQL) async throws -> String {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let pin = String(Int.random(in: 100_000...999_999, using: &generator))
            let taken = try await sql.value(
                "SELECT count(*) FROM contest WHERE pin = \(pin) AND status != \(ContestStatus.finished.rawValue)",
                as: Int.self)
            if taken == 0 { return pin }
        }
        throw StorageError.noFreeContestPIN
    }

    private static func insertQuestions(_ new: NewContest, contestId: ContestID, _ sql: SQL) async throws {
        for (number, round, questionId) in new.settings.questionSlots(drawn: new.questionIds) {
            try await sql.execute(
                "INSERT INTO contestQuestion (contestId, number, round, questionId) VALUES (\(contestId), \(number), \(round), \(questionId))"
            )
        }
    }

    /// The contests a condition on `contest c` selects, in its order.
    static func contestSummaries(where condition: PostgresQuery, _ sql: SQL) async throws -> [ContestSummary] {
        // The condition's placeholders ($1…) stay right: the SELECT before it binds nothing.
        let query = PostgresQuery(unsafeSQL: ContestRow.select + " " + condition.sql, binds: condition.binds)
        return try await sql.rows(query, as: ContestRow.Columns.self).map(ContestRow.summary)
    }

    static func contestSummary(where condition: PostgresQuery, _ sql: SQL) async throws -> ContestSummary? {
        try await contestSummaries(where: condition, sql).first
    }

    public func contest(id: ContestID) async throws -> ContestSummary? {
        try await read { sql in try await Self.contestSummary(where: "WHERE c.id = \(id)", sql) }
    }

    /// The unfinished contest a PIN names.
    public func contest(pin: String) async throws -> ContestSummary? {
        try await read { sql in
            try await Self.contestSummary(
                where: "WHERE c.pin = \(pin) AND c.status != \(ContestStatus.finished.rawValue)", sql)
        }
    }

    /// The contest a display token opens.
    public func contest(displayTokenHash hash: String) async throws -> ContestSummary? {
        try await read { sql in try await Self.contestSummary(where: "WHERE c.displayTokenHash = \(hash)", sql) }
    }

    /// Contests owned by any of `units` (all contests when nil), newest first.
    public func contests(ownedBy units: Set<UnitID>?) async throws -> [ContestSummary] {
        try await read { sql in
            if let units {
                return try await Self.contestSummaries(
                    where: "WHERE c.ownerUnitId = ANY(\(Array(units))) ORDER BY c.id DESC", sql)
            }
            return try await Self.contestSummaries(where: "ORDER BY c.id DESC", sql)
        }
    }

    /// Contests played but not finished: the ones a restarted server resumes.
    public func liveContests() async throws -> [ContestSummary] {
        try await read { sql in
            try await Self.contestSummaries(where: "WHERE c.status = \(ContestStatus.live.rawValue) ORDER BY c.id", sql)
        }
    }

    /// A contest's questions with their keys, for the contest's actor only.
    public func contestQuestions(_ id: ContestID) async throws -> [ContestQuestion] {
        try await read { sql in
            let rows = try await sql.rows(
                """
                SELECT cq.number, cq.round, cq.questionId, q.id, q.type, q.stem, q.options, q.answer, q.explanation,
                    q.difficulty, q.category, q.tags
                FROM contestQuestion cq LEFT JOIN question q ON q.id = cq.questionId
                WHERE cq.contestId = \(id) ORDER BY cq.number
                """,
                as: (
                    Int, Int, QuestionID, QuestionID?, String?, String?, String?, String?, String?, Int?, String?,
                    String?
                )
                .self)
            let settings = try await Self.contestSummary(where: "WHERE c.id = \(id)", sql)?.settings
            let rounds = settings?.rounds.count ?? 0
            let drawn = try rows.map { row in
                let (number, round, questionId) = (row.0, row.1, row.2)
                guard let rowId = row.3, let type = row.4, let stem = row.5, let options = row.6, let answer = row.7,
                    let explanation = row.8, let difficulty = row.9, let category = row.10, let tags = row.11
                else { throw StorageError.corrupt("contest \(id) names missing question \(questionId)") }
                // The rules index the settings' rounds by this number: a row that disagrees with them is damage.
                guard (0..<rounds).contains(round) else {
                    throw StorageError.corrupt(
                        "contest \(id) question \(number) is in a round its settings do not have")
                }
                let question = try QuestionText.Row(
                    (rowId, type, stem, options, answer, explanation, difficulty, category, tags)
                ).question()
                return ContestQuestion(number: number, round: round, questionId: questionId, question: question)
            }
            return settings?.questions(drawn: drawn) ?? drawn
        }
    }

    /// A contest's journal in order; replaying it rebuilds the contest.
    public func journal(ofContest id: ContestID) async throws -> [JournalEntry] {
        let rows = try await read { sql in
            try await sql.rows(
                "SELECT seq, at, input, tokenHash FROM contestEvent WHERE contestId = \(id) ORDER BY seq",
                as: (Int64, Int64, String, String?).self)
        }
        let decoder = JSONDecoder()
        return try rows.map { seq, at, text, tokenHash in
            guard let input = try? decoder.decode(ContestInput.self, from: Data(text.utf8)) else {
                throw StorageError.corrupt("contest \(id) journal entry \(seq) is unreadable")
            }
            return JournalEntry(contestId: id, seq: seq, at: at, input: input, tokenHash: tokenHash)
        }
    }

    /// Replaces the display link's token (the old link stops working).
    public func replaceDisplayToken(ofContest id: ContestID, hash: String) async throws {
        try await transaction { sql in
            let changed = try await sql.count(
                "UPDATE contest SET displayTokenHash = \(hash) WHERE id = \(id) RETURNING 1")
            if changed == 0 { throw StorageError.contestNotFound(id) }
        }
    }

    /// A contest with its questions, its results recomputed from its journal and the moment it started (its first
    /// question brought on; nil before that). Refuses a set-aside contest.
    public func contestResults(_ id: ContestID) async throws
        -> (contest: ContestSummary, questions: [ContestQuestion], results: ContestResults, startedAt: Int64?)
    {
        guard let contest = try await contest(id: id) else { throw StorageError.contestNotFound(id) }
        if let reason = contest.setAside { throw StorageError.setAside(reason) }
        let questions = try await contestQuestions(id)
        let journal = try await journal(ofContest: id).map { (input: $0.input, at: $0.at) }
        let startedAt = journal.first { $0.input == .command(.next) }?.at
        return (
            contest, questions, ContestResults(settings: contest.settings, questions: questions, journal: journal),
            startedAt
        )
    }

    /// The contest a contest's rank table is compared with: the same owner's (the whole organization's for nil)
    /// most recently finished contest that finished before `moment`, other than `id`; set-aside contests are passed
    /// over. nil when there is none.
    public func previousFinishedContest(of id: ContestID, owner: UnitID?, finishedBefore moment: Date) async throws
        -> ContestSummary?
    {
        try await read { sql in
            try await Self.contestSummaries(
                where: """
                    WHERE c.status = 'finished' AND c.id != \(id) AND c.ownerUnitId IS NOT DISTINCT FROM \(owner)
                        AND c.finishedAt < \(StoredDate.text(moment))
                    ORDER BY c.finishedAt DESC, c.id DESC LIMIT 20
                    """, sql
            ).first { $0.setAside == nil }
        }
    }

    /// Replaces an unplayed contest's settings, owner and drawn questions, keeping its PIN and display link (already
    /// handed out). Refuses, changing nothing, once anything was journaled for it: results would then lie.
    public func replaceUnplayedContest(_ id: ContestID, with new: NewContest) async throws -> ContestSummary {
        let settingsJSON = String(decoding: try JSONEncoder().encode(new.settings), as: UTF8.self)
        return try await transaction { sql in
            try await Self.lockUnplayedContest(id, sql)
            try await sql.execute(
                """
                UPDATE contest SET title = \(new.settings.title.trimmingCharacters(in: .whitespaces)),
                    ownerUnitId = \(new.ownerUnitId), settings = \(settingsJSON), seed = \(Int64(bitPattern: new.seed))
                WHERE id = \(id)
                """)
            try await sql.execute("DELETE FROM contestQuestion WHERE contestId = \(id)")
            try await Self.insertQuestions(new, contestId: id, sql)
            return try await Self.contestSummary(where: "WHERE c.id = \(id)", sql)!
        }
    }

    /// Deletes a contest nobody joined yet, with its drawn questions. Refuses, changing nothing, once played.
    public func deleteUnplayedContest(_ id: ContestID) async throws {
        try await transaction { sql in
            try await Self.lockUnplayedContest(id, sql)
            try await sql.execute("DELETE FROM contest WHERE id = \(id)")
        }
    }

    /// Locks the contest's row if it is still as created (ready, with an empty journal); the lock keeps the journal
    /// from changing its status under the caller (a status update waits), as SQLite's single writer does.
    private static func lockUnplayedContest(_ id: ContestID, _ sql: SQL) async throws {
        guard
            let status = try await sql.value("SELECT status FROM contest WHERE id = \(id) FOR UPDATE", as: String.self)
        else { throw StorageError.contestNotFound(id) }
        let events = try await sql.value("SELECT count(*) FROM contestEvent WHERE contestId = \(id)", as: Int.self) ?? 0
        guard status == ContestStatus.ready.rawValue, events == 0 else { throw StorageError.contestPlayed }
    }
}
