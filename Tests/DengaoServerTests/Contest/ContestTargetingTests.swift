import DengaoCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// A members-only contest for member categories (分层分类) on a live server: unknown categories and guests' contests
/// are refused and change nothing, only members holding a category take a seat, and the report's roster counts
/// only them. The demo organization's 机关党委 members are 机关党员, its 离退休党总支 members 离退休党员.
@Suite struct ContestTargetingTests {
    private static func categoryId(_ admin: SignedInClient, _ name: String) async throws -> MemberCategoryID {
        let categories = try #require(
            try await admin.json(.get, "/api/member-categories").object["categories"] as? [[String: Any]])
        return MemberCategoryID(Int64(try #require(categories.first { $0["name"] as? String == name }?["id"] as? Int)))
    }

    private static func contestCount(_ admin: SignedInClient) async throws -> Int {
        (try await admin.json(.get, "/api/contests").object["contests"] as? [Any])?.count ?? -1
    }

    @Test func onlyMembersOfTheCategoriesJoinAndTheRosterCountsOnlyThem() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let retired = try await Self.categoryId(admin, "离退休党员")
            let before = try await Self.contestCount(admin)

            var settings = sampleSettings()
            settings.membersOnly = true
            settings.memberCategoryIds = [9_999]
            let unknown = try await admin.send(
                .post, "/api/contests", json: NewContestRequest(ownerUnitId: nil, settings: settings)
            ) { (Int($0.status.code), String(buffer: $0.body)) }
            #expect(unknown.0 == 422 && unknown.1.contains("没有编号为 9999 的党员类别"), "\(unknown)")
            settings.memberCategoryIds = [retired]
            settings.membersOnly = false
            let guests = try await admin.send(
                .post, "/api/contests", json: NewContestRequest(ownerUnitId: nil, settings: settings)
            ) { (Int($0.status.code), String(buffer: $0.body)) }
            #expect(guests.0 == 422 && guests.1.contains("按党员类别限定的比赛须仅限党员参加"), "\(guests)")
            #expect(try await Self.contestCount(admin) == before, "a refused contest is not made")

            settings.membersOnly = true
            settings.memberCategoryIds = [retired, retired]
            let contest = try await admin.createContest(ownerUnitId: nil, settings: settings)
            let shown = try await admin.json(.get, "/api/contests/\(contest.contest.id)").object
            let stored = (shown["contest"] as? [String: Any])?["settings"] as? [String: Any]
            #expect(stored?["memberCategoryIds"] as? [Int] == [Int(retired.rawValue)], "kept once")

            // An edit naming an unknown category is refused and the contest keeps its targeting.
            settings.memberCategoryIds = [retired, 9_998]
            let edit = try await admin.send(
                .patch, "/api/contests/\(contest.contest.id)",
                json: NewContestRequest(ownerUnitId: nil, settings: settings)
            ) { (Int($0.status.code), String(buffer: $0.body)) }
            #expect(edit.0 == 422 && edit.1.contains("没有编号为 9998 的党员类别"), "\(edit)")
            let after = try await admin.json(.get, "/api/contests/\(contest.contest.id)").object
            #expect(
                ((after["contest"] as? [String: Any])?["settings"] as? [String: Any])?["memberCategoryIds"] as? [Int]
                    == [Int(retired.rawValue)])

            let port = client.port!
            // 宋德明 (DG0022) is retired: he takes a seat. 王建国 (DG0001) is an office member: refused.
            let retiredPhone = try await admin.memberPhone("DG0022")
            let seated = WSPeer(port: port, cookie: retiredPhone.cookie)
            seated.send(["type": "join", "pin": contest.contest.pin])
            let seat = try #require(try await seated.next("welcome")["seat"] as? [String: Any])
            #expect(seat["name"] as? String == "宋德明")
            let officePhone = try await admin.memberPhone("DG0001")
            let office = WSPeer(port: port, cookie: officePhone.cookie)
            office.send(["type": "join", "pin": contest.contest.pin])
            let refusal = try await office.next("error")
            #expect(refusal["code"] as? String == "not-in-categories")
            #expect(
                refusal["message"] as? String == "本场比赛仅限指定类别的党员参加 (this contest is for members of other categories)")
            let guest = WSPeer(port: port)
            guest.send(["type": "join", "pin": contest.contest.pin, "name": "路人", "branchId": 2])
            #expect(try await guest.next("error")["code"] as? String == "members-only")

            // The report's roster: the organization's 15 retired members, not all 36.
            let report = try await admin.json(.get, "/api/contests/\(contest.contest.id)/report").object
            let total = (report["participation"] as? [String: Any])?["total"] as? [String: Any]
            #expect(total?["roster"] as? Int == 15, "\(String(describing: total))")
            #expect(total?["participants"] as? Int == 1)
            let untargeted = try await admin.createContest(ownerUnitId: nil, settings: sampleSettings())
            let everyone = try await admin.json(.get, "/api/contests/\(untargeted.contest.id)/report").object
            #expect(
                ((everyone["participation"] as? [String: Any])?["total"] as? [String: Any])?["roster"] as? Int == 36)
            for peer in [seated, office, guest] { await peer.close() }
        }
    }
}
