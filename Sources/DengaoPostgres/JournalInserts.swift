import DengaoCore
import PostgresNIO

/// The rows one journal transaction inserts, gathered so each table gets one multi-row statement (column arrays
/// unnested) instead of a round trip per row. The journal's writer is one transaction at a time, so its round trips
/// are the ceiling on acknowledgements: at one per row a 10,000-answer surge took seconds to commit on a loaded
/// machine. Statements that are not plain inserts (status and seat changes, reveals, attempt updates) run where
/// they come in the journal's order, after `flush` has written every row gathered before them.
struct JournalInserts {
    private var events: [(contestId: Int64, seq: Int64, at: Int64, input: String, tokenHash: String?)] = []
    private var answers: [(contestId: Int64, row: ContestAnswerRow, answer: String)] = []
    /// (contest, number, seat) of `answers`: a second row for one key waits for the next statement, since one
    /// `INSERT … ON CONFLICT DO UPDATE` cannot touch a row twice.
    private var answerKeys: Set<[Int64]> = []
    private var attempts: [StartedAttempt] = []
    private var campaignAnswers: [(ref: AttemptRef, answer: AttemptAnswer, text: String?)] = []

    /// A contest journal entry's own row.
    mutating func event(_ entry: JournalEntry, input: String) {
        events.append((entry.contestId, entry.seq, entry.at, input, entry.tokenHash))
    }

    /// An accepted answer's report row (replacing an earlier one of the same seat and question).
    mutating func answer(_ row: ContestAnswerRow, contestId: Int64, answer: String, _ sql: SQL) async throws {
        let key = [contestId, Int64(row.number), Int64(row.seat)]
        if answerKeys.contains(key) { try await flush(sql) }
        answerKeys.insert(key)
        answers.append((contestId, row, answer))
    }

    /// A started attempt with its drawn questions.
    mutating func attempt(_ attempt: StartedAttempt) { attempts.append(attempt) }

    /// An attempt's answer (or timeout).
    mutating func campaignAnswer(_ ref: AttemptRef, _ answer: AttemptAnswer, text: String?) {
        campaignAnswers.append((ref, answer, text))
    }

    /// Writes what was gathered when `ref`'s attempt row is among it, so an update of that attempt finds its row.
    mutating func flush(before ref: AttemptRef, _ sql: SQL) async throws {
        if attempts.contains(where: { $0.ref == ref }) { try await flush(sql) }
    }

    /// Writes everything gathered (attempts before their questions and answers, for the foreign keys), then forgets
    /// it. Nullable columns travel as sentinels no real value takes: "" for a token hash or an answer's JSON text
    /// (neither is ever empty), a `has…` flag beside a member id or points.
    mutating func flush(_ sql: SQL) async throws {
        if !attempts.isEmpty {
            let rows = attempts
            try await sql.execute(
                """
                INSERT INTO campaignAttempt (campaignId, memberId, seq, unitId, level, day, seed, startedAt, status)
                SELECT *, 'answering' FROM unnest(
                    \(rows.map(\.ref.campaignId)), \(rows.map(\.ref.memberId)), \(rows.map { Int64($0.ref.seq) }),
                    \(rows.map(\.unitId)), \(rows.map { Int64($0.level) }), \(rows.map(\.day.description)),
                    \(rows.map { Int64(bitPattern: $0.seed) }), \(rows.map(\.startedAt)))
                """)
            let questions = rows.flatMap { attempt in
                attempt.questionIds.enumerated().map { (attempt.ref, Int64($0.offset), $0.element) }
            }
            if !questions.isEmpty {
                try await sql.execute(
                    """
                    INSERT INTO campaignAttemptQuestion (campaignId, memberId, seq, idx, questionId)
                    SELECT * FROM unnest(
                        \(questions.map(\.0.campaignId)), \(questions.map(\.0.memberId)),
                        \(questions.map { Int64($0.0.seq) }), \(questions.map(\.1)), \(questions.map(\.2)))
                    """)
            }
            attempts = []
        }
        if !campaignAnswers.isEmpty {
            let rows = campaignAnswers
            try await sql.execute(
                """
                INSERT INTO campaignAnswer (campaignId, memberId, seq, idx, answer, correct, at, elapsedMs)
                SELECT campaignId, memberId, seq, idx, NULLIF(answer, ''), correct, at, elapsedMs FROM unnest(
                    \(rows.map(\.ref.campaignId)), \(rows.map(\.ref.memberId)), \(rows.map { Int64($0.ref.seq) }),
                    \(rows.map { Int64($0.answer.index) }), \(rows.map { $0.text ?? "" }),
                    \(rows.map { $0.answer.correctness == .correct }), \(rows.map(\.answer.at)),
                    \(rows.map { Int64($0.answer.elapsedMilliseconds) }))
                    AS row(campaignId, memberId, seq, idx, answer, correct, at, elapsedMs)
                """)
            campaignAnswers = []
        }
        if !events.isEmpty {
            let rows = events
            try await sql.execute(
                """
                INSERT INTO contestEvent (contestId, seq, at, input, tokenHash)
                SELECT contestId, seq, at, input, NULLIF(tokenHash, '') FROM unnest(
                    \(rows.map(\.contestId)), \(rows.map(\.seq)), \(rows.map(\.at)), \(rows.map(\.input)),
                    \(rows.map { $0.tokenHash ?? "" })) AS row(contestId, seq, at, input, tokenHash)
                """)
            events = []
        }
        if !answers.isEmpty {
            let rows = answers
            try await sql.execute(
                """
                INSERT INTO contestAnswer
                    (contestId, number, seat, memberId, unitId, questionId, answer, correctness, points, elapsedMs, receivedAt)
                SELECT contestId, number, seat, CASE WHEN hasMember THEN memberId END, unitId, questionId, answer,
                    correctness, CASE WHEN hasPoints THEN points END, elapsedMs, receivedAt
                FROM unnest(
                    \(rows.map(\.contestId)), \(rows.map { Int64($0.row.number) }), \(rows.map { Int64($0.row.seat) }),
                    \(rows.map { $0.row.memberId != nil }), \(rows.map { $0.row.memberId ?? 0 }),
                    \(rows.map(\.row.unitId)), \(rows.map(\.row.questionId)), \(rows.map(\.answer)),
                    \(rows.map(\.row.correctness.rawValue)), \(rows.map { $0.row.points != nil }),
                    \(rows.map { Int64($0.row.points ?? 0) }), \(rows.map { Int64($0.row.elapsedMilliseconds) }),
                    \(rows.map(\.row.receivedAt)))
                    AS row(contestId, number, seat, hasMember, memberId, unitId, questionId, answer, correctness,
                        hasPoints, points, elapsedMs, receivedAt)
                ON CONFLICT (contestId, number, seat) DO UPDATE SET
                    answer = excluded.answer, correctness = excluded.correctness, points = excluded.points,
                    elapsedMs = excluded.elapsedMs, receivedAt = excluded.receivedAt
                """)
            answers = []
            answerKeys = []
        }
    }
}

extension ContestInput {
    /// Whether the journal keeps a `contestSeat` change for this input (a join or a kick).
    var changesSeat: Bool {
        switch self {
        case .join, .kick: true
        default: false
        }
    }
}
