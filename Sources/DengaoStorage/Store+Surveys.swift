import DengaoCore
import Foundation
import GRDB

extension Store {
    public func createSurvey(_ new: NewSurvey, now: Date = Date()) throws -> SurveySummary {
        let settingsJSON = String(decoding: try JSONEncoder().encode(new.settings), as: UTF8.self)
        return try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO survey (title, ownerUnitId, createdById, settings, anonymous, createdAt)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    new.settings.title.trimmingCharacters(in: .whitespacesAndNewlines), new.ownerUnitId,
                    new.createdById, settingsJSON, new.settings.anonymous, now,
                ])
            return try Self.surveySummaries(db, where: "WHERE s.id = ?", [db.lastInsertedRowID])[0]
        }
    }

    public func survey(id: SurveyID) throws -> SurveySummary? {
        try pool.read { db in try Self.surveySummaries(db, where: "WHERE s.id = ?", [id]).first }
    }

    /// Surveys owned by any of `units` (all surveys when nil), newest first.
    public func surveys(ownedBy units: Set<UnitID>?) throws -> [SurveySummary] {
        try pool.read { db in
            guard let units else { return try Self.surveySummaries(db, where: "ORDER BY s.id DESC", []) }
            let ids = Array(units)
            let marks = ids.map { _ in "?" }.joined(separator: ",")
            return try Self.surveySummaries(
                db, where: "WHERE s.ownerUnitId IN (\(marks)) ORDER BY s.id DESC", StatementArguments(ids))
        }
    }

    public func closeSurvey(id: SurveyID, now: Date = Date()) throws -> SurveySummary {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE survey SET closedAt = COALESCE(closedAt, ?) WHERE id = ?", arguments: [now, id])
            guard db.changesCount > 0 else { throw StorageError.surveyNotFound(id) }
            return try Self.surveySummaries(db, where: "WHERE s.id = ?", [id])[0]
        }
    }

    public func submitSurveyResponse(_ submission: SurveySubmission, now: Date = Date()) throws {
        let answers = String(decoding: try JSONEncoder().encode(submission.response.answers), as: UTF8.self)
        try pool.write { db in
            guard
                let survey = try Row.fetchOne(
                    db, sql: "SELECT anonymous, closedAt FROM survey WHERE id = ?", arguments: [submission.surveyId])
            else { throw StorageError.surveyNotFound(submission.surveyId) }
            if (survey["closedAt"] as Date?) != nil { throw StorageError.invalid(SurveyRefusal.closed) }
            try db.execute(
                sql: "INSERT INTO surveyRespondent (surveyId, memberId) VALUES (?, ?) ON CONFLICT DO NOTHING",
                arguments: [submission.surveyId, submission.memberId])
            guard db.changesCount > 0 else { throw StorageError.conflict(SurveyRefusal.alreadyAnswered) }
            let anonymous: Bool = survey["anonymous"]
            try db.execute(
                sql:
                    "INSERT INTO surveyResponse (surveyId, unitId, memberId, answers, submittedAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    submission.surveyId, submission.unitId, anonymous ? nil : submission.memberId, answers,
                    anonymous ? nil : now,
                ])
        }
    }

    public func answeredSurveys(member: MemberID) throws -> Set<SurveyID> {
        try pool.read { db in
            Set(
                try SurveyID.fetchAll(
                    db, sql: "SELECT surveyId FROM surveyRespondent WHERE memberId = ?", arguments: [member]))
        }
    }

    public func surveyResponses(_ surveyId: SurveyID) throws -> [StoredSurveyResponse] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT r.unitId, r.memberId, m.number, m.name, r.submittedAt, r.answers
                    FROM surveyResponse r LEFT JOIN member m ON m.id = r.memberId
                    WHERE r.surveyId = ? ORDER BY r.id
                    """, arguments: [surveyId]
            ).map { row in
                let memberId: MemberID? = row["memberId"]
                let member = memberId.map {
                    StoredSurveyResponse.Member(id: $0, number: row["number"] ?? "", name: row["name"] ?? "")
                }
                return StoredSurveyResponse(
                    unitId: row["unitId"], member: member, submittedAt: row["submittedAt"],
                    response: try SurveyRows.response(row["answers"], survey: surveyId))
            }
        }
    }

    private static func surveySummaries(_ db: Database, where condition: String, _ arguments: StatementArguments)
        throws -> [SurveySummary]
    {
        try Row.fetchAll(
            db,
            sql: """
                SELECT s.id, s.title, s.ownerUnitId, s.settings, s.createdAt, s.closedAt,
                    (SELECT COUNT(*) FROM surveyResponse r WHERE r.surveyId = s.id) AS responses
                FROM survey s
                """ + " " + condition, arguments: arguments
        ).map { row in
            SurveyRows.summary(
                id: row["id"], title: row["title"], ownerUnitId: row["ownerUnitId"], settings: row["settings"],
                createdAt: row["createdAt"], closedAt: row["closedAt"], responses: row["responses"])
        }
    }
}
