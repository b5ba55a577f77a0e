import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird

/// Organizers' side of answer-climbing campaigns: create and list them, watch the boards, make display links.
/// Members climb through `ClimbController`.
struct CampaignController {
    let store: Store
    let authorizer: Authorizer
    let hub: CampaignHub
    let publicBaseURL: String

    func addRoutes(to routes: GuardedRoutes) {
        routes.get("campaigns", .staff, use: list)
        routes.post("campaigns", .staff, use: create)
        routes.get("campaigns/:id", .campaign(parameter: "id"), use: show)
        routes.get("campaigns/:id/board", .campaign(parameter: "id"), use: board)
        routes.post("campaigns/:id/display-link", .campaign(parameter: "id"), use: newDisplayLink)
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
        var ownerUnitId: Int64?
        var settings: CampaignSettings
    }

    @Sendable func list(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> CampaignList {
        let store = self.store
        return try await blocking {
            guard let scope = principal.scopeRoot else { return CampaignList(campaigns: try store.campaigns(ownedBy: nil)) }
            return CampaignList(campaigns: try store.campaigns(ownedBy: try store.orgTree().subtreeIds(of: scope)))
        }
    }

    @Sendable func create(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> EditedResponse<CampaignResponse> {
        let body = try await request.decodeJSON(NewCampaignBody.self, context: context)
        let problems = body.settings.problems()
        guard problems.isEmpty else { throw APIError(status: .badRequest, message: problems.joined(separator: "; ")) }
        if let unit = body.ownerUnitId {
            try await authorizer.demandManage(unit: unit, principal: principal)
        } else {
            try await authorizer.demand(.administrator, principal: principal)
        }
        for bank in Set(body.settings.banks) {
            try await authorizer.demand(.readBank(parameter: "bank"), principal: principal) { _ in bank }
        }
        let store = self.store
        let (campaign, token) = try await blocking {
            // Every level must be drawable from the banks as they are now.
            let pool = try store.latestQuestions(ofBanks: body.settings.banks)
            let short = body.settings.levels.enumerated().compactMap { index, level -> String? in
                let admitted = pool.count { level.draw.admits($0.question) }
                return admitted < level.draw.count
                    ? "level \(index + 1): the banks hold \(admitted) matching questions, \(level.draw.count) wanted" : nil
            }
            guard short.isEmpty else { throw APIError(status: .unprocessableContent, message: short.joined(separator: "; ")) }
            var generator = SystemRandomNumberGenerator()
            let token = SecretTokens.generate()
            let campaign = try store.createCampaign(
                NewCampaign(
                    ownerUnitId: body.ownerUnitId, createdById: principal.accountId, settings: body.settings,
                    seed: UInt64.random(in: .min ... .max, using: &generator), displayTokenHash: SecretTokens.hash(token)))
            return (campaign, token)
        }
        return EditedResponse(status: .created, response: view(campaign, displayToken: token))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> CampaignResponse {
        let id = try Self.id(context)
        let store = self.store
        guard let campaign = try await blocking({ try store.campaign(id: id) }) else { throw APIError(StoreError.campaignNotFound(id)) }
        return view(campaign, displayToken: nil)
    }

    @Sendable func board(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> CampaignView.Board {
        let id = try Self.id(context)
        guard let room = try await hub.room(id: id) else { throw APIError(StoreError.campaignNotFound(id)) }
        return await room.boardView(at: room.now())
    }

    @Sendable func newDisplayLink(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> CampaignResponse {
        let id = try Self.id(context)
        let token = SecretTokens.generate()
        let store = self.store
        let campaign = try await blocking {
            try store.replaceDisplayToken(ofCampaign: id, hash: SecretTokens.hash(token))
            return try store.campaign(id: id)
        }
        guard let campaign else { throw APIError(StoreError.campaignNotFound(id)) }
        return view(campaign, displayToken: token)
    }

    private func view(_ campaign: CampaignSummary, displayToken: String?) -> CampaignResponse {
        CampaignResponse(
            campaign: campaign, memberLink: "\(publicBaseURL)/climb.html#campaign=\(campaign.id)",
            displayLink: displayToken.map { "\(publicBaseURL)/climb-display.html#campaign=\(campaign.id)&token=\($0)" })
    }

    static func id(_ context: AppRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw APIError.badRequest("id must be a number") }
        return id
    }
}

extension CampaignView.Board: ResponseEncodable {}
