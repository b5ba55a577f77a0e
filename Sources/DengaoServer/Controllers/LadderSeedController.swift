import DengaoCore
import Foundation
import Hummingbird

/// Seeds a new campaign's ladder (`LadderSeed`) from topics members asked for in a survey and the weak categories
/// of the reports, matched to the categories of the banks the campaign will draw from. The console sends what
/// its survey results and weak-category report show; the answer fills the level editor, which the organizer edits.
struct LadderSeedController {
    let storage: any Storage
    let authorizer: Authorizer

    func addRoutes(to routes: GuardedRoutes) {
        routes.post("campaign-seed", .staff, use: seed)
    }

    struct SeedBody: Decodable {
        var banks: [String]
        /// Topics most wanted first (a survey ranking's `order`, as labels).
        var wanted: [String]?
        /// Categories weakest first.
        var weak: [String]?
        var levels: Int?
    }

    struct Seed: ResponseEncodable {
        var categories: [String]
        var unmatched: [String]
        var levels: [LevelSettings]
    }

    static let levelCount = FieldBound("levels", "关数", 1...50, .entries)
    static let topicCount = FieldBound("wanted", "主题数", 0...100, .entries)

    @Sendable func seed(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> Seed {
        let body = try await request.decodeJSON(SeedBody.self, context: context)
        let count = body.levels ?? CampaignSettings.defaultLevelCount
        let problems = [
            Self.levelCount.problem(count),
            Self.topicCount.problem((body.wanted ?? []).count + (body.weak ?? []).count),
            body.banks.isEmpty
                ? "请至少选择一个题库 (choose at least one bank)" : CampaignSettings.Bounds.banks.problem(body.banks.count),
        ].compactMap { $0 }
        guard problems.isEmpty else {
            throw APIError(status: .unprocessableContent, message: problems.joined(separator: "; "))
        }
        for bank in Set(body.banks) {
            try await authorizer.demand(.readBank(parameter: "bank"), principal: principal) { _ in bank }
        }
        let questions = try await storage.latestQuestions(ofBanks: body.banks)
        let available = Set(questions.map(\.1.category))
        let (ordered, unmatched) = LadderSeed.categories(
            wanted: body.wanted ?? [], weak: body.weak ?? [], available: available)
        return Seed(
            categories: ordered, unmatched: unmatched, levels: LadderSeed.levels(categories: ordered, count: count))
    }
}
