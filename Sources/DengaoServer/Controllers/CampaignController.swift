import DengaoCore
import Foundation
import Hummingbird

/// Organizers' side of answer-climbing campaigns: create and list them, watch the boards, make display links.
/// Members climb through `ClimbController`.
struct CampaignController {
    let storage: any Storage
    let authorizer: Authorizer
    let hub: CampaignHub
    let publicBaseURL: String

    func addRoutes(to routes: GuardedRoutes) {
        routes.get("campaigns", .staff, use: list)
        routes.post("campaigns", .staff, use: create)
        routes.get("campaigns/:id", .campaign(parameter: "id"), use: show)
        routes.get("campaigns/:id/board", .campaign(parameter: "id"), use: board)
        routes.post("campaigns/:id/display-link", .campaign(parameter: "id"), use: newDisplayLink)
        routes.get("campaigns/:id/participation", .campaign(parameter: "id"), use: participation)
        routes.get("campaigns/:id/results", .campaign(parameter: "id"), use: results)
    }

    struct CampaignResponse: ResponseEncodable {
        var campaign: CampaignSummary
        /// Where members climb (they sign in with their invitation link first).
        var memberLink: String
        /// Present only when a display token was just made: it is stored hashed and cannot be shown again.
        var displayLink: String?
    }

    struct CampaignList: ResponseEncodable {
        var campaigns: [CampaignSummary]
    }

    struct NewCampaignBody: Decodable {
        /// nil: the whole organization (administrators only).
        var ownerUnitId: UnitID?
        var settings: CampaignSettings
    }

    @Sendable func list(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> CampaignList
    {
        guard let scope = principal.scopeRoot else {
            return CampaignList(campaigns: try await storage.campaigns(ownedBy: nil))
        }
        return CampaignList(
            campaigns: try await storage.campaigns(
                ownedBy: Set(try await storage.orgTree().subtreeIds(of: scope))))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> EditedResponse<CampaignResponse>
    {
        let body = try await request.decodeJSON(NewCampaignBody.self, context: context)
        let problems = body.settings.problems()
        // Every field outside its bounds (docs/bounds.md), named and located, all at once.
        guard problems.isEmpty else {
            throw APIError(status: .unprocessableContent, message: problems.joined(separator: "; "))
        }
        try await authorizer.demandCreate(
            ownerUnitId: body.ownerUnitId, banks: Set(body.settings.allBanks), principal: principal)
        let storage = self.storage
        var settings = body.settings
        settings.memberCategoryIds = try await Self.knownCategories(settings.memberCategoryIds, storage: storage)
        for index in settings.categoryLadders.indices {
            settings.categoryLadders[index].memberCategoryIds = try await Self.knownCategories(
                settings.categoryLadders[index].memberCategoryIds, storage: storage,
                field: "categoryLadders \(index + 1) memberCategoryIds", place: "分类阶梯\(index + 1)：")
        }
        let (campaign, token) = try await {
            do {
                return try await CampaignCreation.create(
                    settings, ownerUnitId: body.ownerUnitId, createdById: principal.accountId, storage: storage)
            } catch let failure as CampaignCreation.LevelProblems {
                throw APIError(status: .unprocessableContent, message: failure.problems.joined(separator: "; "))
            }
        }()
        return EditedResponse(status: .created, response: view(campaign, displayToken: token))
    }

    /// The campaign's target categories, each once in the list's order; 422 naming any id the list does not have.
    static func knownCategories(
        _ ids: [MemberCategoryID], storage: any Storage, field: String = "memberCategoryIds", place: String = ""
    ) async throws -> [MemberCategoryID] {
        guard !ids.isEmpty else { return [] }
        let list = try await storage.memberCategories().map(\.id)
        let unknown = Set(ids).subtracting(list).sorted()
        guard unknown.isEmpty else {
            let named = unknown.map(\.description).joined(separator: "、")
            throw APIError(
                status: .unprocessableContent,
                message: "\(place)没有编号为 \(named) 的党员类别 (\(field): no member category \(named))")
        }
        return list.filter(Set(ids).contains)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> CampaignResponse
    {
        let id = try Self.id(context)
        let storage = self.storage
        guard let campaign = try await storage.campaign(id: id) else {
            throw APIError(StorageError.campaignNotFound(id))
        }
        return view(campaign, displayToken: nil)
    }

    @Sendable func board(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> CampaignView.Board
    {
        let id = try Self.id(context)
        guard let room = try await hub.room(id: id) else { throw APIError(StorageError.campaignNotFound(id)) }
        let board = await room.currentBoard()
        try await hub.journal.holdUntilDurable()
        return board
    }

    @Sendable func newDisplayLink(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> CampaignResponse
    {
        let id = try Self.id(context)
        let token = SecretTokens.generate()
        let storage = self.storage
        try await storage.replaceDisplayToken(ofCampaign: id, hash: SecretTokens.hash(token))
        let campaign = try await storage.campaign(id: id)
        guard let campaign else { throw APIError(StorageError.campaignNotFound(id)) }
        return view(campaign, displayToken: token)
    }

    /// One day's participation by `Participation`'s rule: every member counted that day is in exactly one group —
    /// a branch, or the members placed directly on a unit above the branches — so per group
    /// roster = participants + absent, and `units` and `total` are sums of groups.
    struct DayParticipation: ResponseEncodable {
        struct Person: Encodable {
            var number: String
            var name: String
        }
        struct Group: Encodable {
            var id: UnitID
            var name: String
            var roster: Int
            var participants: Int
            var rate: Double
            var absent: [Person]
        }
        struct Tally: Encodable {
            var id: UnitID?
            var name: String?
            var roster: Int
            var participants: Int
            var rate: Double
        }
        var day: String
        var branches: [Group]
        /// Per unit above the branches with members placed directly on it, those members.
        var direct: [Group]
        /// The units above the branches, each the sum of the groups below it.
        var units: [Tally]
        var total: Tally
    }

    /// `?day=YYYY-MM-DD` (default today): per branch, the roster of that day, who took part and who did not;
    /// `&category=ID` counts only the members holding that member category.
    @Sendable func participation(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> DayParticipation
    {
        let id = try Self.id(context)
        let asked = request.uri.queryParameters.get("day")
        if let asked, CampaignDay(asked) == nil {
            throw APIError.badRequest("日期须形如 2026-11-01 (day is written YYYY-MM-DD)")
        }
        let (storage, clock) = (self.storage, hub.clock)
        let now = clock.now()
        let category = try await ParticipationReportController.category(
            request.uri.queryParameters.get("category"), storage: storage)
        let (day, participation, people, groups) = try await CampaignExport.day(
            asked.flatMap(CampaignDay.init), campaign: id, storage: storage, now: now, category: category)
        return try await reportWork {
            let names = groups.names
            let rows = participation.rows(on: day)
            func group(_ row: Participation.Row) -> DayParticipation.Group {
                DayParticipation.Group(
                    id: row.unitId, name: names[row.unitId] ?? "", roster: row.roster.count,
                    participants: row.participants.count,
                    rate: row.rate,
                    absent: row.absent.map { member in people[member] ?? .init(number: "#\(member)", name: "") }
                        .sorted { $0.number < $1.number }.map {
                            DayParticipation.Person(number: $0.number, name: $0.name)
                        })
            }
            let (units, total) = participation.rollUp(rows)
            return DayParticipation(
                day: day.description, branches: rows.filter { !$0.direct }.map(group),
                direct: rows.filter(\.direct).map(group),
                units: units.map { unit, tally in
                    DayParticipation.Tally(
                        id: unit, name: names[unit] ?? "", roster: tally.roster, participants: tally.participants,
                        rate: tally.rate)
                },
                total: DayParticipation.Tally(roster: total.roster, participants: total.participants, rate: total.rate))
        }
    }

    /// `?format=xlsx` (default; every sheet) or `?format=csv&sheet=NAME` (`CampaignExport.sheetNames`);
    /// `&memberCategory=ID` narrows it to the members holding that category.
    @Sendable func results(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> Response
    {
        let id = try Self.id(context)
        let download = try ResultsDownload(request, sheetNames: CampaignExport.sheetNames)
        let (storage, clock) = (self.storage, hub.clock)
        // The campaign's own clock: its "today" (and the rank tables' previous day) is the one its climbs see.
        let filter = try await MemberCategoryReports.filter(request, storage: storage)
        let (_, sheets) = try await CampaignExport.sheets(
            campaign: id, storage: storage, now: clock.now(), filter: filter)
        return download.response(sheets, fileBase: "campaign-\(id)-results")
    }

    private func view(_ campaign: CampaignSummary, displayToken: String?) -> CampaignResponse {
        CampaignResponse(
            campaign: campaign, memberLink: "\(publicBaseURL)/climb.html#campaign=\(campaign.id)",
            displayLink: displayToken.map { "\(publicBaseURL)/climb-display.html#campaign=\(campaign.id)&token=\($0)" })
    }

    static func id(_ context: AppRequestContext) throws -> CampaignID { CampaignID(try context.pathID()) }
}

extension CampaignView.Board: ResponseEncodable {}
