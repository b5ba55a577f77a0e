import DengaoCore
import DengaoStorage
import Foundation
import Testing
import ZIPFoundation

/// `dengao export-results` and `export-campaign` with `--member-category ID`: the same narrowed workbook and CSV the
/// console's download gives with `?memberCategory=ID`, on a real data directory the CLI itself filled (bank, roster
/// with a 类别 column), plus a contest and a campaign written straight into its store.
@Suite struct FilteredExportTests {
    /// Two 机关党员 (one also 党务干部) and three 离退休党员 in two branches of 离退休党总支.
    static let roster = """
        姓名,党员编号,所在支部,类别
        王建国,1001,机关党委/第一党支部,机关党员、党务干部
        李秀英,1002,机关党委/第一党支部,机关党员
        宋德明,2001,离退休党总支/第一党支部,离退休党员
        郑淑芬,2002,离退休党总支/第一党支部,离退休党员
        董建华,2003,离退休党总支/第二党支部,离退休党员

        """

    @Test func exportsNarrowToAMemberCategoryAndRefuseAnUnknownOne() async throws {
        let data = temporaryDirectory()
        let imported = try await dengao(
            ["import", fixtures.appendingPathComponent("valid-chinese.xlsx").path, "--bank", "党史"], data: data)
        #expect(imported.status == 0, "\(imported.stderr)")
        let rosterFile = temporaryDirectory() + ".csv"
        try Data(Self.roster.utf8).write(to: URL(fileURLWithPath: rosterFile))
        let rostered = try await dengao(["roster", "import", rosterFile, "--create-units"], data: data)
        #expect(rostered.status == 0, "\(rostered.stderr)")

        let (contest, campaign, retired) = try Self.contestAndCampaign(in: data)

        // The campaign's 成绩 sheet lists its roster: all five, or only the three 离退休党员.
        let whole = try await Self.csv(["export-campaign", "\(campaign)", "--sheet", "members"], data: data)
        #expect(whole.count == 6, "five members and the header: \(whole)")
        let narrowed = try await Self.csv(
            ["export-campaign", "\(campaign)", "--sheet", "members", "--member-category", "\(retired)"], data: data)
        #expect(narrowed.count == 4, "three 离退休党员 and the header: \(narrowed)")
        #expect(narrowed.dropFirst().allSatisfy { $0.contains("离退休党总支") }, "\(narrowed)")
        #expect(narrowed.dropFirst().map { $0.contains("200") } == [true, true, true], "\(narrowed)")
        let split = try await Self.csv(["export-campaign", "\(campaign)", "--sheet", "memberCategories"], data: data)
        #expect(split.first == "党员类别,应参人数,参与人数,参与率,平均高度")
        #expect(split.contains("离退休党员,3,0,0.0%,—") && split.contains("党务干部,1,0,0.0%,—"), "\(split)")

        // Workbooks: every narrowed sheet's name says the category; the split (党员类别) is the whole's.
        let campaignBook = try await Self.sheetNames(
            ["export-campaign", "\(campaign)", "--member-category", "\(retired)"], data: data)
        #expect(campaignBook.count == 8, "\(campaignBook)")
        #expect(campaignBook.dropLast().allSatisfy { $0.hasSuffix("（离退休党员）") }, "\(campaignBook)")
        #expect(campaignBook.last == "党员类别")
        let contestBook = try await Self.sheetNames(
            ["export-results", "\(contest)", "--member-category", "\(retired)"], data: data)
        #expect(contestBook.first == "成绩（离退休党员）" && contestBook.last == "党员类别", "\(contestBook)")
        #expect(try await Self.sheetNames(["export-results", "\(contest)"], data: data).first == "成绩")
        let contestSplit = try await Self.csv(
            ["export-results", "\(contest)", "--sheet", "memberCategories"], data: data)
        #expect(contestSplit.contains { $0.hasPrefix("离退休党员,3,0,") }, "\(contestSplit)")

        // An unknown category, or the polls of a contest without any: a clear error and no file.
        for arguments in [
            ["export-campaign", "\(campaign)", "--member-category", "9999"],
            ["export-results", "\(contest)", "--member-category", "9999"],
            ["export-results", "\(contest)", "--sheet", "polls"],
        ] {
            let file = temporaryDirectory() + ".csv"
            let run = try await dengao(arguments + ["-o", file], data: data)
            #expect(run.status != 0, "\(arguments)")
            let said = arguments.contains("polls") ? "没有投票结果" : "找不到编号为 9999 的党员类别"
            #expect(run.stderr.contains(said), "\(arguments): \(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: file), "\(arguments) wrote \(file)")
        }
    }

    /// A whole-organization contest drawing one question of 党史 and a campaign of one level, written into the
    /// data directory's store; and the id of 离退休党员 in its list.
    static func contestAndCampaign(in data: String) throws -> (
        contest: ContestID, campaign: CampaignID, retired: MemberCategoryID
    ) {
        let store = try Store(directory: data)
        let question = try #require(try store.latestQuestions(ofBanks: ["党史"]).first?.id)
        let contest = try store.createContest(
            NewContest(
                ownerUnitId: nil, createdById: nil,
                settings: ContestSettings(
                    title: "导出测试", mode: .individual,
                    rounds: [
                        RoundSettings(
                            title: "必答", kind: .everyone, banks: ["党史"], draw: DrawRule(count: 1),
                            timeLimitSeconds: 30, points: 1000)
                    ]), seed: 1, questionIds: [[question]], displayTokenHash: "contest-export-test"))
        let campaign = try store.createCampaign(
            NewCampaign(
                ownerUnitId: nil, createdById: nil,
                settings: CampaignSettings(
                    title: "导出登高", startDate: "2026-01-01", endDate: "2099-12-31", banks: ["党史"],
                    levels: [
                        LevelSettings(title: "第1关", draw: DrawRule(count: 1), timeLimit: .perQuestion(seconds: 60))
                    ]
                ), seed: 1, displayTokenHash: "campaign-export-test"))
        let retired = try #require(try store.memberCategories().first { $0.name == "离退休党员" }?.id)
        return (contest.id, campaign.id, retired)
    }

    /// The lines of the CSV the command writes.
    static func csv(_ arguments: [String], data: String) async throws -> [String] {
        let file = temporaryDirectory() + ".csv"
        let run = try await dengao(arguments + ["-o", file], data: data)
        #expect(run.status == 0, "\(arguments): \(run.stderr)")
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self)
        return text.replacingOccurrences(of: "\u{FEFF}", with: "").split(whereSeparator: \.isNewline).map(String.init)
    }

    /// The worksheet names of the workbook the command writes, in order.
    static func sheetNames(_ arguments: [String], data: String) async throws -> [String] {
        let file = temporaryDirectory() + ".xlsx"
        let run = try await dengao(arguments + ["-o", file], data: data)
        #expect(run.status == 0, "\(arguments): \(run.stderr)")
        let archive = try Archive(url: URL(fileURLWithPath: file), accessMode: .read)
        let entry = try #require(archive["xl/workbook.xml"])
        var workbook = Data()
        _ = try archive.extract(entry) { workbook.append($0) }
        let text = String(decoding: workbook, as: UTF8.self)
        return text.components(separatedBy: "<sheet name=\"").dropFirst().compactMap {
            $0.components(separatedBy: "\"").first
        }
    }
}
