import DengaoCore
import DengaoStorage
import Foundation
import Testing

@testable import DengaoServer

/// A campaign with a gentler ladder for 离退休党员 (issue 17, 分层分类), on a live server: who climbs which ladder,
/// from which bank, through a change of categories and a restart, and how the reports compare the two ladders.
/// The demo organization's 机关党委 members (DG0001–0021) are 机关党员, its 离退休党总支 members (DG0022–0036)
/// 离退休党员. Runs on PostgreSQL in CI (`.ci/run`).
@Suite struct CategoryLadderFlowTests {
    static let gentleBank = "老干部题库"
    /// Six true/false questions only the gentle ladder draws from; the key of 老干部题n is "n is even".
    static let gentleQuestions = (1...6).map { n in
        Question(type: .trueFalse, stem: "老干部题\(n)", answer: .truth(n % 2 == 0))
    }

    /// The default ladder: three levels of three questions from 党章党规党纪; 离退休党员: one level of three from
    /// 老干部题库.
    static func settings(retired: MemberCategoryID, gentleCount: Int = 3) -> CampaignSettings {
        var settings = climbSettings(levels: 3)
        settings.categoryLadders = [
            CategoryLadder(
                memberCategoryIds: [retired],
                levels: [LevelSettings(title: "温故", draw: DrawRule(count: gentleCount, types: [.trueFalse]))],
                banks: [gentleBank])
        ]
        return settings
    }

    @Test func retiredMembersClimbTheGentleLadderPinnedThroughCategoryChangesAndARestart() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        _ = try Store(directory: configuration.dataDirectory).importBank(
            named: Self.gentleBank, questions: Self.gentleQuestions, format: .json, sourceName: nil)
        let id = try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            var answers = try await trueFalseKey(in: configuration)
            for question in Self.gentleQuestions {
                if case .truth(let truth) = question.answer { answers[question.stem] = truth }
            }
            let categories = try #require(
                try await admin.json(.get, "/api/member-categories").object["categories"] as? [[String: Any]])
            func category(_ name: String) throws -> MemberCategoryID {
                MemberCategoryID(Int64(try #require(categories.first { $0["name"] as? String == name }?["id"] as? Int)))
            }
            let retired = try category("离退休党员"), office = try category("机关党员")
            try await Self.badSettingsAreRefused(admin, retired: retired, office: office)

            let id = try await admin.createCampaign(settings: Self.settings(retired: retired)).campaign.id
            let stored = try await admin.json(.get, "/api/campaigns/\(id)").object
            let storedLadders = (stored["campaign"] as? [String: Any]).flatMap {
                ($0["settings"] as? [String: Any])?["categoryLadders"] as? [[String: Any]]
            }
            #expect(storedLadders?.first?["memberCategoryIds"] as? [Int] == [Int(retired.rawValue)])

            // 宋德明 (DG0022, retired) sees a one-level mountain and draws only 老干部题库's questions.
            let songPhone = try await admin.memberPhone("DG0022")
            let song = try await songPhone.json(.get, "/api/climb/\(id)").object
            #expect(song["ladder"] as? Int == 1)
            #expect(song["levelCount"] as? Int == 1)
            #expect((song["campaign"] as? [String: Any])?["levels"].map { ($0 as? [Any])?.count } == 1)
            let songStems = try await Self.climbOneLevel(songPhone, campaign: id, key: answers, levelCount: 1)
            #expect(songStems.allSatisfy { $0.hasPrefix("老干部题") }, "\(songStems)")
            let summit = try await songPhone.json(.post, "/api/climb/\(id)/attempts")
            #expect(summit.status == 409 && summit.object["code"] as? String == "summit")

            // 王建国 (DG0001, office) climbs the default ladder of three from 党章党规党纪.
            let wangPhone = try await admin.memberPhone("DG0001")
            #expect(try await wangPhone.json(.get, "/api/climb/\(id)").object["levelCount"] as? Int == 3)
            let wangStems = try await Self.climbOneLevel(wangPhone, campaign: id, key: answers, levelCount: 3)
            #expect(!wangStems.contains { $0.hasPrefix("老干部题") })

            // Reports compare shares of each member's own ladder: 宋德明 is at the top of his (100 %, 优秀), 王建国 a
            // third of the way up his (待提高); the composite divides each height by its own ladder.
            let report = try await admin.json(.get, "/api/campaigns/\(id)/report").object
            #expect((report["headline"] as? [String: Any])?["ladderLevels"] as? [Int] == [3, 1])
            let bands = try #require((report["bands"] as? [String: Any])?["groups"] as? [[String: Any]])
            func bandCounts(_ name: String) -> [Int]? {
                bands.first { ($0["name"] as? String)?.hasSuffix(name) ?? false }?["counts"] as? [Int]
            }
            #expect(bandCounts("离退休党总支/第一党支部") == [1, 0, 0, 0])
            #expect(bandCounts("机关党委/第一党支部") == [0, 0, 0, 1])
            // The 成绩 sheet names each climber's ladder by its levels.
            let sheet = try await admin.execute(
                uri: "/api/campaigns/\(id)/results?format=csv&sheet=members", method: .get
            ) {
                String(buffer: $0.body)
            }
            let lines = sheet.split(whereSeparator: \.isNewline)
            #expect(lines.first?.hasSuffix("阶梯关数") == true, "\(lines.first ?? "")")
            #expect(lines.contains { $0.contains("宋德明") && $0.hasSuffix(",1") }, "\(sheet)")
            #expect(lines.contains { $0.contains("王建国") && $0.hasSuffix(",3") }, "\(sheet)")
            let board = try await admin.json(.get, "/api/campaigns/\(id)/board").object
            let branches = try #require(board["branches"] as? [[String: Any]])
            // Each 第一党支部 has one climber: at the top of his own one-level ladder among 7 members, a third of the
            // way up the default one among 8.
            func composite(_ name: String) -> Double? {
                branches.first { $0["name"] as? String == name }?["composite"] as? Double
            }
            #expect(abs((composite("离退休党总支/第一党支部") ?? 0) - 100 * (0.5 / 7 + 0.5 * 1 / 7)) < 1e-9)
            #expect(abs((composite("机关党委/第一党支部") ?? 0) - 100 * (0.5 / 8 + 0.5 * (1.0 / 3) / 8)) < 1e-9)
            let top = try #require(board["top"] as? [[String: Any]])
            #expect(top.first { $0["name"] as? String == "宋德明" }?["levelCount"] as? Int == 1)
            #expect(top.first { $0["name"] as? String == "王建国" }?["levelCount"] as? Int == 3)

            // 宋德明 stops being 离退休; 郑淑芬 (DG0023, retired, not started) becomes an office member before her
            // first attempt. His ladder stays pinned; hers is chosen when she starts: the default one.
            #expect(try await admin.json(.patch, "/api/members/DG0022", ["categories": ["机关党员"]]).status == 200)
            #expect(try await admin.json(.patch, "/api/members/DG0023", ["categories": ["机关党员"]]).status == 200)
            let songAfter = try await songPhone.json(.get, "/api/climb/\(id)").object
            #expect(songAfter["ladder"] as? Int == 1 && songAfter["levelCount"] as? Int == 1)
            let zheng = try await admin.memberPhone("DG0023").json(.post, "/api/climb/\(id)/attempts")
            #expect(zheng.status == 200 && zheng.object["levelCount"] as? Int == 3)
            let stem = try #require((zheng.object["question"] as? [String: Any])?["stem"] as? String)
            #expect(!stem.hasPrefix("老干部题"))
            return id
        }
        // After a restart the attempts replay on the ladders they were pinned to.
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let song = try await admin.memberPhone("DG0022")
            let mountain = try await song.json(.get, "/api/climb/\(id)").object
            #expect(mountain["ladder"] as? Int == 1 && mountain["height"] as? Int == 1)
            #expect(mountain["levelCount"] as? Int == 1)
            let summit = try await song.json(.post, "/api/climb/\(id)/attempts")
            #expect(summit.object["code"] as? String == "summit")
            let zheng = try await admin.memberPhone("DG0023").json(.get, "/api/climb/\(id)").object
            #expect(zheng["ladder"] as? Int == 0 && zheng["levelCount"] as? Int == 3)
            let report = try await admin.json(.get, "/api/campaigns/\(id)/report").object
            let bands = try #require((report["bands"] as? [String: Any])?["groups"] as? [[String: Any]])
            #expect(
                bands.first { ($0["name"] as? String)?.hasSuffix("离退休党总支/第一党支部") ?? false }?["counts"] as? [Int]
                    == [1, 0, 0, 1], "宋德明 at 100 %, 郑淑芬 at 0 % of the default ladder")
        }
    }

    /// An unknown category, a category in two ladders and a level its bank cannot fill are each refused with a
    /// message naming them, and no campaign is stored.
    static func badSettingsAreRefused(_ admin: SignedInClient, retired: MemberCategoryID, office: MemberCategoryID)
        async throws
    {
        let before = try await admin.json(.get, "/api/campaigns").object["campaigns"] as? [Any]
        func refusal(_ settings: CampaignSettings) async throws -> (Int, String) {
            try await admin.send(
                .post, "/api/campaigns", json: NewCampaignRequest(ownerUnitId: nil, settings: settings)
            ) { (Int($0.status.code), String(buffer: $0.body)) }
        }
        var unknown = settings(retired: retired)
        unknown.categoryLadders[0].memberCategoryIds = [9_999]
        let (status, message) = try await refusal(unknown)
        #expect(status == 422 && message.contains("分类阶梯1：没有编号为 9999 的党员类别"), "\(message)")
        var twice = settings(retired: retired)
        twice.categoryLadders.append(twice.categoryLadders[0])
        twice.categoryLadders[1].memberCategoryIds = [office, retired]
        let twiceRefused = try await refusal(twice)
        #expect(twiceRefused.0 == 422 && twiceRefused.1.contains("同时属于分类阶梯1和分类阶梯2"), "\(twiceRefused.1)")
        let tooMany = try await refusal(settings(retired: retired, gentleCount: 7))
        #expect(
            tooMany.0 == 422 && tooMany.1.contains("分类阶梯1第1关：题库中符合条件的题目只有 6 道，需要 7 道"), "\(tooMany.1)")
        var noBank = settings(retired: retired)
        noBank.categoryLadders[0].banks = ["没有这个题库"]
        #expect(try await refusal(noBank).0 >= 400)
        let after = try await admin.json(.get, "/api/campaigns").object["campaigns"] as? [Any]
        #expect(after?.count == before?.count)
    }

    /// Starts the member's next level and answers every question right; returns the stems drawn.
    static func climbOneLevel(_ phone: SignedInClient, campaign id: CampaignID, key: [String: Bool], levelCount: Int)
        async throws -> [String]
    {
        var (status, attempt) = try await phone.json(.post, "/api/climb/\(id)/attempts")
        #expect(status == 200)
        #expect(attempt["levelCount"] as? Int == levelCount)
        let seq = try #require(attempt["seq"] as? Int)
        var stems: [String] = []
        for index in 0..<(attempt["questionCount"] as? Int ?? 0) {
            if index > 0 { attempt = try await phone.json(.get, "/api/climb/\(id)/attempts/\(seq)").object }
            let stem = try #require((attempt["question"] as? [String: Any])?["stem"] as? String)
            stems.append(stem)
            let truth = try #require(key[stem] as Bool?)
            let reply = try await phone.json(
                .post, "/api/climb/\(id)/attempts/\(seq)/answers", ["index": index, "truth": truth])
            attempt = try #require(reply.object["attempt"] as? [String: Any])
        }
        #expect(attempt["status"] as? String == "passed")
        return stems
    }
}
