import DengaoCore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer
@testable import DengaoStorage

/// A member's history on the real server: a contest joined and answered, a campaign climbed, accuracy by category;
/// the same for the member themself; scope like the member's record; every query by index.
@Suite struct MemberHistoryTests {
    @Test func aMembersContestsCampaignsAndCategoriesAreTheirs() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let units = try await ReportTests.unitIds(admin)
            let phone = try await admin.memberPhone("DG0001")
            let empty = try await admin.json(.get, "/api/members/DG0001/history")
            #expect(empty.status == 200)
            #expect(
                (empty.object["contests"] as? [Any])?.isEmpty == true
                    && (empty.object["campaigns"] as? [Any])?.isEmpty == true)

            // Two levels climbed, every answer right.
            let campaign = try await admin.createCampaign(settings: climbSettings(levels: 2, questions: 3)).campaign.id
            let key = try await trueFalseKey(in: configuration)
            for _ in 0..<2 { try await ReportTests.passLevel(phone, campaign: campaign, key: key) }

            // A contest: the first question answered right and revealed.
            let created = try await admin.createContest(ownerUnitId: units["机关党委"], settings: sampleSettings())
            let questions = try await TestBackend.storage(configuration).contestQuestions(ContestID(created.contest.id))
            let played = try await HostedPlayer(
                port: client.port!, hostCookie: admin.cookie, playerCookie: phone.cookie, contestId: created.contest.id,
                pin: created.contest.pin)
            try await played.answerNext(questions[0].question, number: 1, correct: true)
            try await played.reveal(1)

            let history = try await admin.json(.get, "/api/members/DG0001/history")
            #expect(history.status == 200)
            #expect(history.object["name"] as? String == "王建国")
            let contests = try #require(history.object["contests"] as? [[String: Any]])
            #expect(contests.count == 1)
            #expect(contests.first?["answered"] as? Int == 1 && contests.first?["correct"] as? Int == 1)
            #expect((contests.first?["score"] as? Int ?? 0) > 0)
            let campaigns = try #require(history.object["campaigns"] as? [[String: Any]])
            #expect(campaigns.count == 1)
            #expect(campaigns.first?["height"] as? Int == 2 && campaigns.first?["attempts"] as? Int == 2)
            #expect(campaigns.first?["answered"] as? Int == 6 && campaigns.first?["correct"] as? Int == 6)
            let categories = try #require(history.object["categories"] as? [[String: Any]])
            #expect(categories.reduce(0) { $0 + ($1["answered"] as? Int ?? 0) } == 7)
            #expect(categories.allSatisfy { $0["accuracy"] as? Double == 100 })
            #expect(categories.allSatisfy { (($0["months"] as? [[String: Any]])?.count ?? 0) == 1 })

            // The member sees the same of themself, and nobody else's.
            let own = try await phone.json(.get, "/api/me/history")
            #expect(own.status == 200)
            #expect((own.object["contests"] as? [Any])?.count == 1 && (own.object["campaigns"] as? [Any])?.count == 1)
            #expect(try await phone.json(.get, "/api/members/DG0009/history").status == 403)
            #expect(try await admin.json(.get, "/api/members/NOBODY/history").status == 404)
            await played.close()
        }
        let retired = try #require(
            try await TestBackend.storage(configuration).orgTree().depthFirst().first { $0.unit.name == "离退休党总支" }?.unit
                .id)
        try await addAccount("retired", role: .organizer, unit: retired, in: configuration)
        try await withLiveApp(configuration) { client in
            let organizer = try await client.signIn("retired")
            #expect(
                try await organizer.json(.get, "/api/members/DG0001/history").status == 403,
                "outside the organizer's subtree")
            #expect(try await organizer.json(.get, "/api/members/DG0022/history").status == 200)
        }
    }

    @Test func theHistoryIsReadByIndexes() throws {
        let store = try Store(
            directory: FileManager.default.temporaryDirectory.appendingPathComponent("dengao-\(UUID().uuidString)").path
        )
        for sql in [
            Store.MemberHistorySQL.contests, Store.MemberHistorySQL.campaigns, Store.MemberHistorySQL.contestAnswers,
            Store.MemberHistorySQL.campaignAnswers,
        ] {
            let plan = try store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: [1]).map { $0["detail"] as String }
            }
            #expect(!plan.contains { $0.hasPrefix("SCAN") && !$0.contains("USING") }, "\(sql)\n\(plan)")
        }
    }
}
