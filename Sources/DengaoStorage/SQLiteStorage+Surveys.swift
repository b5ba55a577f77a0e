import DengaoCore
import Foundation

extension SQLiteStorage {
    public func createSurvey(_ new: NewSurvey, now: Date) async throws -> SurveySummary {
        try await calls.run { try store.createSurvey(new, now: now) }
    }

    public func survey(id: SurveyID) async throws -> SurveySummary? {
        try await calls.run { try store.survey(id: id) }
    }

    public func surveys(ownedBy units: Set<UnitID>?) async throws -> [SurveySummary] {
        try await calls.run { try store.surveys(ownedBy: units) }
    }

    public func closeSurvey(id: SurveyID, now: Date) async throws -> SurveySummary {
        try await calls.run { try store.closeSurvey(id: id, now: now) }
    }

    public func submitSurveyResponse(_ submission: SurveySubmission, now: Date) async throws {
        try await calls.run { try store.submitSurveyResponse(submission, now: now) }
    }

    public func answeredSurveys(member: MemberID) async throws -> Set<SurveyID> {
        try await calls.run { try store.answeredSurveys(member: member) }
    }

    public func surveyResponses(_ surveyId: SurveyID) async throws -> [StoredSurveyResponse] {
        try await reports.run { try store.surveyResponses(surveyId) }
    }
}
