import DengaoCore
import DengaoStorage
import Foundation
import Logging
import Testing

@testable import DengaoCore
@testable import DengaoServer

/// The participation figures organizers report upward, through the real endpoint, the CSV and XLSX exports and
/// the board: the two reported cases (a member set inactive; a member moved on a day they climbed) and the live
/// board following roster and tree changes. The demo organization: 机关党委 with 第一 (DG0001–0008), 第二
/// (DG0009–0015) and 第三党支部 (DG0016–0021); 离退休党总支 with 第一 (DG0022–0028) and 第二党支部 (DG0029–0036).
@Suite struct ParticipationFlowTests {
    static let first = "机关党委/第一党支部", second = "机关党委/第二党支部", third = "机关党委/第三党支部"

    /// The reported case: a member set inactive (停用) still counted on the day's roster of the endpoint and of
    /// 每日参与 while the board left them out, and the branch's roster was not participants + absent.
    @Test func aDeactivatedMemberCountsNowhereAndEveryRosterAddsUp() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        let id = try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let id = try await admin.createCampaign().campaign.id
            // 王建国 (DG0001) and 李秀英 (DG0002) climb today; then 李秀英 and 张伟 (DG0003, who never climbed) are
            // set inactive.
            for number in ["DG0001", "DG0002"] {
                #expect(try await admin.memberPhone(number).json(.post, "/api/climb/\(id)/attempts").status == 200)
            }
            for number in ["DG0002", "DG0003"] {
                #expect(try await admin.json(.patch, "/api/members/\(number)", ["active": false]).status == 200)
            }

            let today = try await DayReport.fetch(admin, campaign: id)
            let branch = try #require(today.branches[Self.first])
            #expect(branch.roster == 6, "8 members, 2 of them inactive")
            #expect(branch.participants == 1, "李秀英 climbed, but ends the day inactive")
            #expect(branch.absent.count == 5)
            #expect(!branch.absent.contains("张伟") && !branch.absent.contains("李秀英"))
            try await today.expectConsistent(with: admin)
            #expect(today.total == (34, 1))
            #expect(today.units["机关党委"].map { [$0.0, $0.1] } == [19, 1])
            #expect(today.units["离退休党总支"].map { [$0.0, $0.1] } == [15, 0])

            let exported = try await Exported.fetch(admin, campaign: id, day: today.day)
            #expect(try #require(exported.csv[Self.first]) == (6, 1, 5))
            #expect(try #require(exported.xlsx[Self.first]) == (6, 1, 5))
            #expect(exported.csvTotal == (34, 1))
            exported.expectPartitionOf(today)
            return id
        }
        // A restarted server's board (its roster read afresh) counts the same members.
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let today = try await DayReport.fetch(admin, campaign: id)
            try await today.expectBoardAgrees(admin, campaign: id)
        }
    }

    /// The reported case: a member moved to another branch on a day they climbed counted as a participant in the
    /// old branch and as absent in the new one, so the branches' rosters added up to more people than exist.
    @Test func aMemberMovedOnADayTheyClimbedCountsOnceInTheBranchTheyEndTheDayIn() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        let id = try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let id = try await admin.createCampaign().campaign.id
            // 周杰 (DG0009) climbs in 第二党支部, then is moved to 第三党支部 the same day.
            #expect(try await admin.memberPhone("DG0009").json(.post, "/api/climb/\(id)/attempts").status == 200)
            let thirdId = try await Self.unitId(Self.third, admin)
            #expect(try await admin.json(.patch, "/api/members/DG0009", ["unitId": thirdId]).status == 200)

            let today = try await DayReport.fetch(admin, campaign: id)
            let (second, third) = (try #require(today.branches[Self.second]), try #require(today.branches[Self.third]))
            #expect(second.roster == 6)
            #expect(second.participants == 0)
            #expect(third.roster == 7)
            #expect(third.participants == 1)
            #expect(!third.absent.contains("周杰"))
            #expect(today.branches.values.map(\.roster).reduce(0, +) == 36, "36 members, each counted once")
            #expect(today.total == (36, 1))
            try await today.expectConsistent(with: admin)

            let exported = try await Exported.fetch(admin, campaign: id, day: today.day)
            #expect(try #require(exported.csv[Self.second]) == (6, 0, 6))
            #expect(try #require(exported.csv[Self.third]) == (7, 1, 6))
            #expect(try #require(exported.xlsx[Self.third]) == (7, 1, 6))
            exported.expectPartitionOf(today)
            return id
        }
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            try await DayReport.fetch(admin, campaign: id).expectBoardAgrees(admin, campaign: id)
        }
    }

    /// The live board, as the hub refreshes its roster on every roster write, says what the endpoint and the exports say for today:
    /// after deactivations, a reactivation, a move, and a new unit under a branch (which changes the branches).
    @Test func theLiveBoardFollowsRosterAndTreeChangesAsTheReportsCountThem() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        let id = try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let id = try await admin.createCampaign().campaign.id
            for number in ["DG0001", "DG0002", "DG0009"] {
                #expect(try await admin.memberPhone(number).json(.post, "/api/climb/\(id)/attempts").status == 200)
            }
            return id
        }
        let store = try TestBackend.storage(configuration)
        let hub = CampaignHub(
            storage: store, journal: Journal(storage: store),
            logger: Logger(label: "test"))
        let room = try #require(try await hub.room(id: id))
        // The roster writes below reach the room the next time anyone asks the hub for it (no periodic re-read).
        func refresh() async throws {
            #expect(try await hub.room(id: id) === room)
        }
        func units() async throws -> [String: UnitID] {
            Dictionary(uniqueKeysWithValues: try await store.units().map { ($0.path, $0.id) })
        }
        try await expectBoardAgrees(room, store: store, campaign: id, roster: 36, today: 3)

        try await store.updateMember(number: "DG0002", MemberChanges(active: false))
        try await store.updateMember(number: "DG0003", MemberChanges(active: false))
        try await store.updateMember(number: "DG0009", MemberChanges(unitId: try await units()[Self.third]!))
        try await refresh()
        try await expectBoardAgrees(room, store: store, campaign: id, roster: 34, today: 2)

        try await store.updateMember(number: "DG0002", MemberChanges(active: true))
        let group = try await store.createUnit(name: "第一党小组", parentId: try await units()[Self.first]!).id
        try await store.updateMember(number: "DG0001", MemberChanges(unitId: group))
        try await refresh()
        let board = try await expectBoardAgrees(room, store: store, campaign: id, roster: 35, today: 3)
        #expect(board.branches.contains { $0.id == group && $0.roster == 1 && $0.participants == 1 })
        #expect(
            !board.branches.contains { $0.name == Self.first }, "第一党支部 has a sub-unit now: it is above the branches")
    }

    /// A campaign for 离退休党员 (分层分类) counts participation against its retired members only — on the endpoint,
    /// the exports and the live board — and a member who leaves the category drops out of today's roster. The demo
    /// organization's 机关党委 members are 机关党员, its 离退休党总支 members 离退休党员.
    @Test func aCampaignForACategoryCountsOnlyItsMembers() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        let retiredFirst = "离退休党总支/第一党支部", retiredSecond = "离退休党总支/第二党支部"
        let id = try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let categories = try #require(
                try await admin.json(.get, "/api/member-categories").object["categories"] as? [[String: Any]])
            let retired = MemberCategoryID(
                Int64(try #require(categories.first { $0["name"] as? String == "离退休党员" }?["id"] as? Int)))
            var settings = climbSettings()
            settings.memberCategoryIds = [9_999]
            let unknown = try await admin.send(
                .post, "/api/campaigns", json: NewCampaignRequest(ownerUnitId: nil, settings: settings)
            ) { (Int($0.status.code), String(buffer: $0.body)) }
            #expect(unknown.0 == 422 && unknown.1.contains("没有编号为 9999 的党员类别"))
            settings.memberCategoryIds = [retired]
            let id = try await admin.createCampaign(settings: settings).campaign.id
            // 宋德明 (DG0022, retired) climbs; 王建国 (DG0001, an office member) is not part of this campaign.
            #expect(try await admin.memberPhone("DG0022").json(.post, "/api/climb/\(id)/attempts").status == 200)
            let office = try await admin.memberPhone("DG0001").json(.post, "/api/climb/\(id)/attempts")
            #expect(
                office.status == 403 && office.object["error"] as? String == "您不在本活动范围内 (not part of this campaign)")
            var today = try await DayReport.fetch(admin, campaign: id)
            #expect(today.total == (15, 1), "the 15 retired members, one of whom climbed")
            #expect(today.branches[Self.first]?.roster == 0 && today.branches[Self.first]?.participants == 0)
            #expect(today.branches[retiredFirst].map { [$0.roster, $0.participants] } == [7, 1])
            #expect(today.branches[retiredSecond]?.roster == 8)
            #expect(today.units["机关党委"].map { [$0.0, $0.1] } == [0, 0])
            try await today.expectBoardAgrees(admin, campaign: id)
            // The day view of an untargeted question: the campaign's retired members who are also 党务干部.
            let workers = try #require(categories.first { $0["name"] as? String == "党务干部" }?["id"] as? Int)
            let secretaries = try await admin.json(.get, "/api/campaigns/\(id)/participation?category=\(workers)")
            #expect(secretaries.status == 200)
            let secretaryTotal = secretaries.object["total"] as? [String: Any]
            #expect(secretaryTotal?["roster"] as? Int == 2 && secretaryTotal?["participants"] as? Int == 1)
            let refused = try await admin.json(.get, "/api/campaigns/\(id)/participation?category=x")
            #expect(refused.status == 400)
            let exported = try await Exported.fetch(admin, campaign: id, day: today.day)
            #expect(try #require(exported.csv[retiredFirst]) == (7, 1, 6))
            #expect(exported.csvTotal == (15, 1))

            // 郑淑芬 (DG0023) is no longer counted as retired: she leaves today's roster.
            #expect(try await admin.json(.patch, "/api/members/DG0023", ["categories": [String]()]).status == 200)
            today = try await DayReport.fetch(admin, campaign: id)
            #expect(today.total == (14, 1))
            #expect(today.branches[retiredFirst].map { [$0.roster, $0.participants] } == [6, 1])
            #expect(!(today.branches[retiredFirst]?.absent.contains("郑淑芬") ?? true))
            try await today.expectBoardAgrees(admin, campaign: id)
            return id
        }
        // A restarted server's board reads the same targeted roster.
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let today = try await DayReport.fetch(admin, campaign: id)
            #expect(today.total == (14, 1))
            try await today.expectBoardAgrees(admin, campaign: id)
        }
    }

    // MARK: - Helpers

    static func unitId(_ path: String, _ admin: SignedInClient) async throws -> Int64 {
        let units = try #require(try await admin.json(.get, "/api/units").object["units"] as? [[String: Any]])
        return Int64(try #require(units.first { $0["path"] as? String == path }?["id"] as? Int))
    }

    /// The room's board against the export's reading of the store for today; returns the board.
    @discardableResult
    func expectBoardAgrees(
        _ room: CampaignRoom, store: any Storage, campaign: CampaignID, roster: Int, today: Int
    ) async throws -> CampaignView.Board {
        let board = await room.boardView(at: await room.now())
        let (_, results, _) = try await CampaignExport.results(campaign: campaign, storage: store)
        let day = try #require(CampaignDay(board.today))
        let rows = results.rows(on: day)
        let (_, total) = results.rollUp(on: day)
        #expect(board.rosterCount == roster)
        #expect(total.roster == roster)
        #expect(board.participantsToday == today)
        #expect(total.participants == today)
        #expect(board.participants == results.leaderboard.count)
        // The reports' read of the attempts (rows and answer totals) says what the full one does, and the day view,
        // reading and counting only its day, what the results count for it.
        let summaries = try await CampaignExport.summaries(campaign: campaign, storage: store)
        #expect(summaries == (try await store.campaignAttempts(campaign).map(CampaignResults.AttemptSummary.init)))
        let (shown, participation, _, _) = try await CampaignExport.day(
            day, campaign: campaign, storage: store, now: Date())
        #expect(shown == day && participation.rows(on: day) == rows)
        #expect(Set(board.branches.map(\.id)) == Set(rows.filter { !$0.direct }.map(\.unitId)))
        for branch in board.branches {
            let row = try #require(rows.first { $0.unitId == branch.id && !$0.direct })
            #expect(branch.roster == row.roster.count, "\(branch.name)")
            #expect(branch.participants == results.board.totals(of: branch.id).participants, "\(branch.name)")
        }
        return board
    }
}

/// `GET /api/campaigns/:id/participation` for today, by name.
private struct DayReport {
    struct Group {
        var roster: Int
        var participants: Int
        var absent: [String]
    }

    var day: String
    var branches: [String: Group] = [:]
    var direct: [String: Group] = [:]
    var units: [String: (Int, Int)] = [:]
    var total: (Int, Int)

    static func fetch(_ admin: SignedInClient, campaign: CampaignID) async throws -> DayReport {
        let reply = try await admin.json(.get, "/api/campaigns/\(campaign)/participation")
        #expect(reply.status == 200)
        func groups(_ key: String) throws -> [String: Group] {
            var groups: [String: Group] = [:]
            for row in try #require(reply.object[key] as? [[String: Any]]) {
                let absent = (row["absent"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                groups[try #require(row["name"] as? String)] = Group(
                    roster: try #require(row["roster"] as? Int),
                    participants: try #require(row["participants"] as? Int), absent: absent)
            }
            return groups
        }
        let total = reply.object["total"] as? [String: Any]
        #expect(total != nil && reply.object["direct"] != nil && reply.object["units"] != nil)
        var result = DayReport(
            day: try #require(reply.object["day"] as? String), branches: try groups("branches"),
            direct: reply.object["direct"] == nil ? [:] : try groups("direct"),
            total: (total?["roster"] as? Int ?? -1, total?["participants"] as? Int ?? -1))
        for unit in reply.object["units"] as? [[String: Any]] ?? [] {
            let name = try #require(unit["name"] as? String)
            result.units[name] = (try #require(unit["roster"] as? Int), try #require(unit["participants"] as? Int))
        }
        return result
    }

    /// Every group's roster is its participants plus its absent; the groups add up to the total; every branch's
    /// roster is the unit's count of active members (`GET /api/units`, counted apart from the campaign code).
    func expectConsistent(with admin: SignedInClient) async throws {
        for (name, group) in branches.merging(direct, uniquingKeysWith: { first, _ in first }) {
            #expect(group.roster == group.participants + group.absent.count, "\(name)")
        }
        let groups = Array(branches.values) + Array(direct.values)
        let rosters: Int = groups.map(\.roster).reduce(0, +)
        let participants: Int = groups.map(\.participants).reduce(0, +)
        #expect(rosters == total.0)
        #expect(participants == total.1)
        let units = try #require(try await admin.json(.get, "/api/units").object["units"] as? [[String: Any]])
        for unit in units {
            let path = try #require(unit["path"] as? String)
            if let branch = branches[path] { #expect(branch.roster == unit["memberCount"] as? Int, "\(path)") }
            if let rolled = self.units[path] { #expect(rolled.0 == unit["totalMemberCount"] as? Int, "\(path)") }
        }
        #expect(total.0 == units.compactMap { $0["memberCount"] as? Int }.reduce(0, +))
    }

    /// The board's branches and totals are today's figures.
    func expectBoardAgrees(_ admin: SignedInClient, campaign: CampaignID) async throws {
        let board = try await admin.json(.get, "/api/campaigns/\(campaign)/board").object
        #expect(board["today"] as? String == day)
        #expect(board["rosterCount"] as? Int == total.0)
        #expect(board["participantsToday"] as? Int == total.1)
        let rows = try #require(board["branches"] as? [[String: Any]])
        #expect(rows.count == branches.count)
        for row in rows {
            let name = try #require(row["name"] as? String)
            #expect(row["roster"] as? Int == branches[name]?.roster, "\(name)")
        }
    }
}

/// Today's rows of the 每日参与 sheet as CSV and as XLSX: name → (当日在册, 参与人数, 未参与人数); and 每日汇总's 合计.
private struct Exported {
    var csv: [String: (Int, Int, Int)]
    var xlsx: [String: (Int, Int, Int)]
    var csvTotal: (Int, Int)

    static func fetch(_ admin: SignedInClient, campaign: CampaignID, day: String) async throws -> Exported {
        func text(_ sheet: String) async throws -> String {
            try await admin.execute(uri: "/api/campaigns/\(campaign)/results?format=csv&sheet=\(sheet)", method: .get) {
                response in
                #expect(response.status == .ok, "sheet \(sheet)")
                return String(buffer: response.body)
            }
        }
        func rows(_ lines: [[String]]) -> [String: (Int, Int, Int)] {
            var rows: [String: (Int, Int, Int)] = [:]
            for line in lines where line.count >= 6 && line[0] == day {
                rows[line[1]] = (Int(line[2]) ?? -1, Int(line[3]) ?? -1, Int(line[5]) ?? -1)
            }
            return rows
        }
        func lines(_ csv: String) -> [[String]] {
            csv.replacingOccurrences(of: "\u{FEFF}", with: "").split(whereSeparator: \.isNewline)
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        }
        let daily = lines(try await text("daily"))
        #expect(daily.first == ["日期", "支部", "当日在册", "参与人数", "参与率", "未参与人数"])
        let total = rows(lines(try await text("rollup")))["合计"] ?? (-1, -1, -1)
        let workbook = try await admin.execute(uri: "/api/campaigns/\(campaign)/results", method: .get) { response in
            Data(buffer: response.body)
        }
        return Exported(
            csv: rows(daily), xlsx: rows(try Self.sheet("每日参与", of: workbook)), csvTotal: (total.0, total.1))
    }

    /// A sheet of an XLSX workbook as rows of cell texts, read with the importers' own XLSX reader.
    static func sheet(_ name: String, of workbook: Data) throws -> [[String]] {
        let package = try XLSXPackage(data: workbook)
        let sheet = try #require(package.sheets.first { $0.name == name })
        final class Rows { var rows: [[String]] = [] }
        let collected = Rows()
        let handler = SheetRowsHandler(sheet: name, part: sheet.path, sharedStrings: try package.sharedStrings()) {
            _, cells in
            collected.rows.append((0..<((cells.keys.max() ?? -1) + 1)).map { cells[$0] ?? "" })
            return true
        }
        try package.scan(sheet.path, with: handler)
        return collected.rows
    }

    /// Today's rows are the endpoint's groups, and nothing else.
    func expectPartitionOf(_ today: DayReport) {
        let groups = today.branches.merging(
            today.direct.map { ($0.key + "（直属）", $0.value) }, uniquingKeysWith: { first, _ in first })
        #expect(Set(csv.keys) == Set(groups.keys))
        for (name, group) in groups {
            #expect(
                csv[name].map { [$0.0, $0.1, $0.2] } == [group.roster, group.participants, group.absent.count],
                "\(name)")
            #expect(
                xlsx[name].map { [$0.0, $0.1, $0.2] } == [group.roster, group.participants, group.absent.count],
                "\(name)")
        }
        #expect(csvTotal == today.total)
    }
}
