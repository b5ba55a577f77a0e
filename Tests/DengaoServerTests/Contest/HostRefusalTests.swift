import DengaoCore
import Foundation
import Testing

@testable import DengaoServer

/// A host's message that changes nothing says so, in Chinese first, rather than going unanswered.
@Suite struct HostRefusalTests {
    @Test func kickingASeatNoOneHoldsIsRefusedAndKickingTwiceIsQuiet() async throws {
        try await ContestSocketTests().withContest { port, admin, contest, branches in
            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": contest.contest.id])
            _ = try await host.next("welcome")
            host.send(["type": "kick", "seat": 99])
            let refusal = try await host.next("error")
            #expect(refusal["code"] as? String == "no-such-seat")
            #expect((refusal["message"] as? String)?.hasPrefix("没有这个座位") == true)

            let player = WSPeer(port: port)
            player.send(["type": "join", "pin": contest.contest.pin, "name": "甲", "branchId": branches[0]])
            let seat = (try await player.next("welcome")["seat"] as! [String: Any])["id"] as! Int
            host.send(["type": "kick", "seat": seat])
            #expect(try await player.next("error")["code"] as? String == "kicked")
            // The second kick of the same seat changes nothing and sends nothing: a host's messages are answered in
            // order, so by the ping's pong any reply to it would have come.
            host.send(["type": "kick", "seat": seat])
            host.send(["type": "ping"])
            _ = try await host.next("pong")
            let errors = await host.everything.filter { WSPeer.object($0)?["type"] as? String == "error" }
            #expect(errors.count == 1)
            for peer in [host, player] { await peer.close() }
        }
    }

    @Test func anUnknownCommandIsRefusedInChineseFirst() async throws {
        try await ContestSocketTests().withContest { port, admin, contest, _ in
            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": contest.contest.id])
            _ = try await host.next("welcome")
            host.send(["type": "command", "command": "teleport"])
            let refusal = try await host.next("error")
            #expect(refusal["code"] as? String == "malformed")
            #expect(
                refusal["message"] as? String == "消息格式不对：command 的值无效 (malformed message: invalid value at command)")
            host.send(["type": "kick"])
            #expect(
                try await host.next("error")["message"] as? String == "消息格式不对：缺少 seat (malformed message: missing seat)"
            )
            await host.close()
        }
    }
}
