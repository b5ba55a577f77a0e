import DengaoCore
import PostgresNIO

/// The rows one journal transaction writes, gathered so they all go as one statement (each table's rows as column
/// arrays unnested) instead of a round trip per row. The journal's writer is one transaction at a time, so its round
/// trips are the ceiling on acknowledgements: at one per row a 10,000-answer surge took seconds to commit on a loaded
/// machine, and a climbing batch was six statements. Attempt updates are folded per attempt. Statements that change
/// rows gathered earlier (a contest's status, a kick, a reveal's points) run where they come in the journal's order,
/// after `flush` has written every row gathered before them.
struct JournalInserts {
    private var events: [(contestId: ContestID, seq: Int64, at: Int64, input: String, tokenHash: String?)] = []
    private var answers: [(contestId: ContestID, row: ContestAnswerRow, answer: String)] = []
    /// (contest, number, seat) of `answers`: a second row for one key waits for the next statement, since one
    /// `INSERT … ON CONFLICT DO UPDATE` cannot touch a row twice.
    private var answerKeys: Set<[Int64]> = []
    private var seats: [(contestId: ContestID, seat: Seat, joinedAt: Int64)] = []
    private var attempts: [StartedAttempt] = []
    private var campaignAnswers: [(ref: AttemptRef, answer: AttemptAnswer, text: String?)] = []
    /// Each changed attempt's row as the transaction leaves it (later changes of one attempt fold into earlier ones),
    /// in the order first changed: one `UPDATE … FROM unnest` cannot update a row twice.
    private var attemptUpdates: [AttemptRef: AttemptUpdate] = [:]
    private var attemptOrder: [AttemptRef] = []

    /// A contest journal entry's own row.
    mutating func event(_ entry: JournalEntry, input: String) {
        events.append((entry.contestId, entry.seq, entry.at, input, entry.tokenHash))
    }

    /// An accepted answer's report row (replacing an earlier one of the same seat and question).
    mutating func answer(_ row: ContestAnswerRow, contestId: ContestID, answer: String, _ sql: SQL) async throws {
        let key = [contestId.rawValue, Int64(row.number), Int64(row.seat)]
        if answerKeys.contains(key) { try await flush(sql) }
        answerKeys.insert(key)
        answers.append((contestId, row, answer))
    }

    /// A seat a join added (a second join of one seat changes nothing, as `ON CONFLICT DO NOTHING` says).
    mutating func seat(_ seat: Seat, contestId: ContestID, joinedAt: Int64) {
        seats.append((contestId, seat, joinedAt))
    }

    /// A started attempt with its drawn questions.
    mutating func attempt(_ attempt: StartedAttempt) { attempts.append(attempt) }

    /// A change of an attempt's row: a question served, or its status and end (which also clear the served one).
    mutating func update(_ ref: AttemptRef, served: (index: Int64, at: Int64)?, ended: AttemptUpdate.Ending?) {
        var update = attemptUpdates[ref] ?? AttemptUpdate()
        if attemptUpdates[ref] == nil { attemptOrder.append(ref) }
        update.served = served
        if let ended { update.ended = ended }
        attemptUpdates[ref] = update
    }

    /// An attempt's answer (or timeout).
    mutating func campaignAnswer(_ ref: AttemptRef, _ answer: AttemptAnswer, text: String?) {
        campaignAnswers.append((ref, answer, text))
    }

    /// Whether anything is gathered.
    var isEmpty: Bool {
        events.isEmpty && answers.isEmpty && seats.isEmpty && attempts.isEmpty && campaignAnswers.isEmpty
            && attemptOrder.isEmpty
    }

    /// Writes everything gathered as one statement, then forgets it: each table's rows as one `INSERT … SELECT FROM
    /// unnest` (a table with nothing gathered gets empty arrays, which insert nothing), chained as data-modifying
    /// `WITH` parts. The parts see one snapshot, so an attempt started among the gathered rows is inserted already
    /// changed (served, answered, ended) instead of updated; the foreign keys are checked at the statement's end.
    /// Nullable columns travel as sentinels no real value takes: "" for a token hash, an answer's JSON text or a
    /// status (none is ever empty), a `has…` flag beside a member id, points, a served question or an end.
    mutating func flush(_ sql: SQL) async throws {
        guard !isEmpty else { return }
        let started = Set(attempts.map(\.ref))
        let updated = attemptOrder.filter { !started.contains($0) }
        let updates = updated.map { attemptUpdates[$0]! }
        let new = attempts
        let final = new.map { attemptUpdates[$0.ref] ?? AttemptUpdate() }
        let questions = new.flatMap { attempt in
            attempt.questionIds.enumerated().map { (attempt.ref, Int64($0.offset), $0.element) }
        }
        let answered = campaignAnswers
        let entries = events
        let contestAnswers = answers
        let joined = seats
        try await sql.execute(
            """
            WITH attempts AS (
                INSERT INTO campaignAttempt
                    (campaignId, memberId, seq, unitId, level, day, seed, startedAt, status, endedAt, servedIndex, servedAt,
                    ladder)
                SELECT campaignId, memberId, seq, unitId, level, day, seed, startedAt,
                    CASE WHEN hasEnded THEN status ELSE 'answering' END, CASE WHEN hasEndedAt THEN endedAt END,
                    CASE WHEN hasServed THEN servedIndex END, CASE WHEN hasServed THEN servedAt END, ladder
                FROM unnest(
                    \(new.map(\.ref.campaignId)), \(new.map(\.ref.memberId)), \(new.map { Int64($0.ref.seq) }),
                    \(new.map(\.unitId)), \(new.map { Int64($0.level) }), \(new.map(\.day.description)),
                    \(new.map { Int64(bitPattern: $0.seed) }), \(new.map(\.startedAt)),
                    \(final.map { $0.ended != nil }), \(final.map { $0.ended?.status.rawValue ?? "" }),
                    \(final.map { $0.ended?.at != nil }), \(final.map { $0.ended?.at ?? 0 }),
                    \(final.map { $0.served != nil }), \(final.map { $0.served?.index ?? 0 }),
                    \(final.map { $0.served?.at ?? 0 }), \(new.map { Int64($0.ladder) }))
                    AS row(campaignId, memberId, seq, unitId, level, day, seed, startedAt, hasEnded, status, hasEndedAt,
                        endedAt, hasServed, servedIndex, servedAt, ladder)
            ), questions AS (
                INSERT INTO campaignAttemptQuestion (campaignId, memberId, seq, idx, questionId)
                SELECT * FROM unnest(
                    \(questions.map(\.0.campaignId)), \(questions.map(\.0.memberId)),
                    \(questions.map { Int64($0.0.seq) }), \(questions.map(\.1)), \(questions.map(\.2)))
            ), answers AS (
                INSERT INTO campaignAnswer (campaignId, memberId, seq, idx, answer, correct, at, elapsedMs)
                SELECT campaignId, memberId, seq, idx, NULLIF(answer, ''), correct, at, elapsedMs FROM unnest(
                    \(answered.map(\.ref.campaignId)), \(answered.map(\.ref.memberId)),
                    \(answered.map { Int64($0.ref.seq) }), \(answered.map { Int64($0.answer.index) }),
                    \(answered.map { $0.text ?? "" }), \(answered.map { $0.answer.correctness == .correct }),
                    \(answered.map(\.answer.at)), \(answered.map { Int64($0.answer.elapsedMilliseconds) }))
                    AS row(campaignId, memberId, seq, idx, answer, correct, at, elapsedMs)
            ), updated AS (
                UPDATE campaignAttempt AS a SET
                    servedIndex = CASE WHEN given.hasServed THEN given.servedIndex END,
                    servedAt = CASE WHEN given.hasServed THEN given.servedAt END,
                    status = CASE WHEN given.hasEnded THEN given.status ELSE a.status END,
                    endedAt = CASE WHEN given.hasEnded THEN (CASE WHEN given.hasEndedAt THEN given.endedAt END)
                        ELSE a.endedAt END
                FROM unnest(
                    \(updated.map(\.campaignId)), \(updated.map(\.memberId)), \(updated.map { Int64($0.seq) }),
                    \(updates.map { $0.served != nil }), \(updates.map { $0.served?.index ?? 0 }),
                    \(updates.map { $0.served?.at ?? 0 }), \(updates.map { $0.ended != nil }),
                    \(updates.map { $0.ended?.status.rawValue ?? "" }), \(updates.map { $0.ended?.at != nil }),
                    \(updates.map { $0.ended?.at ?? 0 }))
                    AS given(campaignId, memberId, seq, hasServed, servedIndex, servedAt, hasEnded, status, hasEndedAt,
                        endedAt)
                WHERE a.campaignId = given.campaignId AND a.memberId = given.memberId AND a.seq = given.seq
            ), events AS (
                INSERT INTO contestEvent (contestId, seq, at, input, tokenHash)
                SELECT contestId, seq, at, input, NULLIF(tokenHash, '') FROM unnest(
                    \(entries.map(\.contestId)), \(entries.map(\.seq)), \(entries.map(\.at)), \(entries.map(\.input)),
                    \(entries.map { $0.tokenHash ?? "" })) AS row(contestId, seq, at, input, tokenHash)
            ), contestAnswers AS (
                INSERT INTO contestAnswer
                    (contestId, number, seat, memberId, unitId, questionId, answer, correctness, points, elapsedMs, receivedAt)
                SELECT contestId, number, seat, CASE WHEN hasMember THEN memberId END, unitId, questionId, answer,
                    correctness, CASE WHEN hasPoints THEN points END, elapsedMs, receivedAt
                FROM unnest(
                    \(contestAnswers.map(\.contestId)), \(contestAnswers.map { Int64($0.row.number) }),
                    \(contestAnswers.map { Int64($0.row.seat) }), \(contestAnswers.map { $0.row.memberId != nil }),
                    \(contestAnswers.map { $0.row.memberId ?? 0 }), \(contestAnswers.map(\.row.unitId)),
                    \(contestAnswers.map(\.row.questionId)), \(contestAnswers.map(\.answer)),
                    \(contestAnswers.map(\.row.correctness.rawValue)), \(contestAnswers.map { $0.row.points != nil }),
                    \(contestAnswers.map { Int64($0.row.points ?? 0) }),
                    \(contestAnswers.map { Int64($0.row.elapsedMilliseconds) }), \(contestAnswers.map(\.row.receivedAt)))
                    AS row(contestId, number, seat, hasMember, memberId, unitId, questionId, answer, correctness,
                        hasPoints, points, elapsedMs, receivedAt)
                ON CONFLICT (contestId, number, seat) DO UPDATE SET
                    answer = excluded.answer, correctness = excluded.correctness, points = excluded.points,
                    elapsedMs = excluded.elapsedMs, receivedAt = excluded.receivedAt
            )
            INSERT INTO contestSeat (contestId, seat, memberId, unitId, name, joinedAt)
            SELECT contestId, seat, CASE WHEN hasMember THEN memberId END, unitId, name, joinedAt FROM unnest(
                \(joined.map(\.contestId)), \(joined.map { Int64($0.seat.id) }), \(joined.map { $0.seat.memberId != nil }),
                \(joined.map { $0.seat.memberId ?? 0 }), \(joined.map(\.seat.branchId)), \(joined.map(\.seat.name)),
                \(joined.map(\.joinedAt))) AS row(contestId, seat, hasMember, memberId, unitId, name, joinedAt)
            ON CONFLICT (contestId, seat) DO NOTHING
            """)
        self = JournalInserts()
    }
}

/// What one journal transaction leaves of an attempt row's changing columns.
struct AttemptUpdate {
    /// An attempt's end: its status and when (an answer that ends nothing keeps the status it had and no end).
    struct Ending {
        var status: AttemptStatus
        var at: Int64?
    }

    /// The question being served, or nil for none (every change writes it: an answer or an end clears it).
    var served: (index: Int64, at: Int64)?
    /// The last status change, if any.
    var ended: Ending?
}

extension ContestInput {
    /// Whether this input is a kick: it marks a seat that may still be among the gathered rows.
    var isKick: Bool {
        if case .kick = self { true } else { false }
    }
}
