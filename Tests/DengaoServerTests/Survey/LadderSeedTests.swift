import DengaoCore
import Foundation
import Testing

@testable import DengaoServer

/// `POST /api/campaign-seed` on a live server: the survey's ranking and the weak categories become a ladder of the
/// sample banks' categories; bad requests change nothing and say why.
@Suite struct LadderSeedAPITests {
    @Test func aRankingSeedsTheLadderFromTheBanksCategories() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let seeded = try await admin.json(
                .post, "/api/campaign-seed",
                ["banks": ["党史与革命传统"], "wanted": ["党史学习", "乡村振兴"], "weak": [], "levels": 4])
            #expect(seeded.status == 200)
            #expect(seeded.object["categories"] as? [String] == ["党史"])
            #expect(seeded.object["unmatched"] as? [String] == ["乡村振兴"])
            let levels = seeded.object["levels"] as? [[String: Any]] ?? []
            #expect(levels.count == 4)
            #expect(
                levels.map { ($0["draw"] as? [String: Any])?["categories"] as? [String] }
                    == Array(repeating: ["党史"], count: 4))

            // The ladder it gives is one the campaign form accepts as it is.
            let today = ISO8601DateFormatter().string(from: Date()).prefix(10)
            let created = try await admin.json(
                .post, "/api/campaigns",
                [
                    "settings": [
                        "title": "按需登高", "startDate": String(today), "endDate": "2099-12-31",
                        "banks": ["党史与革命传统"], "levels": levels,
                    ]
                ])
            #expect(created.status == 201, "\(created.object)")

            for (bad, needle) in [
                (["banks": [], "levels": 3] as [String: Any], "请至少选择一个题库"),
                (["banks": ["党史与革命传统"], "levels": 0], "关数须为 1–50"),
            ] {
                let refused = try await admin.json(.post, "/api/campaign-seed", bad)
                #expect(refused.status == 422)
                #expect((refused.object["error"] as? String)?.contains(needle) == true, "\(refused.object)")
            }
            #expect(try await admin.json(.post, "/api/campaign-seed", ["banks": ["没有这个题库"]]).status == 404)
        }
    }
}
