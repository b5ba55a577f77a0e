import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// Editing and deleting a contest before anyone joined it, and the refusals once someone did: on a real server,
/// with real sockets holding the room open.
@Suite struct ContestEditTests {
    @Test func anUnplayedContestIsRedrawnInPlaceAndItsOpenRoomIsRetired() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let created = try await admin.createContest(ownerUnitId: nil, settings: sampleSettings())
            let id = created.contest.id
            // The host page is open: the room is loaded with the old settings.
            let host = WSPeer(port: client.port!, cookie: admin.cookie)
            host.send(["type": "host", "contestId": id])
            let welcome = try await host.next("welcome")
            #expect((welcome["contest"] as? [String: Any])?["questionCount"] as? Int == 3)

            var edited = sampleSettings()
            edited.title = "改过的竞赛"
            edited.rounds[0].draw.count = 5
            let view: CreatedContest = try await admin.send(
                .patch, "/api/contests/\(id)", json: NewContestRequest(settings: edited)
            ) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                return try response.body.decode(CreatedContest.self)
            }
            #expect(view.contest.questionCount == 5)
            #expect(view.contest.pin == created.contest.pin)
            #expect(view.displayLink == nil)
            // The old room told its host to reload; a new host connection sees the new contest.
            #expect(try await host.next("error")["code"] as? String == "withdrawn")
            let again = WSPeer(port: client.port!, cookie: admin.cookie)
            again.send(["type": "host", "contestId": id])
            let fresh = try await again.next("welcome")["contest"] as? [String: Any]
            #expect(fresh?["questionCount"] as? Int == 5)
            #expect(fresh?["title"] as? String == "改过的竞赛")
            // The display link handed out before the edit still opens it.
            let display = WSPeer(port: client.port!)
            display.send(["type": "display", "contestId": id, "token": created.displayToken])
            _ = try await display.next("welcome")
            for peer in [host, again, display] { await peer.close() }
        }
    }

    @Test func aJoinedContestCannotBeEditedOrDeletedAndAnUnjoinedOneIsDeleted() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let played = try await admin.createContest(ownerUnitId: nil, settings: sampleSettings())
            let branches: [Int] = try await client.execute(uri: "/api/join/\(played.contest.pin)", method: .get) {
                response in
                let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
                return (object["branches"] as! [[String: Any]]).map { $0["id"] as! Int }
            }
            let player = WSPeer(port: client.port!)
            player.send(["type": "join", "pin": played.contest.pin, "name": "张三", "branchId": branches[0]])
            _ = try await player.next("welcome")

            var edited = sampleSettings()
            edited.title = "不该改成"
            try await admin.send(
                .patch, "/api/contests/\(played.contest.id)", json: NewContestRequest(settings: edited)
            ) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("不能再修改或删除"))
            }
            try await admin.execute(uri: "/api/contests/\(played.contest.id)", method: .delete) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("比赛已有人加入或已开始"))
            }
            // Nothing changed: same title, the player still seated and answered.
            try await admin.execute(uri: "/api/contests/\(played.contest.id)", method: .get) { response in
                #expect(response.status == .ok)
                let count = try response.body.decode(CreatedContest.self).contest.questionCount
                #expect(count == 3)
                #expect(String(buffer: response.body).contains("测试竞赛"))
            }
            player.send(["type": "ping"])
            _ = try await player.next("pong")

            let unplayed = try await admin.createContest(ownerUnitId: nil, settings: sampleSettings())
            try await admin.execute(uri: "/api/contests/\(unplayed.contest.id)", method: .delete, csrf: false) {
                response in
                #expect(response.status == .forbidden)
            }
            try await admin.execute(uri: "/api/contests/\(unplayed.contest.id)", method: .delete) { response in
                #expect(response.status == .noContent)
            }
            try await admin.execute(uri: "/api/contests/\(unplayed.contest.id)", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/join/\(unplayed.contest.pin)", method: .get) { response in
                #expect(response.status == .notFound)
            }
            await player.close()
        }
    }
}
