import DengaoCore
import Foundation
import Testing

@testable import DengaoServer

/// A running campaign answers members by the roster as it is now: a member added, deactivated or moved in the
/// console a moment ago is already in (or out, or in their new branch), with no wait for a periodic re-read.
@Suite struct CampaignRosterTests {
    @Test func aMemberAddedInTheConsoleClimbsAtOnce() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let id = try await admin.createCampaign().campaign.id
            // The campaign is running, with its roster read: someone is already climbing.
            let climber = try await admin.memberPhone("DG0001")
            #expect(try await climber.json(.get, "/api/climb/\(id)").status == 200)
            let units = try await admin.json(.get, "/api/units").object["units"] as? [[String: Any]] ?? []
            func unit(_ name: String) throws -> Int {
                try #require(units.first { ($0["path"] as? String)?.hasSuffix(name) == true }?["id"] as? Int)
            }

            let added = try await admin.json(
                .post, "/api/members", ["number": "DG9001", "name": "新党员", "unitId": try unit("第一党支部")])
            #expect(added.status == 201)
            let newcomer = try await admin.memberPhone("DG9001")
            let opened = try await newcomer.json(.get, "/api/climb/\(id)")
            #expect(opened.status == 200, "the new member is in the campaign at once: \(opened.object)")
            #expect(opened.object["height"] as? Int == 0)
            #expect(try await newcomer.json(.post, "/api/climb/\(id)/attempts").status == 200)
            func rosterCount() async throws -> Int? {
                try await admin.json(.get, "/api/campaigns/\(id)/board").object["rosterCount"] as? Int
            }
            let counted = try #require(try await rosterCount())

            // Moved to another branch: the campaign places them there at once.
            #expect(try await admin.json(.patch, "/api/members/DG9001", ["unitId": try unit("第二党支部")]).status == 200)
            let moved = try await newcomer.json(.get, "/api/climb/\(id)")
            #expect(moved.status == 200)
            #expect(String(describing: moved.object).contains("第二党支部"), "placed in 第二党支部 at once: \(moved.object)")

            // Deactivated: off the campaign's roster (and its board) at once.
            #expect(try await admin.json(.patch, "/api/members/DG9001", ["active": false]).status == 200)
            #expect(try await rosterCount() == counted - 1)
        }
    }
}
