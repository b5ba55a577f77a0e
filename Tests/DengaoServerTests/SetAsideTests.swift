import DengaoCore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer
@testable import DengaoStorage

/// No stored row can keep the server down: a contest or campaign whose rows cannot be loaded is set aside with its
/// reason, shown as such in the console, and everything else starts and works.
@Suite struct SetAsideTests {
    /// Runs SQL on the data directory's database, as a damaged disk or a careless hand edit would.
    func damage(_ configuration: AppConfiguration, _ sql: String, _ arguments: StatementArguments = []) throws {
        try Store(directory: configuration.dataDirectory).pool.write { db in
            try db.execute(sql: sql, arguments: arguments)
        }
    }

    func startContest(_ client: any TestClientProtocol, _ admin: SignedInClient, title: String) async throws
        -> CreatedContest
    {
        let contest = try await admin.createContest(
            ownerUnitId: nil, settings: sampleSettings(rounds: nil).with(title: title))
        let host = WSPeer(port: client.port!, cookie: admin.cookie)
        host.send(["type": "host", "contestId": contest.contest.id])
        host.send(["type": "command", "command": "next"])
        _ = try await host.next("state") { $0["phase"] as? String == "open" }
        await host.close()
        return contest
    }

    @Test func contestsThatCannotBeLoadedAreSetAsideAndTheRestResume() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        let (unreadable, interrupted, healthy) = try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            return (
                try await startContest(client, admin, title: "坏日志"),
                try await startContest(client, admin, title: "加载中断"),
                try await startContest(client, admin, title: "正常")
            )
        }
        // One contest's journal is unreadable; another was being loaded when the process died (a trap in its replay).
        try damage(
            configuration, "UPDATE contestEvent SET input = 'not json' WHERE contestId = ? AND seq = 1",
            [unreadable.contest.id])
        try damage(
            configuration, "INSERT INTO roomLoad (kind, entityId, startedAt) VALUES ('contest', ?, ?)",
            [interrupted.contest.id, Date()])

        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            // The healthy contest is back, paused where it was.
            let host = WSPeer(port: client.port!, cookie: admin.cookie)
            host.send(["type": "host", "contestId": healthy.contest.id])
            let state = try await host.next("state")
            #expect(state["phase"] as? String == "open" && state["paused"] as? Bool == true)
            await host.close()

            // The console lists the other two, set aside with their reasons.
            let list = try await admin.json(.get, "/api/contests")
            let contests = try #require(list.object["contests"] as? [[String: Any]])
            func reason(_ id: Int64) -> String? {
                contests.first { ($0["id"] as? Int).map(Int64.init) == id }?["setAside"] as? String
            }
            #expect(reason(unreadable.contest.id)?.contains("无法读取") == true)
            #expect(reason(interrupted.contest.id)?.contains("意外停止") == true)
            #expect(reason(healthy.contest.id) == nil)

            // Refused with the reason, not with a crash or a 500.
            for contest in [unreadable, interrupted] {
                let refused = WSPeer(port: client.port!, cookie: admin.cookie)
                refused.send(["type": "host", "contestId": contest.contest.id])
                let error = try await refused.next("error")
                #expect(error["code"] as? String == "set-aside")
                await refused.close()
                let results = try await admin.json(.get, "/api/contests/\(contest.contest.id)/results?format=csv")
                #expect(results.status == 409)
                let join = try await admin.json(.get, "/api/join/\(contest.contest.pin)")
                #expect(join.status == 409)
            }
            #expect(try await admin.json(.get, "/healthz").status == 200)
        }

        // Once let load again, the interrupted contest (whose rows are fine) resumes at the next start.
        #expect(try Store(directory: configuration.dataDirectory).clearSetAside(.contest, id: interrupted.contest.id))
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let host = WSPeer(port: client.port!, cookie: admin.cookie)
            host.send(["type": "host", "contestId": interrupted.contest.id])
            #expect(try await host.next("state")["paused"] as? Bool == true)
            await host.close()
            let setAside = try Store(directory: configuration.dataDirectory).setAsideRooms()
            #expect(setAside.map(\.id) == [unreadable.contest.id])
        }
    }

    @Test func aCampaignWithUnreadableSettingsIsSetAsideAndTheConsoleStillLists() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        let campaign = try await withLiveApp(configuration) { client in
            try await client.signIn("root").createCampaign()
        }
        try damage(
            configuration, "UPDATE campaign SET settings = '{\"title\": 1}' WHERE id = ?", [campaign.campaign.id])
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let list = try await admin.json(.get, "/api/campaigns")
            let campaigns = try #require(list.object["campaigns"] as? [[String: Any]])
            let listed = try #require(
                campaigns.first { ($0["id"] as? Int).map(Int64.init) == campaign.campaign.id.rawValue })
            #expect((listed["setAside"] as? String)?.contains("无法读取") == true)
            // Another campaign (the demo's) still works; the damaged one refuses with its reason.
            #expect(campaigns.count >= 2)
            let phone = try await admin.memberPhone("DG0001")
            let climb = try await phone.json(.get, "/api/climb/\(campaign.campaign.id)")
            #expect(climb.status == 409)
            let export = try await admin.json(.get, "/api/campaigns/\(campaign.campaign.id)/results?format=csv")
            #expect(export.status == 409)
            let demo = try #require(
                campaigns.first { ($0["id"] as? Int).map(Int64.init) != campaign.campaign.id.rawValue })
            #expect(try await phone.json(.get, "/api/climb/\(demo["id"] as! Int)").status == 200)
        }
    }
}

extension ContestSettings {
    func with(title: String) -> ContestSettings {
        var copy = self
        copy.title = title
        return copy
    }
}
