import DengaoCore
import Foundation
import PostgresNIO

/// The reports' reads, as the SQLite store's `Store+Reports`, `Store+AnswerFacts` and `Store+AnswerTallies`: the
/// same rows in the same order. Each runs through `reportRead`, so reports queue behind each other for a few of the
/// pool's connections and never take the ones short calls need.
extension PostgresStore {
    /// The columns of a contest answer, in the order `contestAnswer(_:)` reads them.
    static let contestAnswerColumns =
        "c.contestId, c.seat, c.number, c.memberId, c.unitId, c.questionId, c.answer, c.correctness, c.points, c.elapsedMs, c.receivedAt"
    typealias ContestAnswerColumns = (
        ContestID, Int, Int, MemberID?, UnitID, QuestionID, String, String, Int?, Int, Int64
    )

    /// The columns of a campaign answer joined with its attempt and drawn question, as `campaignResponse` reads them.
    static let campaignResponseColumns =
        "a.campaignId, a.memberId, a.seq, a.idx, t.unitId, q.questionId, a.answer, a.correct, a.elapsedMs, a.at, t.day"
    typealias CampaignResponseColumns = (
        CampaignID, MemberID, Int, Int, UnitID, QuestionID, String?, Bool, Int, Int64, String
    )

    /// Every accepted answer of a contest, in question order then seat; points are nil until a question is revealed.
    public func contestResponses(contest id: ContestID) async throws -> [ResponseRow] {
        try await reportRead { sql in
            try await sql.rows(
                "SELECT \(unescaped: Self.contestAnswerColumns) FROM contestAnswer c WHERE c.contestId = \(id) ORDER BY c.number, c.seat",
                as: ContestAnswerColumns.self
            ).map(Self.contestResponse)
        }
    }

    /// Every seat a contest has had, kicked ones included, in seat order.
    public func contestSeats(contest id: ContestID) async throws -> [ContestSeatRow] {
        try await reportRead { sql in
            try await sql.rows(
                """
                SELECT seat, memberId, unitId, name, joinedAt, kickedAt FROM contestSeat WHERE contestId = \(id)
                ORDER BY seat
                """, as: (Int, MemberID?, UnitID, String, Int64, Int64?).self
            ).map { seat, memberId, unitId, name, joinedAt, kickedAt in
                ContestSeatRow(
                    contestId: id, seat: seat, memberId: memberId, unitId: unitId, name: name, joinedAt: joinedAt,
                    kickedAt: kickedAt)
            }
        }
    }

    /// The attempts made on `days`, in one campaign or in all of them. Rows come in no promised order.
    public func campaignAttempts(days: ClosedRange<CampaignDay>, campaign: CampaignID? = nil) async throws
        -> [AttemptRow]
    {
        let (first, last) = (days.lowerBound.description, days.upperBound.description)
        var query: PostgresQuery = """
            SELECT campaignId, memberId, seq, unitId, level, day, status, startedAt, endedAt, ladder FROM campaignAttempt
            WHERE day BETWEEN \(first) AND \(last)
            """
        if let campaign {
            query.binds.append(campaign)
            query.sql += " AND campaignId = $\(query.binds.count)"
        }
        let rows = try await reportRead { sql in
            try await sql.rows(
                query, as: (CampaignID, MemberID, Int, UnitID, Int, String, String, Int64, Int64?, Int).self)
        }
        var parsed: [String: CampaignDay] = [:]
        return try rows.map {
            campaignId, memberId, seq, unitId, level, dayText, statusText, startedAt, endedAt, ladder in
            let ref = AttemptRef(campaignId: campaignId, memberId: memberId, seq: seq)
            guard let day = parsed[dayText] ?? CampaignDay(dayText), let status = AttemptStatus(rawValue: statusText)
            else { throw StorageError.corrupt("campaign \(campaignId) attempt \(memberId)/\(seq)") }
            parsed[dayText] = day
            return AttemptRow(
                ref: ref, unitId: unitId, level: level, day: day, status: status, startedAt: startedAt,
                endedAt: endedAt,
                ladder: ladder)
        }
    }

    /// Every answer of a campaign (on `days` only, when given), timed-out questions included with a nil answer.
    /// Rows come in no promised order.
    public func campaignResponses(campaign id: CampaignID, days: ClosedRange<CampaignDay>? = nil) async throws
        -> [ResponseRow]
    {
        var query = PostgresQuery(
            unsafeSQL: "SELECT \(Self.campaignResponseColumns) FROM \(Self.campaignAnswerJoin) WHERE t.campaignId = $1")
        query.binds.append(id)
        if let days {
            query.binds.append(days.lowerBound.description)
            query.binds.append(days.upperBound.description)
            query.sql += " AND t.day BETWEEN $2 AND $3"
        }
        return try await reportRead { sql in
            try await sql.rows(query, as: CampaignResponseColumns.self).map(Self.campaignResponse)
        }
    }

    /// Every answer to any question of any version of a bank, from contests and campaigns alike; only those given in
    /// `units` (the branch at the time) when given. Rows come in no promised order.
    public func bankResponses(bank id: BankID, within units: Set<UnitID>? = nil) async throws -> [ResponseRow] {
        let unitList = units.map { Array($0) }
        return try await reportRead { sql in
            var contests = PostgresQuery(
                unsafeSQL: """
                    SELECT \(Self.contestAnswerColumns)
                    FROM bankVersion v JOIN question qu ON qu.bankVersionId = v.id
                    JOIN contestAnswer c ON c.questionId = qu.id
                    WHERE v.bankId = $1
                    """)
            contests.binds.append(id)
            var campaigns = PostgresQuery(
                unsafeSQL: """
                    SELECT \(Self.campaignResponseColumns)
                    FROM bankVersion v JOIN question qu ON qu.bankVersionId = v.id
                    JOIN campaignAttemptQuestion q ON q.questionId = qu.id
                    JOIN campaignAnswer a ON a.campaignId = q.campaignId AND a.memberId = q.memberId AND a.seq = q.seq AND a.idx = q.idx
                    JOIN campaignAttempt t ON t.campaignId = q.campaignId AND t.memberId = q.memberId AND t.seq = q.seq
                    WHERE v.bankId = $1
                    """)
            campaigns.binds.append(id)
            if let unitList {
                contests.binds.append(unitList)
                contests.sql += " AND c.unitId = ANY($2)"
                campaigns.binds.append(unitList)
                campaigns.sql += " AND t.unitId = ANY($2)"
            }
            var rows: [ResponseRow] = []
            for row in try await sql.rows(contests, as: ContestAnswerColumns.self) {
                rows.append(try Self.contestResponse(row))
            }
            for row in try await sql.rows(campaigns, as: CampaignResponseColumns.self) {
                rows.append(try Self.campaignResponse(row))
            }
            return rows
        }
    }

    /// The questions named (those that exist), keys included, with their bank and version.
    public func questionsForReport(ids: Set<QuestionID>) async throws -> [QuestionID: ReportQuestion] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await reportRead { sql in
            try await sql.rows(
                """
                SELECT \(unescaped: QuestionText.Row.columns.split(separator: ",").map { "qu." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")),
                    qu.bankVersionId, qu.position, v.bankId, v.version, b.name
                FROM question qu JOIN bankVersion v ON v.id = qu.bankVersionId JOIN bank b ON b.id = v.bankId
                WHERE qu.id = ANY(\(Array(ids)))
                """,
                as: (
                    QuestionID, String, String, String, String, String, Int, String, String, BankVersionID, Int, BankID,
                    Int, String
                )
                .self)
        }
        var found: [QuestionID: ReportQuestion] = [:]
        for row in rows {
            let stored = QuestionText.Row((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8))
            found[stored.id] = ReportQuestion(
                id: stored.id, bankId: row.11, bankName: row.13, bankVersionId: row.9, bankVersion: row.12,
                position: row.10, question: try stored.question())
        }
        return found
    }

    /// Answers per unit and question from campaign days `first` through `last` and contest answers from `start`
    /// (inclusive) to `end` (exclusive) epoch milliseconds; a pair answered in both comes as two tallies. Credits are
    /// summed doubled (right 2, partly right 1) so they stay whole numbers.
    public func answerTallies(
        campaignDays first: CampaignDay, through last: CampaignDay, contestsFrom start: Int64, until end: Int64
    ) async throws -> [AnswerTally] {
        // A contest joined late the evening before the range may be answered in it: seats of the day before count.
        let seatsFrom = start - 86_400_000
        let rows = try await reportRead { sql in
            let contests = try await sql.rows(
                """
                SELECT unitId, questionId, count(*),
                    sum(CASE correctness WHEN 'correct' THEN 2 WHEN 'partial' THEN 1 ELSE 0 END)::bigint
                FROM contestAnswer
                WHERE contestId IN (
                    SELECT DISTINCT contestId FROM contestSeat
                    WHERE memberId IS NOT NULL AND joinedAt >= \(seatsFrom) AND joinedAt < \(end))
                  AND points IS NOT NULL AND receivedAt >= \(start) AND receivedAt < \(end)
                GROUP BY unitId, questionId ORDER BY unitId, questionId
                """, as: (UnitID, QuestionID, Int, Int64).self)
            let campaigns = try await sql.rows(
                """
                SELECT t.unitId, q.questionId, count(*), sum(CASE WHEN a.correct THEN 2 ELSE 0 END)::bigint
                FROM \(unescaped: Self.campaignAnswerJoin)
                WHERE t.day BETWEEN \(first.description) AND \(last.description)
                GROUP BY t.unitId, q.questionId ORDER BY t.unitId, q.questionId
                """, as: (UnitID, QuestionID, Int, Int64).self)
            return contests + campaigns
        }
        return rows.map { AnswerTally(unitId: $0.0, questionId: $0.1, count: $0.2, credit: Double($0.3) / 2) }
    }

    /// `answerTallies` by member and contest or campaign attempt, guests left out.
    public func memberAnswerTallies(
        campaignDays first: CampaignDay, through last: CampaignDay, contestsFrom start: Int64, until end: Int64
    ) async throws -> [MemberAnswerTally] {
        let seatsFrom = start - 86_400_000
        let rows = try await reportRead { sql in
            let contests = try await sql.rows(
                """
                SELECT memberId, min(receivedAt), unitId, questionId, count(*),
                    sum(CASE correctness WHEN 'correct' THEN 2 WHEN 'partial' THEN 1 ELSE 0 END)::bigint
                FROM contestAnswer
                WHERE contestId IN (
                    SELECT DISTINCT contestId FROM contestSeat
                    WHERE memberId IS NOT NULL AND joinedAt >= \(seatsFrom) AND joinedAt < \(end))
                  AND points IS NOT NULL AND receivedAt >= \(start) AND receivedAt < \(end) AND memberId IS NOT NULL
                GROUP BY memberId, contestId, unitId, questionId
                """, as: (MemberID, Int64, UnitID, QuestionID, Int, Int64).self)
            let campaigns = try await sql.rows(
                """
                SELECT t.memberId, t.startedAt, t.unitId, q.questionId, count(*),
                    sum(CASE WHEN a.correct THEN 2 ELSE 0 END)::bigint
                FROM \(unescaped: Self.campaignAnswerJoin)
                WHERE t.day BETWEEN \(first.description) AND \(last.description)
                GROUP BY t.campaignId, t.memberId, t.seq, t.unitId, q.questionId
                """, as: (MemberID, Int64, UnitID, QuestionID, Int, Int64).self)
            return contests + campaigns
        }
        return rows.map {
            MemberAnswerTally(
                memberId: $0.0, at: $0.1,
                tally: AnswerTally(unitId: $0.2, questionId: $0.3, count: $0.4, credit: Double($0.5) / 2))
        }
    }

    /// A campaign's attempts joined with their answers and the questions drawn (aliases t, a, q).
    static let campaignAnswerJoin = """
        campaignAttempt t
        JOIN campaignAnswer a ON a.campaignId = t.campaignId AND a.memberId = t.memberId AND a.seq = t.seq
        JOIN campaignAttemptQuestion q ON q.campaignId = a.campaignId AND q.memberId = a.memberId AND q.seq = a.seq AND q.idx = a.idx
        """

    /// A contest answer's row as a report reads it; an answer or correctness that does not decode is damage.
    static func contestResponse(_ columns: ContestAnswerColumns) throws -> ResponseRow {
        let (
            contestId, seat, number, memberId, unitId, questionId, answerText, correctnessText, points, elapsed,
            receivedAt
        ) =
            columns
        guard let answer = AnswerJSON.decode(answerText), let correctness = Correctness(rawValue: correctnessText)
        else {
            throw StorageError.corrupt("contest \(contestId) has an unreadable answer")
        }
        return ResponseRow(
            attempt: .contestSeat(contestId: contestId, seat: seat), memberId: memberId, unitId: unitId,
            questionId: questionId, slot: number, answer: answer, correctness: correctness, points: points,
            elapsedMilliseconds: elapsed, at: receivedAt, day: nil)
    }

    /// A campaign answer's row as a report reads it; NULL answers are questions whose time ran out.
    static func campaignResponse(_ columns: CampaignResponseColumns) throws -> ResponseRow {
        let (campaignId, memberId, seq, index, unitId, questionId, answerText, correct, elapsed, at, dayText) = columns
        let ref = AttemptRef(campaignId: campaignId, memberId: memberId, seq: seq)
        let answer: PlayerAnswer?? = answerText.map { AnswerJSON.decode($0).map { .some($0) } } ?? .some(nil)
        guard let answer, let day = AnswerJSON.day(Data(dayText.utf8)) else {
            throw StorageError.corrupt("campaign \(campaignId) has an unreadable answer or day")
        }
        return ResponseRow(
            attempt: .campaignAttempt(ref), memberId: memberId, unitId: unitId, questionId: questionId, slot: index,
            answer: answer, correctness: correct ? .correct : .wrong, points: nil, elapsedMilliseconds: elapsed, at: at,
            day: day)
    }
}
