import DengaoCore
import Foundation
import Hummingbird

/// A member's history across every activity: `GET /api/members/:number/history` for organizers in scope (like the
/// member's record) and `GET /api/me/history` for the signed-in member — every contest joined (score, answers),
/// every campaign climbed (height, attempts), and their accuracy per category by month.
struct MemberHistoryController {
    let storage: any Storage
    let journal: Journal
    let timeZone: TimeZone

    func addRoutes(to routes: GuardedRoutes) {
        routes.get("members/:number/history", .rosterMember(parameter: "number"), use: memberHistory)
        routes.get("me/history", .signedInMember, use: ownHistory)
    }

    struct ContestLine: Encodable {
        var contestId: ContestID
        var title: String
        /// When they joined, local to the organization's zone.
        var joinedAt: String
        var kicked: Bool
        var score: Int
        var answered: Int
        var correct: Int
    }

    struct CampaignLine: Encodable {
        var campaignId: CampaignID
        var title: String
        var attempts: Int
        var height: Int
        var firstDay: String?
        var lastDay: String?
        var answered: Int
        var correct: Int
    }

    struct History: ResponseEncodable {
        var number: String
        var name: String
        var timeZone: String
        var contests: [ContestLine]
        var campaigns: [CampaignLine]
        var categories: [CategoryTrend.Line]
    }

    @Sendable func memberHistory(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> History
    {
        let number = try MemberController.number(context)
        let storage = self.storage
        let id = try await storage.member(number: number).member.id
        return try await history(of: id)
    }

    @Sendable func ownHistory(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> History
    {
        guard case .member(let id, _) = principal else { throw APIError.forbidden }
        return try await history(of: id)
    }

    func history(of memberId: MemberID) async throws -> History {
        // Every answer acknowledged so far is on disk before it is read.
        try await journal.holdUntilDurable()
        let (storage, zone) = (self.storage, timeZone)
        let member = try await storage.member(id: memberId)
        let rows = try await storage.memberHistory(memberId: memberId)
        return try await reportWork {
            let trend = CategoryTrend(
                answers: rows.answers.map {
                    ($0.category, ResponseMatrix.credit($0.correctness, answered: true), $0.at)
                }, timeZone: zone)
            return History(
                number: member.number, name: member.name, timeZone: zone.identifier,
                contests: rows.contests.map {
                    ContestLine(
                        contestId: $0.contestId, title: $0.title,
                        joinedAt: LocalTime.text(milliseconds: $0.joinedAt, in: zone), kicked: $0.kicked,
                        score: $0.score, answered: $0.answered, correct: $0.correct)
                },
                campaigns: rows.campaigns.map {
                    CampaignLine(
                        campaignId: $0.campaignId, title: $0.title, attempts: $0.attempts, height: $0.height,
                        firstDay: $0.firstDay?.description, lastDay: $0.lastDay?.description, answered: $0.answered,
                        correct: $0.correct)
                },
                categories: trend.lines)
        }
    }
}
