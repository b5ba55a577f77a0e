import DengaoCore
import Foundation
import Hummingbird

/// Creating and listing live contests, their join and display links, and the public lookup a phone makes
/// before joining. Playing happens over the WebSocket (`ContestSocket`).
struct ContestController {
    let storage: any Storage
    let authorizer: Authorizer
    let hub: ContestHub
    let publicBaseURL: String
    /// The organization's zone: exports and reports write times in it.
    let timeZone: TimeZone

    func addRoutes(to routes: GuardedRoutes) {
        routes.get("contests", .staff, use: list)
        routes.post("contests", .staff, use: create)
        routes.get("contests/:id", .contest(parameter: "id"), use: show)
        routes.patch("contests/:id", .contest(parameter: "id"), use: edit)
        routes.delete("contests/:id", .contest(parameter: "id"), use: delete)
        routes.post("contests/:id/display-link", .contest(parameter: "id"), use: newDisplayLink)
        routes.get("contests/:id/results", .contest(parameter: "id"), use: results)
        routes.open("join/:pin", .get, use: lookup)
        routes.open("join/:pin/qr", .get, use: joinCode)
    }

    /// A contest as the console shows it.
    struct ContestView: ResponseEncodable {
        var contest: ContestSummary
        var joinLink: String
        /// Present only when a display token was just made: it is stored hashed and cannot be shown again.
        var displayLink: String?
    }

    struct ContestList: ResponseEncodable {
        var contests: [ContestSummary]
    }

    struct NewContestBody: Decodable {
        /// nil: the whole organization (administrators only).
        var ownerUnitId: UnitID?
        var settings: ContestSettings
    }

    @Sendable func list(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> ContestList
    {
        guard let scope = principal.scopeRoot else {
            return ContestList(contests: try await storage.contests(ownedBy: nil))
        }
        return ContestList(
            contests: try await storage.contests(
                ownedBy: try await storage.orgTree().subtreeIds(of: scope)))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> EditedResponse<ContestView>
    {
        let body = try await request.decodeJSON(NewContestBody.self, context: context)
        let problems = body.settings.problems()
        // Every field outside its bounds (docs/bounds.md), named and located, all at once.
        guard problems.isEmpty else {
            throw APIError(status: .unprocessableContent, message: problems.joined(separator: "; "))
        }
        try await authorizer.demandCreate(
            ownerUnitId: body.ownerUnitId, banks: Set(body.settings.rounds.flatMap(\.banks)), principal: principal)
        let storage = self.storage
        let settings = try await Self.targeted(body.settings, storage: storage)
        let (contest, token) = try await {
            do {
                return try await ContestCreation.create(
                    settings, ownerUnitId: body.ownerUnitId, createdById: principal.accountId, storage: storage)
            } catch let failure as ContestCreation.DrawProblems {
                throw APIError(status: .unprocessableContent, message: failure.problems.joined(separator: "; "))
            }
        }()
        return EditedResponse(status: .created, response: view(contest, displayToken: token))
    }

    /// New settings (and owner) for a contest nobody joined yet: its questions are drawn again; its PIN and display
    /// link stay. 409 once joined or played.
    @Sendable func edit(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> ContestView
    {
        let id = try Self.id(context)
        let body = try await request.decodeJSON(NewContestBody.self, context: context)
        let problems = body.settings.problems()
        guard problems.isEmpty else {
            throw APIError(status: .unprocessableContent, message: problems.joined(separator: "; "))
        }
        try await authorizer.demandCreate(
            ownerUnitId: body.ownerUnitId, banks: Set(body.settings.rounds.flatMap(\.banks)), principal: principal)
        let storage = self.storage
        let settings = try await Self.targeted(body.settings, storage: storage)
        // Drawn first: a round its banks cannot fill is refused before the host and screens are told to reload.
        let drawn = try await {
            do {
                return try await ContestCreation.redraw(settings, storage: storage)
            } catch let failure as ContestCreation.DrawProblems {
                throw APIError(status: .unprocessableContent, message: failure.problems.joined(separator: "; "))
            }
        }()
        let contest = try await hub.withdraw(id) {
            try await ContestCreation.replace(
                id, with: settings, drawn: drawn, ownerUnitId: body.ownerUnitId, storage: storage)
        }
        return view(contest, displayToken: nil)
    }

    /// Deletes a contest nobody joined yet; 409 once joined or played (its results are a record).
    @Sendable func delete(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> HTTPResponse.Status
    {
        let id = try Self.id(context)
        let storage = self.storage
        try await hub.withdraw(id) { try await storage.deleteUnplayedContest(id) }
        return .noContent
    }

    @Sendable func show(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> ContestView
    {
        let id = try Self.id(context)
        let storage = self.storage
        guard let contest = try await storage.contest(id: id) else { throw APIError(StorageError.contestNotFound(id)) }
        return view(contest, displayToken: nil)
    }

    @Sendable func newDisplayLink(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> ContestView
    {
        let id = try Self.id(context)
        let token = SecretTokens.generate()
        let storage = self.storage
        try await storage.replaceDisplayToken(ofContest: id, hash: SecretTokens.hash(token))
        let contest = try await storage.contest(id: id)
        guard let contest else { throw APIError(StorageError.contestNotFound(id)) }
        return view(contest, displayToken: token)
    }

    /// What a phone needs before joining: the title, the branches to pick from, whether guests may play, and
    /// who the phone's member session says it is. Nothing about questions.
    struct JoinInfo: ResponseEncodable {
        var id: ContestID
        var title: String
        var pin: String
        var mode: ContestMode
        var membersOnly: Bool
        var branches: [NamedUnit]
        var member: MemberBrief?
    }

    struct MemberBrief: Encodable {
        var name: String
        var unitId: UnitID
    }

    @Sendable func lookup(_ request: Request, context: AppRequestContext, principal: Principal?) async throws
        -> JoinInfo
    {
        let pin = context.parameters.get("pin") ?? ""
        guard let room = try await hub.room(pin: pin, from: context.clientAddress) else {
            throw APIError(status: .notFound, message: "没有这个比赛码 (no contest with this PIN)")
        }
        var member: MemberBrief?
        if case .member(let memberId, let unitId)? = principal {
            let storage = self.storage
            let name = try await storage.member(id: memberId).name
            member = MemberBrief(name: name, unitId: unitId)
        }
        let summary = room.summary
        return JoinInfo(
            id: summary.id, title: summary.title, pin: summary.pin, mode: summary.settings.mode,
            membersOnly: summary.settings.membersOnly, branches: room.branches, member: member)
    }

    /// `?format=xlsx` (default; every sheet) or `?format=csv&sheet=standings|answers|branches|bands|ranks|memberCategories`;
    /// `&memberCategory=ID` narrows it to the members holding that category.
    @Sendable func results(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> Response
    {
        let id = try Self.id(context)
        let download = try ResultsDownload(request, sheetNames: ReportController.contestSheets.map(\.0))
        let (storage, timeZone) = (self.storage, self.timeZone)
        let filter = try await MemberCategoryReports.filter(request, storage: storage)
        let (contest, sheets) = try await ContestRanks.sheets(
            contest: id, storage: storage, timeZone: timeZone, now: hub.clock.now(), filter: filter)
        guard sheets.indices.contains(download.sheetIndex) else {
            throw APIError(status: .notFound, message: "这场比赛还没有投票结果 (this contest has no poll results yet)")
        }
        return download.response(sheets, fileBase: "contest-\(contest.id)-results")
    }

    /// The join link of an open contest as a QR code, for the big screen (which has no console session). The
    /// link holds nothing secret: anyone in the hall can read the PIN off the screen.
    @Sendable func joinCode(_ request: Request, context: AppRequestContext, principal: Principal?) async throws
        -> Response
    {
        let pin = context.parameters.get("pin") ?? ""
        guard let room = try await hub.room(pin: pin, from: context.clientAddress) else {
            throw APIError(status: .notFound, message: "没有这个比赛码 (no contest with this PIN)")
        }
        return try QRController.svgResponse(joinLink(room.summary))
    }

    private func joinLink(_ contest: ContestSummary) -> String { "\(publicBaseURL)/play.html?pin=\(contest.pin)" }

    private func view(_ contest: ContestSummary, displayToken: String?) -> ContestView {
        ContestView(
            contest: contest, joinLink: joinLink(contest),
            displayLink: displayToken.map { "\(publicBaseURL)/display.html#contest=\(contest.id)&token=\($0)" })
    }

    /// `settings` with their target categories checked against the list (422 naming an unknown id), each once.
    private static func targeted(_ settings: ContestSettings, storage: any Storage) async throws -> ContestSettings {
        var settings = settings
        settings.memberCategoryIds = try await CampaignController.knownCategories(
            settings.memberCategoryIds, storage: storage)
        return settings
    }

    private static func id(_ context: AppRequestContext) throws -> ContestID { ContestID(try context.pathID()) }
}
