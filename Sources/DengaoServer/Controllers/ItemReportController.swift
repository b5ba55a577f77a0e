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

    @Sendable func contestItems(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> Response {
        let id = try CampaignController.id(context)
        let download = try Self.download(request)
        try await journal.holdUntilDurable()
        let store = self.store
        return try await Self.respond(download: download, request: request, context: context) {
            try ItemReport.contest(store: store, id: id)
        }
    }

    @Sendable func campaignItems(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> Response {
        let id = try CampaignController.id(context)
        let download = try Self.download(request)
        try await journal.holdUntilDurable()
        let store = self.store
        return try await Self.respond(download: download, request: request, context: context) {
            try ItemReport.campaign(store: store, id: id)
        }
    }

    @Sendable func bankItems(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> Response {
        let name = try BankController.bankName(context)
        let download = try Self.download(request)
        try await journal.holdUntilDurable()
        let store = self.store
        let scope = principal.scopeRoot
        return try await Self.respond(download: download, request: request, context: context) {
            try ItemReport.bank(store: store, name: name, scope: scope)
        }
    }

    static func download(_ request: Request) throws -> ResultsDownload? {
        request.uri.queryParameters.get("format") == nil ? nil : try ResultsDownload(request, sheetNames: sheetNames)
    }

    /// What an item report request answers with: a file, or the JSON's model.
    enum Answer: Sendable {
        case file(Response)
        case json(ItemReportJSON)
    }

    /// Reads the answers, computes the statistics and writes the file (or the JSON's model) on the reports' own
    /// threads. The statistics and a workbook are most of a request's CPU; they used to run on Swift's cooperative
    /// pool (one thread per core), holding up every other request's handling while a climb ran (BENCHMARKS.md).
    static func respond(
        download: ResultsDownload?, request: Request, context: AppRequestContext,
        _ read: @escaping @Sendable () throws -> ItemReport.Source
    ) async throws -> Response {
        let answer = try await reporting { () throws -> Answer in
            let source = try read()
            let figures = ItemReport.figures(source)
            if let download {
                let labels = source.questions.mapValues { ItemAnalysis.Label(place: source.places[$0.id] ?? "", question: $0.question) }
                return .file(
                    download.response(
                        figures.analysis.sheets(labels: labels, categories: figures.categories, unitNames: source.unitNames, play: source.play),
                        fileBase: source.fileBase))
            }
            return .json(ItemReport.json(figures, source: source))
        }
        switch answer {
        case .file(let response): return response
        case .json(let json): return try json.response(from: request, context: context)
        }
    }
}
