import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// Needs surveys on a live server: an organizer builds one for their subtree and reads its results live; members
/// of that subtree answer once; others never see it; bad answers change nothing.
@Suite struct SurveyFlowTests {
    /// 机关党委 with 第一支部 (members A1, A2; organizer "yi") and 第二支部 (member B1).
    struct Organization {
        var root: UnitID, first: UnitID, second: UnitID
    }

    static func organize(_ configuration: AppConfiguration) throws -> Organization {
        let store = try Store(directory: configuration.dataDirectory)
        let root = try store.createUnit(name: "机关党委", parentId: nil).id
        let first = try store.createUnit(name: "第一支部", parentId: root).id
        let second = try store.createUnit(name: "第二支部", parentId: root).id
        for (number, name, unit) in [("A1", "甲", first), ("A2", "乙", first), ("B1", "丙", second)] {
            _ = try store.addMember(number: number, name: name, unitId: unit)
        }
        try seedAccount("root", in: configuration)
        try seedAccount("yi", role: .organizer, unit: first, in: configuration)
        return Organization(root: root, first: first, second: second)
    }

    static func settings(anonymous: Bool) -> [String: Any] {
        [
            "title": "培训需求", "anonymous": anonymous,
            "questions": [
                ["kind": "single", "prompt": "方式", "options": ["集中", "线上"]],
                ["kind": "rating", "prompt": "满意度", "scale": 5],
                ["kind": "ranking", "prompt": "内容", "topics": ["理论", "党史", "政策"], "picks": 2],
                ["kind": "text", "prompt": "建议", "maxLength": 50, "required": false],
            ],
        ]
    }

    @Test func membersOfTheSubtreeAnswerOnceAndTheOrganizerSeesItLive() async throws {
        let configuration = testConfiguration(samples: "/nonexistent")
        let org = try Self.organize(configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let organizer = try await client.signIn("yi")
            // Not theirs to target: the second branch, or the whole organization.
            #expect(
                try await organizer.json(
                    .post, "/api/surveys",
                    ["ownerUnitId": org.second.rawValue, "settings": Self.settings(anonymous: false)]
                ).status == 403)
            #expect(
                try await organizer.json(.post, "/api/surveys", ["settings": Self.settings(anonymous: false)]).status
                    == 403)
            let made = try await organizer.json(
                .post, "/api/surveys", ["ownerUnitId": org.first.rawValue, "settings": Self.settings(anonymous: false)])
            #expect(made.status == 201)
            let id = try #require((made.object["survey"] as? [String: Any])?["id"] as? Int)
            let other = try await admin.json(
                .post, "/api/surveys",
                ["ownerUnitId": org.second.rawValue, "settings": Self.settings(anonymous: false)])
            let otherId = try #require((other.object["survey"] as? [String: Any])?["id"] as? Int)
            // The organizer lists and reads only their subtree's surveys.
            let listed = try await organizer.json(.get, "/api/surveys").object["surveys"] as? [[String: Any]] ?? []
            #expect(listed.compactMap { $0["id"] as? Int } == [id])
            #expect(try await organizer.json(.get, "/api/surveys/\(otherId)/results").status == 403)
            #expect(try await organizer.json(.post, "/api/surveys/\(otherId)/close").status == 403)

            let a1 = try await admin.memberPhone("A1")
            let b1 = try await admin.memberPhone("B1")
            // B1's branch is not the survey's: not listed, not found, cannot answer.
            let bList = try await b1.json(.get, "/api/my/surveys").object["surveys"] as? [[String: Any]] ?? []
            #expect(bList.compactMap { $0["id"] as? Int } == [otherId])
            #expect(try await b1.json(.get, "/api/my/surveys/\(id)").status == 404)
            let good: [String: Any] = [
                "answers": [["choice": 1], ["rating": 4], ["ranking": [2, 0]], ["text": " 多组织现场教学 "]]
            ]
            #expect(try await b1.json(.post, "/api/my/surveys/\(id)/responses", good).status == 404)
            // Staff cannot answer as members.
            #expect(try await organizer.json(.post, "/api/my/surveys/\(id)/responses", good).status == 403)

            let aList = try await a1.json(.get, "/api/my/surveys").object["surveys"] as? [[String: Any]] ?? []
            #expect(aList.compactMap { $0["id"] as? Int } == [id])
            #expect(aList.first?["answered"] as? Bool == false)
            let shown = try await a1.json(.get, "/api/my/surveys/\(id)")
            #expect(((shown.object["settings"] as? [String: Any])?["questions"] as? [Any])?.count == 4)

            // Bad answers are refused, located, and change nothing.
            for (bad, message) in [
                (["answers": [["choice": 1], ["rating": 6], ["ranking": [2, 0]], NSNull()]], "第2题：评分须为 1–5"),
                (["answers": [["choice": 5], ["rating": 4], ["ranking": [2, 0]], NSNull()]], "第1题：没有这个选项"),
                (["answers": [["choice": 1], ["rating": 4], ["ranking": [2, 2]], NSNull()]], "第3题：主题重复"),
                (["answers": [["choice": 1]]], "答案数与题目数不符"),
            ] as [([String: Any], String)] {
                let refused = try await a1.json(.post, "/api/my/surveys/\(id)/responses", bad)
                #expect(refused.status == 422)
                #expect((refused.object["error"] as? String)?.hasPrefix(message) == true, "\(refused.object)")
            }
            let garbage = try await a1.json(.post, "/api/my/surveys/\(id)/responses", ["answers": [["rating": "五"]]])
            #expect(garbage.status == 400)
            #expect(
                try await organizer.json(.get, "/api/surveys/\(id)").object["survey"].flatMap {
                    ($0 as? [String: Any])?["responseCount"] as? Int
                } == 0)

            #expect(try await a1.json(.post, "/api/my/surveys/\(id)/responses", good).status == 201)
            let again = try await a1.json(.post, "/api/my/surveys/\(id)/responses", good)
            #expect(again.status == 409)
            #expect(again.object["code"] as? String == "already-answered")

            let results = try await organizer.json(.get, "/api/surveys/\(id)/results").object
            #expect(results["respondents"] as? Int == 1)
            #expect(results["roster"] as? Int == 2)
            #expect(results["rate"] as? Double == 0.5)
            let questions = results["questions"] as? [[String: Any]] ?? []
            #expect(questions.count == 4)
            #expect(questions.first?["counts"] as? [Int] == [0, 1])
            #expect(questions[safe: 1]?["mean"] as? Double == 4)
            #expect(questions[safe: 2]?["order"] as? [Int] == [2, 0, 1])
            #expect(questions[safe: 3]?["texts"] as? [String] == ["多组织现场教学"])

            // The download names who answered (not anonymous) and how.
            let csv = try await organizer.execute(
                uri: "/api/surveys/\(id)/export?format=csv&sheet=%E7%AD%94%E5%8D%B7", method: .get
            ) {
                response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            #expect(csv.contains("A1"))
            #expect(csv.contains("政策 > 理论"))
            try await organizer.execute(uri: "/api/surveys/\(id)/export", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes > 1000)
            }

            // Closed: no more answers.
            #expect(try await organizer.json(.post, "/api/surveys/\(id)/close").status == 200)
            let a2 = try await admin.memberPhone("A2")
            let late = try await a2.json(.post, "/api/my/surveys/\(id)/responses", good)
            #expect(late.status == 409)
            #expect(late.object["code"] as? String == "closed")
            #expect(try await organizer.json(.get, "/api/surveys/\(id)/results").object["respondents"] as? Int == 1)
        }
    }

    /// An anonymous survey's download and stored rows name nobody, and still nobody answers twice.
    @Test func anonymousAnswersNameNobody() async throws {
        let configuration = testConfiguration(samples: "/nonexistent")
        let org = try Self.organize(configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let made = try await admin.json(
                .post, "/api/surveys", ["ownerUnitId": org.root.rawValue, "settings": Self.settings(anonymous: true)])
            let id = try #require((made.object["survey"] as? [String: Any])?["id"] as? Int)
            let answer: [String: Any] = ["answers": [["choice": 0], ["rating": 2], ["ranking": [0, 1]], NSNull()]]
            for number in ["A1", "B1"] {
                let phone = try await admin.memberPhone(number)
                #expect(try await phone.json(.post, "/api/my/surveys/\(id)/responses", answer).status == 201)
                #expect(try await phone.json(.post, "/api/my/surveys/\(id)/responses", answer).status == 409)
            }
            let results = try await admin.json(.get, "/api/surveys/\(id)/results").object
            #expect(results["respondents"] as? Int == 2)
            let units = results["units"] as? [[String: Any]] ?? []
            #expect(units.map { $0["responded"] as? Int } == [2, 1, 1])
            #expect(units.map { $0["roster"] as? Int } == [3, 2, 1])
            let csv = try await admin.execute(
                uri: "/api/surveys/\(id)/export?format=csv&sheet=%E7%AD%94%E5%8D%B7", method: .get
            ) {
                String(buffer: $0.body)
            }
            #expect(!csv.contains("A1") && !csv.contains("甲") && !csv.contains("编号"))
            #expect(csv.contains("机关党委/第一支部"))
        }
    }

    @Test func aSurveyThatCannotBeSentIsRefusedWithEveryReason() async throws {
        try await withSignedInAdmin { admin in
            let templates = try await admin.json(.get, "/api/survey-templates").object["templates"] as? [[String: Any]]
            let template = try #require(templates?.first { $0["name"] as? String == "training-needs" }?["settings"])
            #expect(try await admin.json(.post, "/api/surveys", ["settings": template]).status == 201)
            let refused = try await admin.json(
                .post, "/api/surveys",
                ["settings": ["title": "", "questions": [["kind": "rating", "prompt": "评分", "scale": 99]]]])
            #expect(refused.status == 422)
            let message = refused.object["error"] as? String ?? ""
            #expect(message.contains("问卷标题须为 1–100") && message.contains("第1题：评分档数须为 2–10"), "\(message)")
            let unknown = try await admin.json(
                .post, "/api/surveys", ["settings": ["title": "t", "questions": [["kind": "essay", "prompt": "p"]]]])
            #expect(unknown.status == 400)
            #expect(try await admin.json(.get, "/api/surveys").object["surveys"].flatMap { ($0 as? [Any])?.count } == 1)
        }
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
