import DengaoCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer
@testable import DengaoStorage

/// Bands and rank tables with their change, on the real server with a real SQLite file: two contests of 机关党委
/// played over WebSockets (the second ranked against the first), and a campaign climbed on two days of a clock the
/// test moves (ranked against the end of the first day). Hand counts of the demo organization (第一 8 members,
/// 第二 7, 第三 6).
@Suite struct BandsAndRanksReportTests {
    typealias Report = ReportTests

    @Test func aContestsBranchesAreRankedAgainstTheOwnersPreviousContest() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let units = try await Report.unitIds(admin)
            let store = try TestBackend.storage(configuration)
            // First: DG0001 (第一) always right, DG0009 (第二) always wrong.
            let first = try await Self.play(
                admin, port: client.port!, store: store, owner: units["机关党委"],
                players: [.member("DG0001"), .member("DG0009")]
            ) { player, _ in player == 0 }
            let before = try await admin.json(.get, "/api/contests/\(first)/report").object
            let firstRanks = try #require(before["ranks"] as? [String: Any])
            #expect(firstRanks["previous"] == nil, "nothing of 机关党委 finished before it")
            let firstLines = try #require(firstRanks["lines"] as? [[String: Any]])
            #expect(firstLines.map { $0["movement"] as? String } == ["", ""])
            #expect(firstLines.first.flatMap { ($0["id"] as? Int).map(Int64.init) } == units[Report.first])

            // Second: DG0009 always right, DG0001 always wrong, a guest of 第三 right on question 1 only.
            let second = try await Self.play(
                admin, port: client.port!, store: store, owner: units["机关党委"],
                players: [.member("DG0001"), .member("DG0009"), .guest(units[Report.third]!)]
            ) { player, number in player == 1 || (player == 2 && number == 1) }
            let report = try await admin.json(.get, "/api/contests/\(second)/report").object
            let ranks = try #require(report["ranks"] as? [String: Any])
            #expect((ranks["previous"] as? String)?.contains("#\(first)") == true)
            #expect(ranks["measure"] as? String == "平均分 (mean score)")
            let lines = try #require(ranks["lines"] as? [[String: Any]])
            func unit(_ line: [String: Any]) -> Int64? { (line["id"] as? Int).map(Int64.init) }
            #expect(lines.map(unit) == [units[Report.second], units[Report.third], units[Report.first]])
            #expect(lines.map { $0["rank"] as? Int } == [1, 2, 3])
            #expect(lines.map { $0["previousRank"] as? Int } == [2, nil, 1])
            #expect(lines.map { $0["movement"] as? String } == ["▲1", "新", "▼2"])
            #expect(lines.map { $0["isNew"] as? Bool } == [false, true, false])
            #expect(lines.last?["value"] as? Double == 0, "DG0001 scored nothing")

            // Bands on the share of the three questions answered right: 100 % → 优秀; 1/3 and 0 → 待提高.
            let bands = try #require(report["bands"] as? [String: Any])
            #expect(bands["basis"] as? String == ContestReport.bandBasis)
            let overall = try #require(bands["overall"] as? [String: Any])
            #expect(overall["players"] as? Int == 3)
            #expect(overall["counts"] as? [Int] == [1, 0, 0, 2])
            let groups = try #require(bands["groups"] as? [[String: Any]])
            let secondBranch = try #require(groups.first { unit($0) == units[Report.second] })
            #expect(
                secondBranch["counts"] as? [Int] == [1, 0, 0, 0] && secondBranch["shares"] as? [Double] == [1, 0, 0, 0])

            // The downloads carry the same tables.
            let sheetNames = ((report["downloads"] as? [String: Any])?["sheets"] as? [[String: Any]])?.map {
                $0["sheet"] as? String
            }
            #expect(sheetNames == ["standings", "answers", "branches", "bands", "ranks", "memberCategories"])
            let rankSheet = try await Report.csvLines(admin, "/api/contests/\(second)/results?format=csv&sheet=ranks")
            #expect(rankSheet[0] == ["名次", "支部", "平均分 (mean score)", "上期名次", "变化"])
            #expect(
                rankSheet[1...3].map { [$0[0], $0[3], $0[4]] } == [
                    ["1", "2", "▲1"], ["2", "新", "新"], ["3", "1", "▼2"],
                ])
            #expect(rankSheet[1][1] == "第二党支部")
            let bandSheet = try await Report.csvLines(admin, "/api/contests/\(second)/results?format=csv&sheet=bands")
            let total = try #require(bandSheet.first { $0.first == "合计 (all)" })
            #expect(total == ["合计 (all)", "3", "1", "33.3%", "0", "0.0%", "0", "0.0%", "2", "66.7%"])
            let workbook = try await admin.execute(uri: "/api/contests/\(second)/results?format=xlsx", method: .get) {
                $0
            }
            #expect(workbook.status == .ok)
            #expect(try await admin.json(.get, "/api/contests/\(second)/results?format=csv&sheet=nope").status == 400)
        }
    }

    @Test func aCampaignsBranchesAreRankedAgainstTheEndOfThePreviousDay() async throws {
        let clock = ManualClock()
        let configuration = {
            var configuration = demoConfiguration()
            configuration.clock = clock
            return configuration
        }()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            var admin = try await client.signIn("root")
            let units = try await Report.unitIds(admin)
            let key = try await trueFalseKey(in: configuration)
            // The campaign opens today (by the clock), so its first day has nothing before it.
            var settings = climbSettings(levels: 2, questions: 3)
            let zone = TimeZone(identifier: settings.timeZone)!
            settings.startDate = CampaignCalendar.day(of: clock.nowMilliseconds(), in: zone).description
            let id = try await admin.createCampaign(settings: settings).campaign.id
            // Day 1: DG0009 (第二) climbs both levels.
            let phone = try await admin.memberPhone("DG0009")
            for _ in 0..<2 { try await Report.passLevel(phone, campaign: id, key: key) }
            let dayOne = try #require(
                (try await admin.json(.get, "/api/campaigns/\(id)/report").object["headline"] as? [String: Any])?[
                    "latestDay"] as? String)
            let early = try #require(
                try await admin.json(.get, "/api/campaigns/\(id)/report").object["ranks"] as? [String: Any])
            #expect(early["previous"] == nil, "the campaign's first day: nothing before it")

            // Day 2: DG0016 (第三, 6 members) climbs both levels, DG0001 (第一, 8 members) one.
            clock.advance(by: .seconds(86_400))
            // A day on the server's clock is past the console session's 12 idle hours: the organizer signs in again.
            admin = try await client.signIn("root")
            for (number, levels) in [("DG0016", 2), ("DG0001", 1)] {
                let phone = try await admin.memberPhone(number)
                for _ in 0..<levels { try await Report.passLevel(phone, campaign: id, key: key) }
            }
            let report = try await admin.json(.get, "/api/campaigns/\(id)/report").object
            #expect((report["headline"] as? [String: Any])?["latestDay"] as? String != dayOne)
            let ranks = try #require(report["ranks"] as? [String: Any])
            #expect((ranks["previous"] as? String)?.contains(dayOne) == true)
            let lines = try #require(ranks["lines"] as? [[String: Any]])
            let byUnit = Dictionary(uniqueKeysWithValues: lines.map { (Int64($0["id"] as! Int), $0) })
            func figures(_ path: String) -> [String] {
                let line = byUnit[units[path]!]
                return [
                    "\(line?["rank"] as? Int ?? -1)", "\(line?["previousRank"] as? Int ?? -1)",
                    line?["movement"] as? String ?? "?",
                ]
            }
            // Yesterday 第二 led and everyone else tied at 0 (rank 2); today 第三 (1/6 took part) leads 第二 (1/7) and
            // 第一 (1/8), and every other branch ties behind them.
            #expect(figures(Report.third) == ["1", "2", "▲1"])
            #expect(figures(Report.second) == ["2", "1", "▼1"])
            #expect(figures(Report.first) == ["3", "2", "▼1"])
            for line in lines
            where ![Report.first, Report.second, Report.third].map({ units[$0] }).contains(Int64(line["id"] as! Int)) {
                #expect(
                    line["rank"] as? Int == 4 && line["previousRank"] as? Int == 2
                        && line["movement"] as? String == "▼2")
            }
            // The board's own ranks are the table's.
            let groups = try #require(report["groups"] as? [[String: Any]])
            for group in groups where group["direct"] as? Bool == false {
                #expect(byUnit[Int64(group["id"] as! Int)]?["rank"] as? Int == group["rank"] as? Int)
            }

            // Bands on height / 2 levels, participants only: two at 100 % (优秀), DG0001 at 50 % (待提高).
            let bands = try #require(report["bands"] as? [String: Any])
            #expect((bands["overall"] as? [String: Any])?["counts"] as? [Int] == [2, 0, 0, 1])
            let bandGroups = try #require(bands["groups"] as? [[String: Any]])
            let firstBranch = try #require(
                bandGroups.first { ($0["id"] as? Int).map(Int64.init) == units[Report.first] })
            #expect(firstBranch["players"] as? Int == 1 && firstBranch["counts"] as? [Int] == [0, 0, 0, 1])

            let rankSheet = try await Report.csvLines(admin, "/api/campaigns/\(id)/results?format=csv&sheet=ranks")
            #expect(rankSheet[0] == ["名次", "支部", "综合得分 (composite)", "上期名次", "变化"])
            #expect(
                rankSheet[1][1] == Report.third && rankSheet[1][4] == "▲1",
                "the whole organization's campaign names paths")
            #expect(rankSheet.last?.first == "对比" && rankSheet.last?.last?.contains(dayOne) == true)
            let bandSheet = try await Report.csvLines(admin, "/api/campaigns/\(id)/results?format=csv&sheet=bands")
            #expect(
                bandSheet.first { $0.first == "合计 (all)" } == [
                    "合计 (all)", "3", "2", "66.7%", "0", "0.0%", "0", "0.0%", "1", "33.3%",
                ])
        }
    }

    enum Player {
        case member(String)
        case guest(Int64)
    }

    /// Plays a contest of `owner` over WebSockets to the end: every player answers every question, right when
    /// `correct(player index, question number)`; returns its id.
    static func play(
        _ admin: SignedInClient, port: Int, store: any Storage, owner: Int64?, players roles: [Player],
        correct: (Int, Int) -> Bool
    ) async throws -> Int64 {
        let created = try await admin.createContest(ownerUnitId: owner, settings: sampleSettings())
        let questions = try await store.contestQuestions(ContestID(created.contest.id))
        let host = WSPeer(port: port, cookie: admin.cookie)
        host.send(["type": "host", "contestId": created.contest.id])
        _ = try await host.next("welcome")
        var players: [WSPeer] = []
        for role in roles {
            let player: WSPeer
            switch role {
            case .member(let number):
                player = WSPeer(port: port, cookie: try await admin.memberPhone(number).cookie)
                player.send(["type": "join", "v": 1, "pin": created.contest.pin])
            case .guest(let branch):
                player = WSPeer(port: port)
                player.send([
                    "type": "join", "v": 1, "pin": created.contest.pin, "name": "访客\(players.count)",
                    "branchId": branch,
                ])
            }
            _ = try await player.next("welcome")
            players.append(player)
        }
        for question in questions {
            host.send(["type": "command", "command": "next"])
            for (index, player) in players.enumerated() {
                let state = try await player.next("state") {
                    ($0["question"] as? [String: Any])?["number"] as? Int == question.number
                }
                let shown = (state["question"] as! [String: Any])["options"] as? [String] ?? []
                player.send(
                    answerMessage(
                        for: question.question, number: question.number, options: shown,
                        correct: correct(index, question.number)))
                #expect(try await player.next("ack")["status"] as? String == "accepted")
            }
            host.send(["type": "command", "command": "reveal"])
            for player in players { _ = try await player.next("reveal") { $0["number"] as? Int == question.number } }
        }
        host.send(["type": "command", "command": "finish"])
        _ = try await players[0].next("state") { $0["phase"] as? String == "finished" }
        for peer in players + [host] { await peer.close() }
        return created.contest.id
    }
}
