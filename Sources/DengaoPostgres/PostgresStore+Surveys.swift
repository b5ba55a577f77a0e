import DengaoCore
import Foundation
import PostgresNIO

/// A `survey` row with its response count, as one `SELECT` reads it.
private enum SurveyRow {
    static let select = """
        SELECT s.id, s.title, s.ownerUnitId, s.settings, s.createdAt, s.closedAt,
            (SELECT COUNT(*) FROM surveyResponse r WHERE r.surveyId = s.id)
        FROM survey s
        """
    typealias Columns = (SurveyID, String, UnitID?, String, String, String?, Int64)

    static func summary(_ row: Columns) throws -> SurveySummary {
        let (id, title, ownerUnitId, settings, createdAt, closedAt, responses) = row
        guard let created = StoredDate.date(createdAt) else {
            throw StorageError.corrupt("survey \(id) has an unreadable date")
        }
        return SurveyRows.summary(
            id: id, title: title, ownerUnitId: ownerUnitId, settings: settings, createdAt: created,
            closedAt: closedAt.flatMap(StoredDate.date), responses: Int(responses))
    }
}

extension PostgresStore {
    static func surveySummaries(where condition: PostgresQuery, _ sql: SQL) async throws -> [SurveySummary] {
        let query = PostgresQuery(unsafeSQL: SurveyRow.select + " " + condition.sql, binds: condition.binds)
        return try await sql.rows(query, as: SurveyRow.Columns.self).map(SurveyRow.summary)
    }

    public func createSurvey(_ new: NewSurvey, now: Date) async throws -> SurveySummary {
        let settingsJSON = String(decoding: try JSONEncoder().encode(new.settings), as: UTF8.self)
        return try await transaction { sql in
            guard
                let id = try await sql.value(
                    """
                    INSERT INTO survey (title, ownerUnitId, createdById, settings, anonymous, createdAt)
                    VALUES (\(new.settings.title.trimmingCharacters(in: .whitespacesAndNewlines)), \(new.ownerUnitId),
                        \(new.createdById), \(settingsJSON), \(new.settings.anonymous), \(StoredDate.text(now)))
                    RETURNING id
                    """, as: SurveyID.self)
            else { throw StorageError.corrupt("survey insert returned no id") }
            return try await Self.surveySummaries(where: "WHERE s.id = \(id)", sql)[0]
        }
    }

    public func survey(id: SurveyID) async throws -> SurveySummary? {
        try await read { sql in try await Self.surveySummaries(where: "WHERE s.id = \(id)", sql).first }
    }

    public func surveys(ownedBy units: Set<UnitID>?) async throws -> [SurveySummary] {
        try await read { sql in
            if let units {
                return try await Self.surveySummaries(
                    where: "WHERE s.ownerUnitId = ANY(\(Array(units))) ORDER BY s.id DESC", sql)
            }
            return try await Self.surveySummaries(where: "ORDER BY s.id DESC", sql)
        }
    }

    public func closeSurvey(id: SurveyID, now: Date) async throws -> SurveySummary {
        try await transaction { sql in
            let changed = try await sql.count(
                "UPDATE survey SET closedAt = COALESCE(closedAt, \(StoredDate.text(now))) WHERE id = \(id) RETURNING 1")
            if changed == 0 { throw StorageError.surveyNotFound(id) }
            return try await Self.surveySummaries(where: "WHERE s.id = \(id)", sql)[0]
        }
    }

    public func submitSurveyResponse(_ submission: SurveySubmission, now: Date) async throws {
        let answers = String(decoding: try JSONEncoder().encode(submission.response.answers), as: UTF8.self)
        try await transaction { sql in
            // FOR SHARE: a survey closing concurrently waits for this response or is seen closed by it.
            guard
                let (anonymous, closedAt) = try await sql.row(
                    "SELECT anonymous, closedAt FROM survey WHERE id = \(submission.surveyId) FOR SHARE",
                    as: (Bool, String?).self)
            else { throw StorageError.surveyNotFound(submission.surveyId) }
            if closedAt != nil { throw StorageError.invalid(SurveyRefusal.closed) }
            let inserted = try await sql.count(
                """
                INSERT INTO surveyRespondent (surveyId, memberId) VALUES (\(submission.surveyId), \(submission.memberId))
                ON CONFLICT DO NOTHING RETURNING 1
                """)
            guard inserted > 0 else { throw StorageError.conflict(SurveyRefusal.alreadyAnswered) }
            let memberId: MemberID? = anonymous ? nil : submission.memberId
            let submittedAt: String? = anonymous ? nil : StoredDate.text(now)
            try await sql.execute(
                """
                INSERT INTO surveyResponse (surveyId, unitId, memberId, answers, submittedAt)
                VALUES (\(submission.surveyId), \(submission.unitId), \(memberId), \(answers), \(submittedAt))
                """)
        }
    }

    public func answeredSurveys(member: MemberID) async throws -> Set<SurveyID> {
        try await read { sql in
            Set(
                try await sql.values(
                    "SELECT surveyId FROM surveyRespondent WHERE memberId = \(member)", as: SurveyID.self)
            )
        }
    }

    public func surveyResponses(_ surveyId: SurveyID) async throws -> [StoredSurveyResponse] {
        let rows = try await read { sql in
            try await sql.rows(
                """
                SELECT r.unitId, r.memberId, m.number, m.name, r.submittedAt, r.answers
                FROM surveyResponse r LEFT JOIN member m ON m.id = r.memberId
                WHERE r.surveyId = \(surveyId) ORDER BY r.id
                """, as: (UnitID, MemberID?, String?, String?, String?, String).self)
        }
        return try rows.map { unitId, memberId, number, name, submittedAt, answers in
            StoredSurveyResponse(
                unitId: unitId,
                member: memberId.map { .init(id: $0, number: number ?? "", name: name ?? "") },
                submittedAt: submittedAt.flatMap(StoredDate.date),
                response: try SurveyRows.response(answers, survey: surveyId))
        }
    }
}
