import DengaoCore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer
@testable import DengaoStorage

/// The results page's report endpoints on the real server: the figures of a played contest and of a campaign with
/// known climbs, checked against the exports' own sheets and against hand counts of the demo organization
/// (机关党委: 第一 DG0001–0008, 第二 DG0009–0015, 第三党支部 DG0016–0021; 离退休党总支: 15 members); scope and
/// set-aside refused like the downloads.
@Suite struct ReportTests {
    static let first = "机关党委/第一党支部", second = "机关党委/第二党支部", third = "机关党委/第三党支部"

    @Test func aPlayedContestsReportAgreesWithItsStandingsAndTheRoster() async throws {
        let configuration = {
            var configuration = demoConfiguration()
            configuration.timeZone = TimeZone(identifier: "America/New_York")!
            return configuration
        }()
        try await addAccount("root", in: configuration)
        let contestId = try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let units = try await Self.unitIds(admin)
            let created = try await admin.createContest(ownerUnitId: units["机关党委"], settings: sampleSettings())
            let empty = try await admin.json(.get, "/api/contests/\(created.contest.id)/report")
            #expect(empty.status == 200)
            let emptyHeadline = try #require(empty.object["headline"] as? [String: Any])
            #expect(emptyHeadline["players"] as? Int == 0)
            #expect(emptyHeadline["meanScore"] == nil, "nobody played: no mean, not NaN")
            #expect(emptyHeadline["roster"] as? Int == 21)

            let port = client.port!
            let store = try TestBackend.storage(configuration)
            let questions = try await store.contestQuestions(ContestID(created.contest.id))
            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": created.contest.id])
            _ = try await host.next("welcome")
            // 王建国 (DG0001, 第一) always right; DG0009 (第二) always wrong; a guest in 第三 right on question 1 only.
            var players: [WSPeer] = []
            for number in ["DG0001", "DG0009"] {
                let phone = try await admin.memberPhone(number)
                let player = WSPeer(port: port, cookie: phone.cookie)
                player.send(["type": "join", "v": 1, "pin": created.contest.pin])
                _ = try await player.next("welcome")
                players.append(player)
            }
            let guest = WSPeer(port: port)
            guest.send([
                "type": "join", "v": 1, "pin": created.contest.pin, "name": "访客甲", "branchId": units[Self.third]!,
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
                    let correct = index == 0 || (index == 2 && question.number == 1)
                    player.send(
                        answerMessage(for: question.question, number: question.number, options: shown, correct: correct)
                    )
                    #expect(try await player.next("ack")["status"] as? String == "accepted")
                }
                host.send(["type": "command", "command": "reveal"])
                for player in players {
                    _ = try await player.next("reveal") { $0["number"] as? Int == question.number }
                }
            }
            host.send(["type": "command", "command": "finish"])
            // The finished state itself: a leaderboard can still be the one pushed after the last reveal.
            _ = try await players[0].next("state") { $0["phase"] as? String == "finished" }

            let report = try await admin.json(.get, "/api/contests/\(created.contest.id)/report")
            #expect(report.status == 200)
            let object = report.object
            #expect(object["kind"] as? String == "contest")
            #expect(object["title"] as? String == "测试竞赛")
            #expect(object["timeZone"] as? String == "America/New_York")
            #expect(object["status"] as? String == "finished")

            // The standings as the export writes them: the independent reading of the same journal.
            let standings = try await Self.csvLines(
                admin, "/api/contests/\(created.contest.id)/results?format=csv&sheet=standings")
            #expect(standings[0] == ["名次", "姓名", "党员编号", "支部", "得分", "答对", "作答", "身份"])
            let scores = standings.dropFirst().map { Int($0[4])! }
            let memberScores = standings.dropFirst().filter { $0[7] == "党员" }.map { Int($0[4])! }
            #expect(scores.count == 3 && scores[0] > 0)
            let headline = try #require(object["headline"] as? [String: Any])
            #expect(headline["players"] as? Int == 3)
            #expect(headline["members"] as? Int == 2)
            #expect(headline["guests"] as? Int == 1)
            #expect(headline["questions"] as? Int == 3)
            #expect(headline["roster"] as? Int == 21, "机关党委's three branches")
            #expect(headline["rosterParticipants"] as? Int == 2)
            #expect(abs((headline["participationRate"] as? Double ?? 0) - 2.0 / 21) < 1e-12)
            #expect(abs((headline["meanScore"] as? Double ?? 0) - Double(scores.reduce(0, +)) / 3) < 1e-9)
            #expect(headline["medianScore"] as? Double == Double(scores.sorted()[1]))
            #expect(
                abs((headline["meanScoreOverRoster"] as? Double ?? 0) - Double(memberScores.reduce(0, +)) / 21) < 1e-9)

            let participation = try #require(object["participation"] as? [String: Any])
            let groups = try #require(participation["groups"] as? [[String: Any]])
            func group(_ path: String) -> [Int] {
                let row = groups.first { ($0["id"] as? Int).map(Int64.init) == units[path] }
                return [row?["roster"] as? Int ?? -1, row?["participants"] as? Int ?? -1]
            }
            #expect(group(Self.first) == [8, 1])
            #expect(group(Self.second) == [7, 1])
            #expect(group(Self.third) == [6, 0], "a guest is no roster member")
            let rolled = try #require(participation["units"] as? [[String: Any]])
            #expect(rolled.map { $0["name"] as? String } == ["机关党委"])
            #expect(rolled.first?["roster"] as? Int == 21 && rolled.first?["participants"] as? Int == 2)
            let total = try #require(participation["total"] as? [String: Any])
            #expect(total["roster"] as? Int == 21 && total["participants"] as? Int == 2)

            let branches = try #require(object["branches"] as? [[String: Any]])
            #expect(branches.count == 3)
            let byName = Dictionary(uniqueKeysWithValues: standings.dropFirst().map { ($0[1], Int($0[4])!) })
            let firstBranch = try #require(branches.first { ($0["id"] as? Int).map(Int64.init) == units[Self.first] })
            #expect(firstBranch["meanScore"] as? Double == Double(byName["王建国"]!))
            #expect(firstBranch["medianScore"] as? Double == Double(byName["王建国"]!))
            let histogram = try #require(object["histogram"] as? [[String: Any]])
            #expect(histogram.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == 3)
            for score in scores {
                #expect(
                    histogram.filter {
                        ($0["from"] as! Int) <= score && score <= ($0["to"] as! Int) && ($0["count"] as! Int) > 0
                    }.count == 1)
            }
            let top = try #require(object["top"] as? [[String: Any]])
            #expect(top.map { $0["name"] as? String } == standings.dropFirst().map { $0[1] })
            #expect(top.first?["name"] as? String == "王建国")

            // Every download the page offers answers, and no answer time is epoch milliseconds: it is the
            // organization's local time (New York here), within a minute of now.
            let downloads = try #require(object["downloads"] as? [String: Any])
            #expect(downloads["workbook"] as? String == "/api/contests/\(created.contest.id)/results?format=xlsx")
            let sheets = try #require(downloads["sheets"] as? [[String: Any]])
            #expect(
                sheets.map { $0["sheet"] as? String } == [
                    "standings", "answers", "branches", "bands", "ranks", "memberCategories",
                ])
            for sheet in sheets {
                let lines = try await Self.csvLines(admin, sheet["csv"] as! String)
                #expect(lines.count > 1, "\(sheet["sheet"]!)")
                for line in lines.dropFirst() {
                    for field in line { #expect(Int64(field).map { abs($0) < 1_000_000_000_000 } ?? true) }
                }
            }
            let answers = try await Self.csvLines(
                admin, "/api/contests/\(created.contest.id)/results?format=csv&sheet=answers")
            let column = try #require(answers[0].firstIndex(of: "作答时间"))
            #expect(answers.count == 1 + 9)
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "America/New_York")
            formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
            for line in answers.dropFirst() {
                let when = try #require(formatter.date(from: line[column]), "\(line[column])")
                #expect(abs(when.timeIntervalSinceNow) < 120)
            }
            // Item analysis over the same answers: three seats saw the three questions; 王建国 always right, DG0009
            // always wrong, the guest right on question 1 only.
            let items = try await admin.json(.get, "/api/contests/\(created.contest.id)/items")
            #expect(items.status == 200)
            let test = try #require(items.object["test"] as? [String: Any])
            #expect(test["count"] as? Int == 3 && test["slotCount"] as? Int == 3)
            #expect(abs((test["mean"] as? Double ?? 0) - (100 + 0 + 100.0 / 3) / 3) < 1e-9)
            let lines = try #require(items.object["questions"] as? [[String: Any]])
            #expect(lines.map { $0["place"] as? String } == ["第01题", "第02题", "第03题"])
            let facilities = lines.map { $0["facilityIndex"] as? Double ?? -1 }
            #expect(
                abs(facilities[0] - 200.0 / 3) < 1e-9 && abs(facilities[1] - 100.0 / 3) < 1e-9
                    && abs(facilities[2] - 100.0 / 3) < 1e-9)
            for line in lines {
                #expect(line["count"] as? Int == 3 && line["answeredCount"] as? Int == 3)
                #expect((line["link"] as? String)?.hasPrefix("/banks.html?bank=") == true)
                #expect(line["stem"] as? String != nil && line["answer"] as? String != nil)
                let options = line["options"] as? [[String: Any]] ?? []
                if line["type"] as? String != "fill" {
                    #expect(options.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } >= 3, "every seat chose something")
                    #expect(options.contains { $0["isKey"] as? Bool == true })
                }
            }
            let matrix = try #require(items.object["categories"] as? [String: Any])
            let unitNames = Set((matrix["units"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
            #expect(unitNames == ["第一党支部", "第二党支部", "第三党支部"], "the guest counts in the branch it played for")
            let questionSheet = try await Self.csvLines(
                admin, "/api/contests/\(created.contest.id)/items?format=csv&sheet=questions")
            #expect(questionSheet.first?.first == "题目" && questionSheet.count == 4)
            let optionSheet = try await Self.csvLines(
                admin, "/api/contests/\(created.contest.id)/items?format=csv&sheet=options")
            #expect(optionSheet.first == ["题目", "选项", "内容", "正确", "人次", "比例(%)", "点二列相关"])
            for peer in players + [host] { await peer.close() }
            return created.contest.id
        }
        try await Self.expectScopeAndSetAside(configuration, kind: "contest", id: contestId)
    }

    @Test func aCampaignsReportCountsTheRosterAsTheExportsDo() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        let campaignId = try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let units = try await Self.unitIds(admin)
            let id = try await admin.createCampaign(settings: climbSettings(levels: 2, questions: 3)).campaign.id
            let empty = try await admin.json(.get, "/api/campaigns/\(id)/report")
            #expect(empty.status == 200)
            #expect((empty.object["headline"] as? [String: Any])?["meanHeightOverParticipants"] == nil)

            // 王建国 (DG0001) climbs both levels, DG0009 one, DG0022 (离退休) starts an attempt and stops.
            let key = try await trueFalseKey(in: configuration)
            for (number, levels) in [("DG0001", 2), ("DG0009", 1)] {
                let phone = try await admin.memberPhone(number)
                for _ in 0..<levels { try await Self.passLevel(phone, campaign: id, key: key) }
            }
            #expect(try await admin.memberPhone("DG0022").json(.post, "/api/climb/\(id)/attempts").status == 200)

            let report = try await admin.json(.get, "/api/campaigns/\(id)/report")
            #expect(report.status == 200)
            let object = report.object
            #expect(object["kind"] as? String == "campaign")
            #expect(object["status"] as? String == "open")
            #expect(object["timeZone"] as? String == "Asia/Shanghai")
            let headline = try #require(object["headline"] as? [String: Any])
            #expect(headline["roster"] as? Int == 36)
            #expect(headline["participants"] as? Int == 3)
            #expect(abs((headline["coverageRate"] as? Double ?? 0) - 3.0 / 36) < 1e-12)
            #expect(headline["latestDayParticipants"] as? Int == 3)
            #expect(headline["latestDayRoster"] as? Int == 36)
            #expect(headline["levels"] as? Int == 2)
            #expect(headline["meanHeightOverParticipants"] as? Double == 1.0, "(2 + 1 + 0) / 3")
            #expect(headline["medianHeightOverParticipants"] as? Double == 1.0)
            #expect(
                abs((headline["meanHeightOverRoster"] as? Double ?? 0) - 3.0 / 36) < 1e-12, "non-participants count 0")

            // Per group, exactly the 支部 sheet's figures.
            let branchSheet = try await Self.csvLines(admin, "/api/campaigns/\(id)/results?format=csv&sheet=branches")
            let groups = try #require(object["groups"] as? [[String: Any]])
            #expect(groups.count == branchSheet.count - 1)
            for line in branchSheet.dropFirst() {
                let group = try #require(groups.first { $0["name"] as? String == line[1] }, "\(line[1])")
                #expect(group["roster"] as? Int == Int(line[2]))
                #expect(group["participants"] as? Int == Int(line[3]))
                #expect(String(format: "%.2f", group["meanHeightOverRoster"] as? Double ?? -1) == line[5])
            }
            let firstGroup = try #require(groups.first { ($0["id"] as? Int).map(Int64.init) == units[Self.first] })
            #expect(firstGroup["meanHeightOverParticipants"] as? Double == 2.0)
            #expect(abs((firstGroup["meanHeightOverRoster"] as? Double ?? 0) - 2.0 / 8) < 1e-12)
            let participation = try #require(object["participation"] as? [String: Any])
            let rolled = try #require(participation["units"] as? [[String: Any]])
            let counts = Dictionary(
                uniqueKeysWithValues: rolled.map {
                    ($0["name"] as! String, [$0["roster"] as! Int, $0["participants"] as! Int])
                })
            #expect(counts["机关党委"] == [21, 2])
            #expect(counts["离退休党总支"] == [15, 1])
            let total = try #require(participation["total"] as? [String: Any])
            #expect(total["roster"] as? Int == 36 && total["participants"] as? Int == 3)

            let histogram = try #require(object["histogram"] as? [[String: Any]])
            #expect(histogram.map { $0["from"] as? Int } == [0, 1, 2])
            #expect(histogram.map { $0["count"] as? Int } == [1, 1, 1])
            let trend = try #require(object["trend"] as? [[String: Any]])
            #expect(trend.last?["participants"] as? Int == 3)
            #expect(trend.last?["day"] as? String == headline["latestDay"] as? String)
            let top = try #require(object["top"] as? [[String: Any]])
            #expect(top.first?["name"] as? String == "王建国" && top.first?["height"] as? Int == 2)
            #expect(top.count == 3)

            // Item analysis: three level tries, every question answered right (true/false: 对 is option 0); the
            // attempt DG0022 only started has no answer yet and is no row of the matrix.
            let items = try await admin.json(.get, "/api/campaigns/\(id)/items")
            #expect(items.status == 200)
            #expect((items.object["test"] as? [String: Any])?["count"] as? Int == 3)
            let lines = try #require(items.object["questions"] as? [[String: Any]])
            #expect(lines.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == 9, "three tries of three questions")
            for line in lines {
                #expect(line["facilityIndex"] as? Double == 100)
                #expect((line["place"] as? String)?.hasPrefix("党章党规党纪 v1 第") == true)
                #expect((line["options"] as? [[String: Any]])?.map { $0["label"] as? String } == ["对", "错"])
            }
            // The bank's analysis sees the same answers, from every activity that drew on it.
            let bank = try await admin.json(.get, "/api/banks/\(segment("党章党规党纪"))/items")
            #expect(bank.status == 200)
            #expect((bank.object["test"] as? [String: Any])?["count"] as? Int == 3)
            #expect((bank.object["questions"] as? [[String: Any]])?.count == lines.count)
            #expect(try await admin.json(.get, "/api/banks/\(segment("无此题库"))/items").status == 404)

            let downloads = try #require(object["downloads"] as? [String: Any])
            let sheets = try #require(downloads["sheets"] as? [[String: Any]])
            #expect(sheets.map { $0["sheet"] as? String } == CampaignExport.sheetNames)
            for sheet in sheets {
                let lines = try await Self.csvLines(admin, sheet["csv"] as! String)
                #expect(lines.count > 1)
                for line in lines.dropFirst() {
                    for field in line { #expect(Int64(field).map { abs($0) < 1_000_000_000_000 } ?? true) }
                }
            }
            return id
        }
        try await Self.expectScopeAndSetAside(configuration, kind: "campaign", id: campaignId.rawValue)
    }

    /// A campaign's sheets and report go by the campaign's own zone, not the server's or the organization's: in
    /// Pago Pago (UTC−11) the day is usually another one than in UTC or Shanghai.
    @Test func aCampaignsDaysAreItsOwnZones() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Pacific/Pago_Pago")!
            func day(_ date: Date) -> String {
                let parts = calendar.dateComponents([.year, .month, .day], from: date)
                return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
            }
            // The local date before and after the requests: one date, unless Pago Pago's midnight fell between.
            let before = day(Date())
            let admin = try await client.signIn("root")
            var settings = climbSettings()
            settings.timeZone = "Pacific/Pago_Pago"
            let id = try await admin.createCampaign(settings: settings).campaign.id
            #expect(try await admin.memberPhone("DG0001").json(.post, "/api/climb/\(id)/attempts").status == 200)
            let report = try await admin.json(.get, "/api/campaigns/\(id)/report").object
            var lastDays: [String: String] = [:]
            for sheet in ["daily", "rollup"] {
                let lines = try await Self.csvLines(admin, "/api/campaigns/\(id)/results?format=csv&sheet=\(sheet)")
                #expect(lines[0][0] == "日期")
                lastDays[sheet] = lines.last?[0]
            }
            let participants = try await Self.csvLines(
                admin, "/api/campaigns/\(id)/results?format=csv&sheet=participants")
            let today: Set = [before, day(Date())]

            #expect(report["timeZone"] as? String == "Pacific/Pago_Pago")
            #expect(today.contains((report["headline"] as? [String: Any])?["latestDay"] as? String ?? ""))
            #expect(today.contains(String((report["generatedAt"] as? String ?? "").prefix(10))))
            for (sheet, last) in lastDays { #expect(today.contains(last), "\(sheet): \(last)") }
            let climbed = try #require(participants.first { $0.first == "王建国" })
            #expect(today.contains(climbed.last ?? ""), "\(climbed)")
        }
    }

    /// An organizer of 离退休党总支 is refused the 机关党委 / whole-organization activity as the download refuses
    /// them; once the activity is set aside, its report answers 409 set-aside like the download.
    static func expectScopeAndSetAside(_ configuration: AppConfiguration, kind: String, id: Int64) async throws {
        let store = try TestBackend.storage(configuration)
        let retired = try #require(try await store.orgTree().depthFirst().first { $0.unit.name == "离退休党总支" }?.unit.id)
        try await addAccount("retired", role: .organizer, unit: retired, in: configuration)
        try await withLiveApp(configuration) { client in
            let organizer = try await client.signIn("retired")
            let report = try await organizer.json(.get, "/api/\(kind)s/\(id)/report")
            let download = try await organizer.json(.get, "/api/\(kind)s/\(id)/results")
            #expect(report.status == download.status)
            #expect(try await organizer.json(.get, "/api/\(kind)s/\(id)/items").status == download.status)
            #expect([403, 404].contains(report.status))
            let missing = try await organizer.json(.get, "/api/\(kind)s/999999/report")
            #expect([403, 404].contains(missing.status))
        }
        try await markLoadInterrupted(store, kind: kind, id: id)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let report = try await admin.json(.get, "/api/\(kind)s/\(id)/report")
            let download = try await admin.json(.get, "/api/\(kind)s/\(id)/results?format=csv")
            #expect(report.status == 409 && download.status == 409)
            #expect(try await admin.json(.get, "/api/\(kind)s/\(id)/items").status == 409)
            #expect(report.object["code"] as? String == "set-aside")
        }
    }

    /// As a load the process died in (begun, never finished): the next start sets the activity aside.
    static func markLoadInterrupted(_ store: any Storage, kind: String, id: Int64) async throws {
        _ = try await store.beginLoading(kind == "contest" ? .contest : .campaign, id: id)
    }

    /// Every question of the next level (three of them) answered right.
    static func passLevel(_ phone: SignedInClient, campaign id: CampaignID, key: [String: Bool]) async throws {
        var (status, attempt) = try await phone.json(.post, "/api/climb/\(id)/attempts")
        #expect(status == 200)
        let seq = try #require(attempt["seq"] as? Int)
        for index in 0..<3 {
            if index > 0 { attempt = try await phone.json(.get, "/api/climb/\(id)/attempts/\(seq)").object }
            let question = try #require(attempt["question"] as? [String: Any])
            let truth = try #require(key[question["stem"] as! String] as Bool?)
            let reply = try await phone.json(
                .post, "/api/climb/\(id)/attempts/\(seq)/answers", ["index": index, "truth": truth])
            #expect(reply.status == 200)
            attempt = try #require(reply.object["attempt"] as? [String: Any])
        }
        #expect(attempt["status"] as? String == "passed")
    }

    static func unitIds(_ admin: SignedInClient) async throws -> [String: Int64] {
        let units = try #require(try await admin.json(.get, "/api/units").object["units"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: units.map { ($0["path"] as! String, Int64($0["id"] as! Int)) })
    }

    /// A CSV download split into lines and fields (the test data has no quoted commas).
    static func csvLines(_ client: SignedInClient, _ uri: String) async throws -> [[String]] {
        try await client.execute(uri: uri, method: .get) { response in
            #expect(response.status == .ok, "\(uri)")
            var text = String(buffer: response.body)
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            return text.split(separator: "\r\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
        }
    }
}
