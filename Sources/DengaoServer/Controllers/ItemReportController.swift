import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird

/// Item analysis and weak categories (docs/statistics.md) of a contest, a campaign or a bank:
/// `GET /api/contests/:id/items`, `/api/campaigns/:id/items`, `/api/banks/:name/items`, as JSON or, with
/// `format=xlsx|csv&sheet=questions|options|test|categories`, as spreadsheets. Read from the answer rows on each
/// request (every acknowledged answer counted), guarded like the activity's other reports; a bank's analysis covers
/// the answers given in the caller's subtree only.
struct ItemReportController {
    let store: Store
    let journal: Journal

    static let sheetNames = ["questions", "options", "test", "categories"]

    func addRoutes(to routes: GuardedRoutes) {
        routes.get("contests/:id/items", .contest(parameter: "id"), use: contestItems)
        routes.get("campaigns/:id/items", .campaign(parameter: "id"), use: campaignItems)
        routes.get("banks/:name/items", .readBank(parameter: "name"), use: bankItems)
    }

    /// What one analysis needs besides its rows: labels for its questions and names for its groups.
    struct Source: Sendable {
        let attempts: [ReportAttempt]
        let questions: [Int64: ReportQuestion]
        /// Where each question is shown (a contest's number, else its bank place), by question id.
        let places: [Int64: String]
        let unitNames: [Int64: String]
        let fileBase: String
        let downloadBase: String
        /// A contest's 抢答 and 风险 figures by question id (none for campaigns and banks).
        var play: [Int64: QuestionPlayFigures] = [:]
    }

    @Sendable func contestItems(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> Response {
        let id = try CampaignController.id(context)
        let download = try Self.download(request)
        try await journal.holdUntilDurable()
        let store = self.store
        let source = try await blocking {
            guard let contest = try store.contest(id: id) else { throw StoreError.contestNotFound(id) }
            if let reason = contest.setAside { throw StoreError.setAside(reason) }
            let tree = try store.orgTree()
            let units = ContestHub.branches(of: contest.ownerUnitId, in: tree)
            let grouping = Participation.Grouping(branches: units.pickable.map(\.id), tree: tree)
            let rows = try store.contestResponses(contest: id)
            let attempts = ResponseMatrix.contest(rows: rows, seats: try store.contestSeats(contest: id)) { grouping.group(of: $0).unitId }
            let questions = try store.questionsForReport(ids: Set(rows.map(\.questionId)))
            var places: [Int64: String] = [:]
            for row in rows { places[row.questionId] = String(format: "第%02d题", row.slot) }
            // Buzzes and stakes are not in the answer rows; the journal's replay (what the report and the results
            // downloads read too) has them.
            let (_, contestQuestions, results, _) = try store.contestResults(id)
            return Source(
                attempts: attempts, questions: questions, places: places, unitNames: CampaignExport.unitNames((units.pickable, units.subtree)),
                fileBase: "contest-\(id)-items", downloadBase: "/api/contests/\(id)/items",
                play: results.playFigures(questions: contestQuestions))
        }
        return try Self.respond(source, download: download, request: request, context: context)
    }

    @Sendable func campaignItems(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> Response {
        let id = try CampaignController.id(context)
        let download = try Self.download(request)
        try await journal.holdUntilDurable()
        let store = self.store
        let source = try await blocking {
            guard let campaign = try store.campaign(id: id) else { throw StoreError.campaignNotFound(id) }
            if let reason = campaign.setAside { throw StoreError.setAside(reason) }
            let tree = try store.orgTree()
            let units = ContestHub.branches(of: campaign.ownerUnitId, in: tree)
            let grouping = Participation.Grouping(branches: units.pickable.map(\.id), tree: tree)
            let rows = try store.campaignResponses(campaign: id)
            let questions = try store.questionsForReport(ids: Set(rows.map(\.questionId)))
            return Source(
                attempts: ResponseMatrix.attempts(rows: rows) { grouping.group(of: $0).unitId }, questions: questions,
                places: Self.bankPlaces(questions), unitNames: CampaignExport.unitNames((units.pickable, units.subtree)),
                fileBase: "campaign-\(id)-items", downloadBase: "/api/campaigns/\(id)/items")
        }
        return try Self.respond(source, download: download, request: request, context: context)
    }

    @Sendable func bankItems(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> Response {
        let name = try BankController.bankName(context)
        let download = try Self.download(request)
        try await journal.holdUntilDurable()
        let store = self.store
        let scope = principal.scopeRoot
        let source = try await blocking {
            let bank = try store.bank(named: name)
            let tree = try store.orgTree()
            let units = ContestHub.branches(of: scope, in: tree)
            let grouping = Participation.Grouping(branches: units.pickable.map(\.id), tree: tree)
            let rows = try store.bankResponses(bank: bank.id, within: scope.map { tree.subtreeIds(of: $0) })
            let questions = try store.questionsForReport(ids: Set(rows.map(\.questionId)))
            return Source(
                attempts: ResponseMatrix.attempts(rows: rows) { grouping.group(of: $0).unitId }, questions: questions,
                places: Self.bankPlaces(questions), unitNames: CampaignExport.unitNames((units.pickable, units.subtree)),
                fileBase: "bank-\(bank.id)-items", downloadBase: "/api/banks/\(Self.segment(name))/items")
        }
        return try Self.respond(source, download: download, request: request, context: context)
    }

    static func download(_ request: Request) throws -> ResultsDownload? {
        request.uri.queryParameters.get("format") == nil ? nil : try ResultsDownload(request, sheetNames: sheetNames)
    }

    static func bankPlaces(_ questions: [Int64: ReportQuestion]) -> [Int64: String] {
        questions.mapValues { "\($0.bankName) v\($0.bankVersion) 第\($0.position)题" }
    }

    static func segment(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? name
    }

    static func respond(_ source: Source, download: ResultsDownload?, request: Request, context: AppRequestContext) throws -> Response {
        let items = source.questions.values.map(ResponseMatrix.item)
        let analysis = ItemAnalysis.analyze(source.attempts, items: items)
        let categories = CategoryMatrix.build(source.attempts, items: items)
        if let download {
            let labels = source.questions.mapValues { ItemAnalysis.Label(place: source.places[$0.id] ?? "", question: $0.question) }
            return download.response(analysis.sheets(labels: labels, categories: categories, unitNames: source.unitNames, play: source.play), fileBase: source.fileBase)
        }
        return try ItemReportJSON(analysis: analysis, categories: categories, source: source).response(from: request, context: context)
    }
}
