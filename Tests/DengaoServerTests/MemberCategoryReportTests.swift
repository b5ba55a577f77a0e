import DengaoCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// The results reports by member category (分层分类) on the real server (SQLite, or PostgreSQL with
/// `DENGAO_TEST_BACKEND=postgres`): `?memberCategory=ID` narrows a contest's and a campaign's report, downloads and
/// item analysis to the members holding it, and each report splits its figures by category. The demo
/// organization: 机关党委's members (DG0001–DG0021) are 机关党员, 离退休党总支's (DG0022–DG0036) 离退休党员; each
/// branch's first member (DG0001, DG0009, DG0016, DG0022, DG0029) is also 党务干部.
@Suite struct MemberCategoryReportTests {
    /// DG0001 (机关, 党务干部) answers every question right, DG0002 (机关 only) every one wrong, a guest right.
    @Test func aContestsReportDownloadsAndItemsNarrowToAMemberCategory() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let category = try await Self.categoryIds(admin)
            let units = try await ReportTests.unitIds(admin)
            let created = try await admin.createContest(ownerUnitId: units["机关党委"], settings: sampleSettings())
            let id = created.contest.id
            let port = client.port!
            let questions = try await TestBackend.storage(configuration).contestQuestions(ContestID(id))
            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": id])
            _ = try await host.next("welcome")
            var players: [WSPeer] = []
            for number in ["DG0001", "DG0002"] {
                let player = WSPeer(port: port, cookie: try await admin.memberPhone(number).cookie)
                player.send(["type": "join", "v": 1, "pin": created.contest.pin])
                _ = try await player.next("welcome")
                players.append(player)
            }
            let guest = WSPeer(port: port)
            guest.send([
                "type": "join", "v": 1, "pin": created.contest.pin, "name": "访客甲",
                "branchId": units[ReportTests.third]!,
            ])
            _ = try await guest.next("welcome")
            players.append(guest)
            for question in questions {
                host.send(["type": "command", "command": "next"])
                for (index, player) in players.enumerated() {
                    let state = try await player.next("state") {
                        ($0["question"] as? [String: Any])?["number"] as? Int == question.number
                    }
                    let shown = (state["question"] as! [String: Any])["options"] as? [String] ?? []
                    player.send(
                        answerMessage(
                            for: question.question, number: question.number, options: shown, correct: index != 1))
                    #expect(try await player.next("ack")["status"] as? String == "accepted")
                }
                host.send(["type": "command", "command": "reveal"])
                for player in players {
                    _ = try await player.next("reveal") { $0["number"] as? Int == question.number }
                }
            }
            host.send(["type": "command", "command": "finish"])
            _ = try await players[0].next("state") { $0["phase"] as? String == "finished" }

            func report(_ query: String) async throws -> [String: Any] {
                let reply = try await admin.json(.get, "/api/contests/\(id)/report" + query)
                #expect(reply.status == 200, "\(reply.object)")
                return reply.object
            }
            func headline(_ object: [String: Any]) -> [Int?] {
                let headline = object["headline"] as? [String: Any] ?? [:]
                return ["players", "members", "guests", "roster", "rosterParticipants"].map { headline[$0] as? Int }
            }
            let whole = try await report("")
            #expect(headline(whole) == [3, 2, 1, 21, 2])
            #expect(whole["memberCategory"] == nil)
            let cadres = try await report("?memberCategory=\(category["党务干部"]!)")
            #expect(headline(cadres) == [1, 1, 0, 3, 1], "DG0001, DG0009 and DG0016 are 机关党委's 党务干部")
            #expect((cadres["memberCategory"] as? [String: Any])?["name"] as? String == "党务干部")
            let top = try #require(cadres["top"] as? [[String: Any]])
            #expect(top.map { $0["name"] as? String } == ["王建国"])
            #expect(headline(try await report("?memberCategory=\(category["机关党员"]!)")) == [2, 2, 0, 21, 2])
            #expect(headline(try await report("?memberCategory=\(category["离退休党员"]!)")) == [0, 0, 0, 0, 0])
            let downloads = try #require(cadres["downloads"] as? [String: Any])
            #expect((downloads["workbook"] as? String)?.hasSuffix("memberCategory=\(category["党务干部"]!)") == true)

            // The split is the whole contest's, filtered or not: one row per category in the list's order.
            let split = try #require(cadres["memberCategories"] as? [String: Any])
            #expect(split["measure"] as? String == "平均分")
            let rows = try #require(split["rows"] as? [[String: Any]])
            #expect(rows.map { $0["name"] as? String } == MemberCategories.defaults)
            func row(_ name: String) -> [String: Any] { rows.first { $0["name"] as? String == name } ?? [:] }
            #expect(row("机关党员")["roster"] as? Int == 21 && row("机关党员")["participants"] as? Int == 2)
            #expect(row("党务干部")["roster"] as? Int == 3 && row("党务干部")["participants"] as? Int == 1)
            #expect(row("离退休党员")["roster"] as? Int == 0 && row("离退休党员")["rate"] == nil)
            let standings = try await ReportTests.csvLines(
                admin, "/api/contests/\(id)/results?format=csv&sheet=standings")
            let best = try #require(standings.first { $0[2] == "DG0001" }.flatMap { Int($0[4]) })
            #expect(row("党务干部")["meanScore"] as? Double == Double(best))

            let narrowed = try await ReportTests.csvLines(
                admin, "/api/contests/\(id)/results?format=csv&sheet=standings&memberCategory=\(category["党务干部"]!)")
            #expect(narrowed.count == 2 && narrowed[1][2] == "DG0001")
            let splitSheet = try await ReportTests.csvLines(
                admin, "/api/contests/\(id)/results?format=csv&sheet=memberCategories")
            #expect(splitSheet[0] == ["党员类别", "应参人数", "参与人数", "参与率", "平均分"])
            #expect(splitSheet.dropFirst().map { $0[0] } == MemberCategories.defaults)
            #expect(
                splitSheet.first { $0[0] == "机关党员" } == [
                    "机关党员", "21", "2", "9.5%", String(format: "%.2f", Double(best) / 2),
                ])

            // Item analysis: the seats of the category's members only.
            func attempts(_ query: String) async throws -> Int? {
                let reply = try await admin.json(.get, "/api/contests/\(id)/items" + query)
                #expect(reply.status == 200, "\(reply.object)")
                return (reply.object["test"] as? [String: Any])?["count"] as? Int
            }
            #expect(try await attempts("") == 3)
            #expect(try await attempts("?memberCategory=\(category["党务干部"]!)") == 1)
            #expect(try await attempts("?memberCategory=\(category["机关党员"]!)") == 2)
            #expect(try await attempts("?memberCategory=\(category["农村党员"]!)") == 0)

            // The period's weak categories: today's answers, only those of members holding the category then.
            func answers(_ query: String) async throws -> Int? {
                let reply = try await admin.json(.get, "/api/reports/categories?days=1" + query)
                #expect(reply.status == 200, "\(reply.object)")
                return reply.object["answers"] as? Int
            }
            let count = questions.count
            #expect(try await answers("") == 3 * count, "two members and a guest")
            #expect(try await answers("&memberCategory=\(category["党务干部"]!)") == count)
            #expect(try await answers("&memberCategory=\(category["机关党员"]!)") == 2 * count)
            #expect(try await answers("&memberCategory=\(category["离退休党员"]!)") == 0)
            let refusedPeriod = try await admin.json(.get, "/api/reports/categories?days=1&memberCategory=9999")
            #expect(refusedPeriod.status == 400)
            for bad in ["abc", "9999"] {
                for path in ["report", "items", "results"] {
                    let refused = try await admin.json(.get, "/api/contests/\(id)/\(path)?memberCategory=\(bad)")
                    #expect(refused.status == 400, "\(path)")
                    #expect(
                        refused.object["error"] as? String
                            == "没有编号为 \(bad) 的党员类别 (memberCategory: no member category \(bad))")
                }
            }
        }
    }

    /// DG0001 and DG0009 (机关, 党务干部), DG0022 (离退休, 党务干部) and DG0002 (机关) each start a level.
    @Test func aCampaignsReportAndDownloadsNarrowToAMemberCategoryAndSplitByIt() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let category = try await Self.categoryIds(admin)
            let campaign = try await admin.createCampaign(settings: climbSettings()).campaign.id
            for number in ["DG0001", "DG0009", "DG0022", "DG0002"] {
                #expect(
                    try await admin.memberPhone(number).json(.post, "/api/climb/\(campaign)/attempts").status == 200)
            }
            func headline(_ query: String) async throws -> [Int?] {
                let reply = try await admin.json(.get, "/api/campaigns/\(campaign)/report" + query)
                #expect(reply.status == 200, "\(reply.object)")
                let headline = reply.object["headline"] as? [String: Any] ?? [:]
                return [headline["roster"] as? Int, headline["participants"] as? Int]
            }
            #expect(try await headline("") == [36, 4])
            #expect(try await headline("?memberCategory=\(category["离退休党员"]!)") == [15, 1])
            #expect(try await headline("?memberCategory=\(category["党务干部"]!)") == [5, 3])
            #expect(try await headline("?memberCategory=\(category["农村党员"]!)") == [0, 0])

            let report = try await admin.json(.get, "/api/campaigns/\(campaign)/report").object
            let split = try #require(report["memberCategories"] as? [String: Any])
            #expect(split["measure"] as? String == "平均高度")
            let rows = try #require(split["rows"] as? [[String: Any]])
            #expect(
                rows.map {
                    [
                        $0["name"] as? String, ($0["roster"] as? Int).map(String.init),
                        ($0["participants"] as? Int).map(String.init),
                    ]
                }
                    == [
                        ["农村党员", "0", "0"], ["机关党员", "21", "3"], ["离退休党员", "15", "1"], ["两新组织党员", "0", "0"],
                        ["党务干部", "5", "3"],
                    ])
            #expect(rows.first { $0["name"] as? String == "党务干部" }?["meanScore"] as? Double == 0)

            let members = try await ReportTests.csvLines(
                admin,
                "/api/campaigns/\(campaign)/results?format=csv&sheet=members&memberCategory=\(category["离退休党员"]!)")
            #expect(members.count == 16, "the 15 离退休党员 and the header")
            let lines = members.dropFirst().map { $0.joined(separator: ",") }
            #expect(lines.contains { $0.contains("DG0022") } && !lines.contains { $0.contains("DG0001") })
            let splitSheet = try await ReportTests.csvLines(
                admin, "/api/campaigns/\(campaign)/results?format=csv&sheet=memberCategories")
            #expect(splitSheet[0] == ["党员类别", "应参人数", "参与人数", "参与率", "平均高度"])
            #expect(splitSheet.first { $0[0] == "离退休党员" } == ["离退休党员", "15", "1", "6.7%", "0.00"])
            let refused = try await admin.json(.get, "/api/campaigns/\(campaign)/report?memberCategory=9999")
            #expect(refused.status == 400)
        }
    }

    /// The organization's member categories by name.
    static func categoryIds(_ admin: SignedInClient) async throws -> [String: Int] {
        let categories = try #require(
            try await admin.json(.get, "/api/member-categories").object["categories"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: categories.map { ($0["name"] as! String, $0["id"] as! Int) })
    }
}
