import DengaoCore
import Foundation
import Hummingbird

/// Organizers' side of needs surveys (需求调研): build one (from scratch or a template), list, close, and read the
/// results live — figures per question, reach per unit against the roster, free-text answers — or download them.
/// Members answer through `MemberSurveyController`.
struct SurveyController {
    let storage: any Storage
    let authorizer: Authorizer
    let clock: any ServerClock
    let timeZone: TimeZone

    func addRoutes(to routes: GuardedRoutes) {
        routes.get("survey-templates", .staff, use: templates)
        routes.get("surveys", .staff, use: list)
        routes.post("surveys", .staff, use: create)
        routes.get("surveys/:id", .survey(parameter: "id"), use: show)
        routes.post("surveys/:id/close", .survey(parameter: "id"), use: close)
        routes.get("surveys/:id/results", .survey(parameter: "id"), use: results)
        routes.get("surveys/:id/export", .survey(parameter: "id"), use: export)
    }

    struct Templates: ResponseEncodable {
        struct Template: Encodable {
            var name: String
            var settings: SurveySettings
        }
        var templates: [Template]
    }

    struct SurveyList: ResponseEncodable {
        var surveys: [SurveySummary]
    }

    struct SurveyResponseBody: ResponseEncodable {
        var survey: SurveySummary
    }

    struct NewSurveyBody: Decodable {
        /// nil: the whole organization (administrators only).
        var ownerUnitId: UnitID?
        var settings: SurveySettings
    }

    @Sendable func templates(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> Templates
    {
        Templates(
            templates: SurveyTemplate.all.sorted { $0.key < $1.key }.map { .init(name: $0.key, settings: $0.value) })
    }

    @Sendable func list(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> SurveyList
    {
        guard let scope = principal.scopeRoot else {
            return SurveyList(surveys: try await storage.surveys(ownedBy: nil))
        }
        return SurveyList(
            surveys: try await storage.surveys(ownedBy: try await storage.orgTree().subtreeIds(of: scope)))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> EditedResponse<SurveyResponseBody>
    {
        let body = try await request.decodeJSON(NewSurveyBody.self, context: context)
        let problems = body.settings.problems()
        guard problems.isEmpty else {
            throw APIError(status: .unprocessableContent, message: problems.joined(separator: "; "))
        }
        try await authorizer.demandCreate(ownerUnitId: body.ownerUnitId, banks: [], principal: principal)
        var settings = body.settings
        settings.memberCategoryIds = try await CampaignController.knownCategories(
            settings.memberCategoryIds, storage: storage)
        let survey = try await storage.createSurvey(
            NewSurvey(ownerUnitId: body.ownerUnitId, createdById: principal.accountId, settings: settings),
            now: clock.now())
        return EditedResponse(status: .created, response: SurveyResponseBody(survey: survey))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> SurveyResponseBody
    {
        SurveyResponseBody(survey: try await survey(context))
    }

    @Sendable func close(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> SurveyResponseBody
    {
        SurveyResponseBody(survey: try await storage.closeSurvey(id: try Self.id(context), now: clock.now()))
    }

    /// The results as the console shows them.
    struct Results: ResponseEncodable {
        struct Question: Encodable {
            var prompt: String
            var kind: String
            var answered: Int
            /// Per option, rating value (1 first) or topic, in the question's own order.
            var labels: [String]
            var counts: [Int]
            /// Ranking: points per topic and topic indices from most wanted down.
            var points: [Int]?
            var order: [Int]?
            var mean: Double?
            /// Free text: the answers, newest last, at most `textLimit`; `textCount` says how many there are.
            var texts: [String]?
            var textCount: Int?
        }
        var survey: SurveySummary
        var respondents: Int
        var roster: Int
        var rate: Double
        var units: [SurveyReach.Row]
        var questions: [Question]
    }

    /// The free-text answers shown per question; the download has them all.
    static let textLimit = 500

    @Sendable func results(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> Results
    {
        let survey = try await survey(context)
        let (tally, reach, _, _) = try await figures(survey)
        let questions = zip(survey.settings.questions, tally.questions).map { question, figures in
            var labels: [String] = []
            switch question.form {
            case .single(let options), .multiple(let options, _): labels = options
            case .rating(let scale): labels = (1...max(1, scale)).map(String.init)
            case .ranking(let topics, _): labels = topics
            case .text: labels = []
            }
            let isRanking = question.form.kind == "ranking"
            let isText = question.form.kind == "text"
            return Results.Question(
                prompt: question.prompt, kind: question.form.kind, answered: figures.answered, labels: labels,
                counts: figures.counts, points: isRanking ? figures.points : nil,
                order: isRanking ? figures.topicOrder : nil, mean: figures.meanRating,
                texts: isText ? Array(figures.texts.suffix(Self.textLimit)) : nil,
                textCount: isText ? figures.texts.count : nil)
        }
        // The top rows: the owner unit, or every top-level unit for a survey of the whole organization.
        let roster = reach.filter { $0.depth == 0 }.reduce(0) { $0 + $1.roster }
        let responded = reach.filter { $0.depth == 0 }.reduce(0) { $0 + $1.responded }
        return Results(
            survey: survey, respondents: tally.respondents, roster: roster,
            rate: roster > 0 ? Double(responded) / Double(roster) : 0, units: reach, questions: questions)
    }

    /// `?format=xlsx` (default, every sheet) or `?format=csv&sheet=汇总|各单位|答卷`.
    @Sendable func export(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> Response
    {
        let download = try ResultsDownload(request, sheetNames: SurveySheets.names)
        let survey = try await survey(context)
        let (tally, reach, responses, tree) = try await figures(survey)
        let sheets = SurveySheets.sheets(
            settings: survey.settings, tally: tally, reach: reach, responses: responses, zone: timeZone,
            unitPath: { tree.path(of: $0) })
        return download.response(sheets, fileBase: "survey-\(survey.id)")
    }

    /// The tally, the reach over the owner's subtree (the whole organization for a survey without owner) and the
    /// responses and org tree they were computed from.
    private func figures(_ survey: SurveySummary) async throws -> (
        SurveyTally, [SurveyReach.Row], [StoredSurveyResponse], OrgTree
    ) {
        let responses = try await storage.surveyResponses(survey.id)
        var tally = SurveyTally(settings: survey.settings)
        var byUnit: [UnitID: Int] = [:]
        for stored in responses {
            tally.add(stored.response)
            byUnit[stored.unitId, default: 0] += 1
        }
        let tree = try await storage.orgTree()
        // A survey for some categories: its roster is the members of the subtree holding one of them now.
        var roster: [MemberID: UnitID]?
        if !survey.settings.memberCategoryIds.isEmpty {
            let history = try await storage.rosterHistory(people: false)
                .restricted(toCategories: Set(survey.settings.memberCategoryIds))
            roster = history.roster(
                at: clock.nowMilliseconds(), within: survey.ownerUnitId.map { Set(tree.subtreeIds(of: $0)) })
        }
        let reach = SurveyReach.rows(
            units: try await storage.units(under: survey.ownerUnitId), responsesByUnit: byUnit, tree: tree,
            roster: roster)
        return (tally, reach, responses, tree)
    }

    private func survey(_ context: AppRequestContext) async throws -> SurveySummary {
        let id = try Self.id(context)
        guard let survey = try await storage.survey(id: id) else { throw APIError(StorageError.surveyNotFound(id)) }
        return survey
    }

    static func id(_ context: AppRequestContext) throws -> SurveyID { SurveyID(try context.pathID()) }
}
