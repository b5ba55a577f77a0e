import DengaoCore
import Foundation
import Hummingbird

/// Item analysis and weak categories (docs/statistics.md) of a contest, a campaign or a bank:
/// `GET /api/contests/:id/items`, `/api/campaigns/:id/items`, `/api/banks/:name/items`, as JSON or, with
/// `format=xlsx|csv&sheet=questions|options|test|categories`, as spreadsheets. Read from the answer rows on each
/// request (every acknowledged answer counted), guarded like the activity's other reports; a bank's analysis covers
/// the answers given in the caller's subtree only. `&memberCategory=ID` narrows each to the members holding that
/// member category (分层分类) at the time.
struct ItemReportController {
    let storage: any Storage
    let journal: Journal

    static let sheetNames = ["questions", "options", "test", "categories"]

    func addRoutes(to routes: GuardedRoutes) {
        routes.get("contests/:id/items", .contest(parameter: "id"), use: contestItems)
        routes.get("campaigns/:id/items", .campaign(parameter: "id"), use: campaignItems)
        routes.get("banks/:name/items", .readBank(parameter: "name"), use: bankItems)
    }

    @Sendable func contestItems(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> Response
    {
        let id = ContestID(try context.pathID())
        let download = try Self.download(request)
        try await journal.holdUntilDurable()
        let storage = self.storage
        let filter = try await MemberCategoryReports.filter(request, storage: storage)
        let source = try await ItemReport.contest(storage: storage, id: id, filter: filter)
        return try Self.respond(source, download: download, request: request, context: context)
    }

    @Sendable func campaignItems(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> Response
    {
        let id = try CampaignController.id(context)
        let download = try Self.download(request)
        try await journal.holdUntilDurable()
        let storage = self.storage
        let filter = try await MemberCategoryReports.filter(request, storage: storage)
        let source = try await ItemReport.campaign(storage: storage, id: id, filter: filter)
        return try Self.respond(source, download: download, request: request, context: context)
    }

    @Sendable func bankItems(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> Response
    {
        let name = try BankController.bankName(context)
        let download = try Self.download(request)
        try await journal.holdUntilDurable()
        let storage = self.storage
        let scope = principal.scopeRoot
        let filter = try await MemberCategoryReports.filter(request, storage: storage)
        let source = try await ItemReport.bank(storage: storage, name: name, scope: scope, filter: filter)
        return try Self.respond(source, download: download, request: request, context: context)
    }

    static func download(_ request: Request) throws -> ResultsDownload? {
        request.uri.queryParameters.get("format") == nil ? nil : try ResultsDownload(request, sheetNames: sheetNames)
    }

    static func respond(
        _ source: ItemReport.Source, download: ResultsDownload?, request: Request, context: AppRequestContext
    ) throws -> Response {
        let figures = ItemReport.figures(source)
        if let download {
            let labels = source.questions.mapValues {
                ItemAnalysis.Label(place: source.places[$0.id] ?? "", question: $0.question)
            }
            let sheets = figures.analysis.sheets(
                labels: labels, categories: figures.categories, unitNames: source.unitNames, play: source.play)
            return download.response(source.filter.map { $0.caption(sheets) } ?? sheets, fileBase: source.fileBase)
        }
        return try ItemReport.json(figures, source: source).response(from: request, context: context)
    }
}
