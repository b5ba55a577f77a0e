import DengaoCore
import Foundation
import Hummingbird

/// Members answering needs surveys on their phones: the open surveys meant for them (the owner's subtree holds
/// their unit and, for a survey sent to member categories, they hold one of them), one survey's questions, and their one response. A survey is never shown to a member outside its
/// subtree, and a second response is refused with `already-answered`, anonymous or not.
struct MemberSurveyController {
    let storage: any Storage
    let clock: any ServerClock

    func addRoutes(to routes: GuardedRoutes) {
        routes.get("my/surveys", .signedInMember, use: list)
        routes.get("my/surveys/:id", .signedInMember, use: show)
        routes.post("my/surveys/:id/responses", .signedInMember, use: respond)
    }

    struct Brief: Encodable {
        var id: SurveyID
        var title: String
        var anonymous: Bool
        var answered: Bool
        var open: Bool
    }

    struct SurveyList: ResponseEncodable {
        var surveys: [Brief]
    }

    struct MemberSurvey: ResponseEncodable {
        var id: SurveyID
        var settings: SurveySettings
        var answered: Bool
        var open: Bool
    }

    struct Submitted: ResponseEncodable {
        var answered: Bool
    }

    /// Open surveys for the member and those they answered, newest first.
    @Sendable func list(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> SurveyList
    {
        let (memberId, unitId) = try Self.member(principal)
        let lineage = Set(try await storage.orgTree().lineage(of: unitId).map(\.id))
        let answered = try await storage.answeredSurveys(member: memberId)
        let surveys = try await storage.surveys(ownedBy: nil)
        let held = try await heldCategories(
            memberId, needed: surveys.contains { !$0.settings.memberCategoryIds.isEmpty })
        let mine = surveys.filter { survey in
            (survey.ownerUnitId.map(lineage.contains) ?? true) && survey.settings.isFor(memberHolding: held)
                && (survey.isOpen || answered.contains(survey.id))
        }
        return SurveyList(
            surveys: mine.map {
                Brief(
                    id: $0.id, title: $0.settings.title, anonymous: $0.settings.anonymous,
                    answered: answered.contains($0.id), open: $0.isOpen)
            })
    }

    @Sendable func show(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> MemberSurvey
    {
        let (memberId, unitId) = try Self.member(principal)
        let survey = try await visibleSurvey(context, memberId: memberId, unitId: unitId)
        let answered = try await storage.answeredSurveys(member: memberId).contains(survey.id)
        return MemberSurvey(id: survey.id, settings: survey.settings, answered: answered, open: survey.isOpen)
    }

    /// `{"answers": [{"choice": 1}, {"rating": 4}, null, …]}`: checked against the survey, stored once, then 201.
    @Sendable func respond(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> EditedResponse<Submitted>
    {
        let (memberId, unitId) = try Self.member(principal)
        let survey = try await visibleSurvey(context, memberId: memberId, unitId: unitId)
        let response = try await request.decodeJSON(SurveyResponse.self, context: context)
        guard survey.settings.problems().isEmpty else {
            throw APIError(status: .conflict, message: "问卷设置无法读取 (the survey's settings are unreadable)")
        }
        guard survey.isOpen else { throw APIError(status: .conflict, message: SurveyRefusal.closed, code: "closed") }
        if let problem = survey.settings.problem(with: response) {
            throw APIError(status: .unprocessableContent, message: problem, code: "malformed-answer")
        }
        do {
            try await storage.submitSurveyResponse(
                SurveySubmission(surveyId: survey.id, memberId: memberId, unitId: unitId, response: response),
                now: clock.now())
        } catch StorageError.conflict {
            throw APIError(status: .conflict, message: SurveyRefusal.alreadyAnswered, code: "already-answered")
        } catch StorageError.invalid(SurveyRefusal.closed) {
            throw APIError(status: .conflict, message: SurveyRefusal.closed, code: "closed")
        }
        return EditedResponse(status: .created, response: Submitted(answered: true))
    }

    /// The survey in the path if it is meant for the member (of `unitId`): another subtree's survey, or one for
    /// categories the member holds none of, is not found.
    private func visibleSurvey(_ context: AppRequestContext, memberId: MemberID, unitId: UnitID) async throws
        -> SurveySummary
    {
        let id = try SurveyController.id(context)
        guard let survey = try await storage.survey(id: id) else { throw APIError(StorageError.surveyNotFound(id)) }
        if let owner = survey.ownerUnitId, !(try await storage.orgTree().isWithin(unitId, subtreeOf: owner)) {
            throw APIError(StorageError.surveyNotFound(id))
        }
        let held = try await heldCategories(memberId, needed: !survey.settings.memberCategoryIds.isEmpty)
        guard survey.settings.isFor(memberHolding: held) else { throw APIError(StorageError.surveyNotFound(id)) }
        return survey
    }

    /// The ids of the categories the member holds now; read only when some survey asks (`needed`).
    private func heldCategories(_ memberId: MemberID, needed: Bool) async throws -> Set<MemberCategoryID> {
        guard needed else { return [] }
        return try await storage.memberCategoryIds(named: try await storage.member(id: memberId).categories)
    }

    private static func member(_ principal: Principal) throws -> (MemberID, UnitID) {
        guard case .member(let memberId, let unitId) = principal else { throw APIError.forbidden }
        return (memberId, unitId)
    }
}
