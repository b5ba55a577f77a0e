import Foundation

/// What both backends make of a survey's stored columns, so they read them alike.
public enum SurveyRows {
    /// The summary of a stored survey; settings that cannot be read leave it listed under its title, with no
    /// questions, rather than breaking every list it is in.
    public static func summary(
        id: SurveyID, title: String, ownerUnitId: UnitID?, settings: String, createdAt: Date, closedAt: Date?,
        responses: Int
    ) -> SurveySummary {
        let decoded =
            (try? JSONDecoder().decode(SurveySettings.self, from: Data(settings.utf8)))
            ?? SurveySettings(title: title, questions: [])
        return SurveySummary(
            id: id, ownerUnitId: ownerUnitId, settings: decoded, createdAt: createdAt, closedAt: closedAt,
            responseCount: responses)
    }

    /// A stored response's answers, or `.corrupt` naming the survey.
    public static func response(_ answers: String, survey: SurveyID) throws -> SurveyResponse {
        guard let decoded = try? JSONDecoder().decode([SurveyAnswer?].self, from: Data(answers.utf8)) else {
            throw StorageError.corrupt("问卷 \(survey) 的答卷无法读取 (a response of survey \(survey) is unreadable)")
        }
        return SurveyResponse(answers: decoded)
    }
}

/// The refusals a member can meet when answering, Chinese first.
public enum SurveyRefusal {
    public static let closed = "问卷已结束 (the survey is closed)"
    public static let alreadyAnswered = "您已提交过这份问卷 (you have already answered this survey)"
}
