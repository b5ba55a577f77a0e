import DengaoCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer
@testable import DengaoStorage

/// The organization's participation report on the real server, over the demo organization (机关党委: 21 members in
/// three branches; 离退休党总支: 15): figures against hand counts, the 未参与名单, the downloads, scope and bad input.
@Suite struct ParticipationReportTests {
    @Test func theOrganizationsReportCountsEveryoneWhoClimbedAgainstTheRoster() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let units = try await ReportTests.unitIds(admin)
            let nobody = try await admin.json(.get, "/api/reports/participation")
            #expect(nobody.status == 200)
            #expect(
                (nobody.object["overall"] as? [String: Any]).flatMap { $0["total"] as? [String: Any] }?["participants"]
                    as? Int == 0)

            // DG0001 and DG0009 (机关党委) climb, DG0022 (离退休) starts an attempt: all three took part today.
            let id = try await admin.createCampaign(settings: climbSettings(levels: 2, questions: 3)).campaign.id
            let key = try await trueFalseKey(in: configuration)
            for number in ["DG0001", "DG0009"] {
                try await ReportTests.passLevel(try await admin.memberPhone(number), campaign: id, key: key)
            }
            #expect(try await admin.memberPhone("DG0022").json(.post, "/api/climb/\(id)/attempts").status == 200)

            let report = try await admin.json(.get, "/api/reports/participation?period=week")
            #expect(report.status == 200)
            #expect(report.object["unitName"] as? String == "全组织")
            #expect(report.object["period"] as? String == "week")
            let overall = try #require((report.object["overall"] as? [String: Any])?["total"] as? [String: Any])
            #expect(
                overall["roster"] as? Int == 36 && overall["participants"] as? Int == 3
                    && overall["absent"] as? Int == 33)
            #expect(abs((overall["rate"] as? Double ?? 0) - 3.0 / 36) < 1e-12)
            let periods = try #require(report.object["periods"] as? [[String: Any]])
            let latest = try #require(periods.last?["total"] as? [String: Any])
            #expect(latest["participants"] as? Int == 3, "today is in the last week")
            #expect(periods.dropLast().allSatisfy { ($0["total"] as? [String: Any])?["participants"] as? Int == 0 })
            let lines = try #require(report.object["units"] as? [[String: Any]])
            func line(_ name: String) -> [String: Any]? { lines.first { $0["name"] as? String == name } }
            let committee = try #require(line("机关党委")?["overall"] as? [String: Any])
            #expect(committee["roster"] as? Int == 21 && committee["participants"] as? Int == 2)
            let first = try #require(lines.first { ($0["unitId"] as? Int).map(Int64.init) == units[ReportTests.first] })
            #expect(first["branch"] as? Bool == true)
            #expect((first["overall"] as? [String: Any])?["participants"] as? Int == 1)
            #expect((first["periods"] as? [Any])?.count == periods.count)

            // Branches ranked by rate: 第二党支部 (DG0009, 1 of 7) and DG0022's branch (1 of 7) share the first place,
            // 第一党支部 (1 of 8) is third, the rest share the fourth. The members were created today, so the previous
            // range had nobody on its rosters: no comparison.
            let standings = try #require(report.object["standings"] as? [[String: Any]])
            #expect(standings.count == 5)
            #expect(standings.map { $0["rank"] as? Int } == [1, 1, 3, 4, 4])
            #expect((standings[0]["unitId"] as? Int).map(Int64.init) == units[ReportTests.second])
            #expect((standings[2]["unitId"] as? Int).map(Int64.init) == units[ReportTests.first])
            #expect(standings.allSatisfy { $0["previousRank"] == nil && $0["rankChange"] == nil })
            let previous = try #require((report.object["previous"] as? [String: Any])?["total"] as? [String: Any])
            #expect(previous["roster"] as? Int == 0 && previous["rate"] == nil)

            // The 未参与名单 of 第一党支部: its eight members but DG0001.
            let absent = try await admin.json(
                .get, "/api/reports/participation?period=week&absent=\(units[ReportTests.first]!)")
            #expect(absent.status == 200)
            let numbers = try #require(absent.object["members"] as? [[String: Any]]).compactMap {
                $0["number"] as? String
            }
            #expect(numbers == (2...8).map { String(format: "DG%04d", $0) })

            // The downloads: the same figures, every absent member once, no epoch milliseconds.
            let rates = try await ReportTests.csvLines(
                admin, "/api/reports/participation?period=week&format=csv&sheet=rates")
            #expect(rates.first == ["期间", "单位", "应参人数", "参与人数", "参与率"])
            let total = try #require(rates.last { $0[1] == "机关党委" && $0[0].hasPrefix("合计") })
            #expect(total[2] == "21" && total[3] == "2" && total[4] == "9.5%")
            let absentSheet = try await ReportTests.csvLines(
                admin, "/api/reports/participation?format=csv&sheet=absent")
            #expect(absentSheet.count == 1 + 33)
            #expect(Set(absentSheet.dropFirst().map { $0[1] }).count == 33)
            #expect(!absentSheet.contains { ["DG0001", "DG0009", "DG0022"].contains($0[1]) })
            let workbook = try await admin.execute(uri: "/api/reports/participation?format=xlsx", method: .get) {
                response in
                (response.status, Array(response.body.readableBytesView.prefix(2)))
            }
            #expect(workbook.0 == .ok && workbook.1 == Array("PK".utf8))

            #expect(try await admin.memberPhone("DG0001").json(.get, "/api/reports/participation").status == 403)

            // Joining a live contest as a member is taking part too: DG0016 (第三党支部) joins; a guest counts nowhere.
            let contest = try await admin.createContest(ownerUnitId: units["机关党委"], settings: sampleSettings())
            let player = WSPeer(port: client.port!, cookie: try await admin.memberPhone("DG0016").cookie)
            player.send(["type": "join", "v": 1, "pin": contest.contest.pin])
            _ = try await player.next("welcome")
            let guest = WSPeer(port: client.port!)
            guest.send([
                "type": "join", "v": 1, "pin": contest.contest.pin, "name": "访客乙",
                "branchId": units[ReportTests.third]!,
            ])
            _ = try await guest.next("welcome")
            let after = try await admin.json(.get, "/api/reports/participation?period=week")
            let afterTotal = try #require((after.object["overall"] as? [String: Any])?["total"] as? [String: Any])
            #expect(afterTotal["roster"] as? Int == 36 && afterTotal["participants"] as? Int == 4)
            let third = try #require(
                (after.object["units"] as? [[String: Any]])?.first {
                    ($0["unitId"] as? Int).map(Int64.init) == units[ReportTests.third]
                })
            #expect((third["overall"] as? [String: Any])?["participants"] as? Int == 1)
            await player.close()
            await guest.close()
        }
        // An organizer reads their own subtree by default, and nothing outside it.
        let store = try TestBackend.storage(configuration)
        let retired = try #require(try await store.orgTree().depthFirst().first { $0.unit.name == "离退休党总支" }?.unit.id)
        let committee = try #require(try await store.orgTree().depthFirst().first { $0.unit.name == "机关党委" }?.unit.id)
        try await addAccount("retired", role: .organizer, unit: retired, in: configuration)
        try await withLiveApp(configuration) { client in
            let organizer = try await client.signIn("retired")
            let own = try await organizer.json(.get, "/api/reports/participation")
            #expect(own.status == 200)
            let ownTotal = try #require((own.object["overall"] as? [String: Any])?["total"] as? [String: Any])
            #expect(ownTotal["roster"] as? Int == 15 && ownTotal["participants"] as? Int == 1)
            #expect(try await organizer.json(.get, "/api/reports/participation?unit=\(committee)").status == 403)
            #expect(try await organizer.json(.get, "/api/reports/participation?unit=999999").status == 404)
        }
    }

    /// `category=ID` counts only the members holding that member category (分层分类), rosters and participants
    /// alike. The demo organization: 机关党委's members are 机关党员 and 离退休党总支's 离退休党员; each branch's first
    /// member (DG0001, DG0009, DG0016, DG0022, DG0029) is also 党务干部.
    @Test func theReportFiltersByMemberCategory() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let categories = try #require(
                try await admin.json(.get, "/api/member-categories").object["categories"] as? [[String: Any]])
            func id(_ name: String) -> Int { categories.first { $0["name"] as? String == name }?["id"] as? Int ?? -1 }
            let campaign = try await admin.createCampaign(settings: climbSettings()).campaign.id
            for number in ["DG0001", "DG0009", "DG0022", "DG0002"] {
                #expect(
                    try await admin.memberPhone(number).json(.post, "/api/climb/\(campaign)/attempts").status == 200)
            }
            func overall(_ query: String) async throws -> [Int?] {
                let reply = try await admin.json(.get, "/api/reports/participation" + query)
                #expect(reply.status == 200, "\(reply.object)")
                let total = (reply.object["overall"] as? [String: Any])?["total"] as? [String: Any]
                return [total?["roster"] as? Int, total?["participants"] as? Int]
            }
            #expect(try await overall("") == [36, 4])
            #expect(try await overall("?category=\(id("离退休党员"))") == [15, 1])
            #expect(try await overall("?category=\(id("机关党员"))") == [21, 3])
            #expect(try await overall("?category=\(id("党务干部"))") == [5, 3])
            #expect(try await overall("?category=\(id("农村党员"))") == [0, 0])
            // The split by category: each line what `category=ID` counts, in the list's order, whatever the report
            // itself is narrowed to; within 机关党委 the 离退休党员 line is empty.
            func split(_ query: String) async throws -> [[String]] {
                let reply = try await admin.json(.get, "/api/reports/participation" + query)
                #expect(reply.status == 200, "\(reply.object)")
                return (reply.object["memberCategories"] as? [[String: Any]] ?? []).map { line in
                    let tally = line["tally"] as? [String: Any] ?? [:]
                    return [
                        line["name"] as? String ?? "?", "\(tally["roster"] as? Int ?? -1)",
                        "\(tally["participants"] as? Int ?? -1)",
                        (tally["rate"] as? Double).map { String(format: "%.3f", $0) } ?? "—",
                        "\(line["id"] as? Int == id(line["name"] as? String ?? ""))",
                    ]
                }
            }
            let whole = [
                ["农村党员", "0", "0", "—", "true"], ["机关党员", "21", "3", "0.143", "true"],
                ["离退休党员", "15", "1", "0.067", "true"], ["两新组织党员", "0", "0", "—", "true"],
                ["党务干部", "5", "3", "0.600", "true"],
            ]
            #expect(try await split("") == whole)
            #expect(try await split("?category=\(id("离退休党员"))") == whole, "the split is the whole roster's")
            let committee = try await ReportTests.unitIds(admin)["机关党委"]!
            #expect(
                try await split("?unit=\(committee)").map { Array($0.prefix(3)) } == [
                    ["农村党员", "0", "0"], ["机关党员", "21", "3"], ["离退休党员", "0", "0"], ["两新组织党员", "0", "0"],
                    ["党务干部", "3", "2"],
                ])
            let retired = try await admin.json(
                .get,
                "/api/reports/participation?category=\(id("离退休党员"))&absent=\(try await ReportTests.unitIds(admin)[ReportTests.first]!)"
            )
            #expect(retired.status == 200)
            #expect((retired.object["members"] as? [Any])?.isEmpty == true, "no 离退休党员 in 机关党委's 第一党支部")
            for bad in ["abc", "9999"] {
                let refused = try await admin.json(.get, "/api/reports/participation?category=\(bad)")
                #expect(refused.status == 400)
                #expect(
                    refused.object["error"] as? String == "没有编号为 \(bad) 的党员类别 (category: no member category \(bad))")
            }
        }
    }

    @Test func badRangesAreRefusedWithAClearMessage() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            for (query, status) in [
                ("from=2026-02-30", 422), ("to=yesterday", 422), ("period=year", 422),
                ("from=2026-11-02&to=2026-11-01", 422),
                ("from=2020-01-01&to=2026-01-01", 422), ("from=2025-01-01&to=2026-06-30&period=day", 422),
                ("unit=abc", 400), ("days=0", 422), ("days=367", 422), ("days=abc", 422),
                ("format=pdf", 400), ("format=csv&sheet=nope", 400), ("absent=abc", 400), ("absent=999999", 404),
            ] {
                let reply = try await admin.json(.get, "/api/reports/participation?" + query)
                #expect(reply.status == status, "\(query)")
                let message = reply.object["error"] as? String ?? ""
                #expect(message.unicodeScalars.first.map { $0.value > 0x2E80 } == true, "Chinese first: \(message)")
            }
            // `days=N`: the N days ending today in the organization's zone (the pages ask so, whatever their
            // browser's zone); `from` wins over it.
            let trailing = try await admin.json(.get, "/api/reports/participation?days=30&period=day")
            #expect(trailing.status == 200)
            let (first, last) = (trailing.object["from"] as? String ?? "", trailing.object["to"] as? String ?? "")
            let today = LocalTime.text(
                milliseconds: Int64(Date().timeIntervalSince1970 * 1000), in: configuration.timeZone)
            #expect(today.hasPrefix(last), "to is the organization's today: \(last), \(today)")
            #expect(ReportPeriod.dayCount(CampaignDay(first)!, CampaignDay(last)!) == 30)
            #expect((trailing.object["periods"] as? [Any])?.count == 30)
            let explicit = try await admin.json(.get, "/api/reports/participation?days=30&from=\(last)&to=\(last)")
            #expect(explicit.object["from"] as? String == last)
            // Longer than a year is fine by week (2½ years: 131 weeks).
            let weekly = try await admin.json(
                .get, "/api/reports/participation?from=2024-01-01&to=2026-06-30&period=week")
            #expect(weekly.status == 200)
            #expect((weekly.object["periods"] as? [Any])?.count == 131)
        }
    }
}
