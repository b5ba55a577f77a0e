import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird

/// The weak categories of a period across every activity (精准滴灌 for a month or a quarter, not one contest):
/// `GET /api/reports/categories?unit=&from=&to=`, the branch × category accuracy of every answer given in the range
/// by the unit's members against the whole range's, each branch's weakest categories; `format=xlsx|csv` downloads
/// the 薄弱分类 sheet. Scope and dates are read as the participation report reads them.
struct CategoryReportController {
    let store: Store
    let authorizer: Authorizer
    let journal: Journal
    let clock: any ServerClock
    let timeZone: TimeZone

    func addRoutes(to routes: GuardedRoutes) {
        routes.get("reports/categories", .staff, use: categories)
    }

    struct Report: ResponseEncodable {
        var unitId: Int64?
        var unitName: String
        var timeZone: String
        var from: String
        var to: String
        /// Answers counted (contests' revealed answers and campaigns' resolved questions).
        var answers: Int
        var categories: ItemReportJSON.Categories
    }

    @Sendable func categories(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> Response {
        let zone = timeZone
        let today = CampaignCalendar.day(of: clock.nowMilliseconds(), in: zone)
        let query = try ParticipationReportController.Query(request, principal: principal, today: today, periodic: false)
        if let unit = query.unit {
            try await authorizer.demandManage(unit: unit, principal: principal)
        } else {
            try await authorizer.demand(.administrator, principal: principal)
        }
        let download = request.uri.queryParameters.get("format") == nil
            ? nil : try ResultsDownload(request, sheetNames: ["categories"])
        // Every answer acknowledged so far is on disk before it is read.
        try await journal.holdUntilDurable()
        let store = self.store
        let (tree, tallies) = try await blocking {
            let calendar = CampaignCalendar(timeZone: zone, first: query.first, last: query.last)
            let tallies = try store.categoryTallies(
                campaignDays: query.first, through: query.last,
                contestsFrom: calendar.end(of: ReportPeriod.day(-1, after: query.first)), until: calendar.end(of: query.last))
            return (try store.orgTree(), tallies)
        }
        let inScope = Self.grouped(tallies, unit: query.unit, tree: tree)
        let matrix = CategoryMatrix.build(tallies: inScope)
        let units = ContestHub.branches(of: query.unit, in: tree)
        let names = Dictionary((units.subtree + units.pickable).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        if let download {
            return download.response([matrix.sheet(unitNames: names)], fileBase: "categories-\(query.first)-\(query.last)")
        }
        return try Report(
            unitId: query.unit, unitName: query.unit.flatMap { tree.unit($0)?.name } ?? "全组织", timeZone: zone.identifier,
            from: query.first.description, to: query.last.description, answers: inScope.reduce(0) { $0 + $1.count },
            categories: ItemReportJSON.Categories(matrix, unitNames: names)
        ).response(from: request, context: context)
    }

    /// Tallies of units in the scope, moved to the group reports show them in (their branch, or the unit above the
    /// branches they sit on directly), like the participation report's rows.
    static func grouped(_ tallies: [CategoryTally], unit: Int64?, tree: OrgTree) -> [CategoryTally] {
        let branches = ContestHub.branches(of: unit, in: tree).pickable.map(\.id)
        let grouping = Participation.Grouping(branches: branches, tree: tree)
        let scope = unit.map { tree.subtreeIds(of: $0) }
        return tallies.compactMap { tally in
            guard scope?.contains(tally.unitId) ?? true else { return nil }
            var moved = tally
            moved.unitId = grouping.group(of: tally.unitId).unitId
            return moved
        }
    }
}
