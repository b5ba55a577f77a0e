import DengaoCore
import Foundation
import Hummingbird

/// Members climbing: their mountain, starting a level, one question at a time, answers, giving up. Plain HTTP:
/// every request is small, a phone on a weak network retries it, and a retry never draws or answers twice (a
/// start hands back the attempt under way; a second answer to a question is refused with `already-answered`).
/// Each reply is sent once what it reports is on disk.
struct ClimbController {
    let hub: CampaignHub

    func addRoutes(to routes: GuardedRoutes) {
        routes.get("climb", .signedInMember, use: list)
        routes.get("climb/:id", .signedInMember, use: me)
        routes.post("climb/:id/attempts", .signedInMember, use: start)
        routes.get("climb/:id/attempts/:seq", .signedInMember, use: attempt)
        routes.post("climb/:id/attempts/:seq/answers", .signedInMember, use: answer)
        routes.post("climb/:id/attempts/:seq/abandon", .signedInMember, use: abandon)
    }

    struct AnswerBody: Decodable {
        var index: Int
        var picks: [Int]?
        var truth: Bool?
        var text: String?
    }

    struct CampaignBrief: Encodable, Sendable {
        var id: CampaignID
        var title: String
        var startDate: String
        var endDate: String
    }

    struct CampaignList: ResponseEncodable {
        var campaigns: [CampaignBrief]
    }

    /// The campaigns whose subtree holds the member's unit, newest first.
    @Sendable func list(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> CampaignList
    {
        guard case .member(_, let unitId) = principal else { throw APIError.forbidden }
        let storage = hub.storage
        let lineage = Set(try await storage.orgTree().lineage(of: unitId).map(\.id))
        let mine = try await storage.campaigns(ownedBy: nil).filter {
            $0.ownerUnitId.map { lineage.contains($0) } ?? true
        }
        return CampaignList(
            campaigns: mine.map {
                CampaignBrief(
                    id: $0.id, title: $0.title, startDate: $0.settings.startDate, endDate: $0.settings.endDate)
            })
    }

    @Sendable func me(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> CampaignView.Me
    {
        try await perform(context, principal) { room, member in try await room.me(member) }
    }

    @Sendable func start(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> CampaignView.AttemptState
    {
        try await perform(context, principal) { room, member in try await room.start(member) }
    }

    @Sendable func attempt(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> CampaignView.AttemptState
    {
        let seq = try Self.seq(context)
        let serve = request.uri.queryParameters.get("serve") != "0"
        return try await perform(context, principal) { room, member in
            try await room.attempt(member, seq: seq, serve: serve)
        }
    }

    @Sendable func answer(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> CampaignView.AnswerReply
    {
        let seq = try Self.seq(context)
        let body = try await request.decodeJSON(AnswerBody.self, context: context)
        return try await perform(context, principal) { room, member in
            try await room.answer(
                member, seq: seq, index: body.index, picks: body.picks, truth: body.truth, text: body.text)
        }
    }

    @Sendable func abandon(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> CampaignView.AttemptState
    {
        let seq = try Self.seq(context)
        return try await perform(context, principal) { room, member in try await room.abandon(member, seq: seq) }
    }

    /// Finds the campaign, runs the member's request in its room, and answers once the journal holds every change
    /// the room made so far (this request's among them).
    private func perform<Reply: Sendable>(
        _ context: AppRequestContext, _ principal: Principal,
        _ body: @Sendable (CampaignRoom, MemberID) async throws -> Reply
    ) async throws -> Reply {
        guard case .member(let memberId, _) = principal else { throw APIError.forbidden }
        let id = try CampaignController.id(context)
        guard let room = try await hub.room(id: id) else { throw APIError(StorageError.campaignNotFound(id)) }
        let reply: Reply
        do {
            reply = try await body(room, memberId)
        } catch let refusal as CampaignRefusal {
            throw APIError(status: .init(code: refusal.status), message: refusal.message, code: refusal.code)
        }
        // Everything appended so far, this request's changes among them (read after the room answered).
        try await hub.journal.holdUntilDurable()
        return reply
    }

    private static func seq(_ context: AppRequestContext) throws -> Int {
        guard let seq = context.parameters.get("seq").flatMap(Int.init) else {
            throw APIError.badRequest("seq 须为整数 (seq must be a whole number)")
        }
        return seq
    }
}

extension CampaignView.Me: ResponseEncodable {}
