import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// A survey sent to member categories (分层分类) on a live server: an unknown category is refused and makes nothing;
/// only members of the subtree holding one of the categories see and answer it; its reach per unit counts only
/// them, and follows a member who takes the category up.
@Suite struct SurveyTargetingTests {
    @Test func onlyHoldersOfTheCategoriesSeeAndAnswerItAndTheReachCountsOnlyThem() async throws {
        let configuration = testConfiguration(samples: "/nonexistent")
        let store = try Store(directory: configuration.dataDirectory)
        let root = try store.createUnit(name: "机关党委", parentId: nil).id
        let first = try store.createUnit(name: "第一支部", parentId: root).id
        let second = try store.createUnit(name: "第二支部", parentId: root).id
        for (number, name, unit) in [("A1", "甲", first), ("A2", "乙", first), ("A3", "丁", first), ("B1", "丙", second)] {
            _ = try store.addMember(number: number, name: name, unitId: unit)
        }
        try seedAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let categories = try #require(
                try await admin.json(.get, "/api/member-categories").object["categories"] as? [[String: Any]])
            let retired = try #require(categories.first { $0["name"] as? String == "离退休党员" }?["id"] as? Int)
            for (number, held) in [("A1", ["离退休党员"]), ("A2", ["离退休党员", "党务干部"]), ("B1", ["离退休党员"])] {
                #expect(try await admin.json(.patch, "/api/members/\(number)", ["categories": held]).status == 200)
            }
            var settings = SurveyFlowTests.settings(anonymous: false)
            settings["memberCategoryIds"] = [9_999]
            let unknown = try await admin.json(
                .post, "/api/surveys", ["ownerUnitId": root.rawValue, "settings": settings])
            #expect(unknown.status == 422)
            #expect((unknown.object["error"] as? String)?.contains("没有编号为 9999 的党员类别") == true, "\(unknown.object)")
            #expect((try await admin.json(.get, "/api/surveys").object["surveys"] as? [Any])?.isEmpty == true)

            settings["memberCategoryIds"] = [retired]
            let made = try await admin.json(
                .post, "/api/surveys", ["ownerUnitId": root.rawValue, "settings": settings])
            #expect(made.status == 201)
            let survey = try #require(made.object["survey"] as? [String: Any])
            let id = try #require(survey["id"] as? Int)
            #expect((survey["settings"] as? [String: Any])?["memberCategoryIds"] as? [Int] == [retired])

            let good: [String: Any] = ["answers": [["choice": 1], ["rating": 4], ["ranking": [2, 0]], NSNull()]]
            // 丁 (A3) holds no category: not listed, not found, cannot answer.
            let a3 = try await admin.memberPhone("A3")
            #expect((try await a3.json(.get, "/api/my/surveys").object["surveys"] as? [Any])?.isEmpty == true)
            #expect(try await a3.json(.get, "/api/my/surveys/\(id)").status == 404)
            #expect(try await a3.json(.post, "/api/my/surveys/\(id)/responses", good).status == 404)
            // 甲 (A1) and 丙 (B1) are retired: they see it; 甲 answers.
            let a1 = try await admin.memberPhone("A1")
            let listed = try await a1.json(.get, "/api/my/surveys").object["surveys"] as? [[String: Any]] ?? []
            #expect(listed.compactMap { $0["id"] as? Int } == [id])
            #expect(try await a1.json(.get, "/api/my/surveys/\(id)").status == 200)
            #expect(try await a1.json(.post, "/api/my/surveys/\(id)/responses", good).status == 201)
            let b1 = try await admin.memberPhone("B1")
            #expect(try await b1.json(.get, "/api/my/surveys/\(id)").status == 200)

            func reach() async throws -> (roster: Int?, rate: Double?, units: [String: [Int]]) {
                let results = try await admin.json(.get, "/api/surveys/\(id)/results").object
                var units: [String: [Int]] = [:]
                for row in results["units"] as? [[String: Any]] ?? [] {
                    units[row["name"] as? String ?? ""] = [row["roster"] as? Int ?? -1, row["responded"] as? Int ?? -1]
                }
                return (results["roster"] as? Int, results["rate"] as? Double, units)
            }
            var figures = try await reach()
            #expect(figures.roster == 3, "甲, 乙 and 丙, not 丁")
            #expect(figures.rate.map { abs($0 - 1.0 / 3) < 1e-9 } == true)
            #expect(figures.units["第一支部"] == [2, 1] && figures.units["第二支部"] == [1, 0])
            #expect(figures.units["机关党委"] == [3, 1])

            // 丁 takes the category up: the survey is now for him too, and the reach counts him.
            #expect(try await admin.json(.patch, "/api/members/A3", ["categories": ["离退休党员"]]).status == 200)
            #expect(try await a3.json(.get, "/api/my/surveys/\(id)").status == 200)
            figures = try await reach()
            #expect(figures.roster == 4 && figures.units["第一支部"] == [3, 1])

            // An untargeted survey's reach is every active member.
            let everyone = try await admin.json(
                .post, "/api/surveys",
                ["ownerUnitId": root.rawValue, "settings": SurveyFlowTests.settings(anonymous: true)])
            let everyoneId = try #require((everyone.object["survey"] as? [String: Any])?["id"] as? Int)
            let results = try await admin.json(.get, "/api/surveys/\(everyoneId)/results").object
            #expect(results["roster"] as? Int == 4)
        }
    }
}
