import DengaoCore
import Foundation
import Testing

@testable import DengaoServer

/// Ticks, answer progress and player lists go to the host and the screen only (the room keeps their connections
/// apart from the phones'): a host gets the seats, a screen the branch counts even with no host watching, and no
/// phone gets any of the three (a list would show a phone everyone else's name).
@Suite struct ViewerFramesTests {
    @Test func ticksProgressAndListsReachViewersAndNoPhone() async throws {
        try await ContestSocketTests().withContest { port, admin, created, branches in
            let (host, phone) = try await hostAndGuest(
                port: port, hostCookie: admin.cookie, contestId: created.contest.id, pin: created.contest.pin,
                branchId: branches[0], name: "甲")
            try await host.skip(through: "players") { ($0["players"] as? [[String: Any]])?.count == 1 }

            // The screen, connected while the host is away, still gets its counts.
            await host.close()
            let display = WSPeer(port: port)
            display.send(["type": "display", "contestId": created.contest.id, "token": created.displayToken])
            _ = try await display.next("welcome")
            let counts = try await display.next("players") {
                ($0["byBranch"] as? [[String: Any]])?.reduce(0) { $0 + ($1["joined"] as! Int) } == 1
            }
            #expect((counts["players"] as? [[String: Any]])?.isEmpty == true)

            let console = WSPeer(port: port, cookie: admin.cookie)
            console.send(["type": "host", "contestId": created.contest.id])
            _ = try await console.next("welcome")
            console.send(["type": "command", "command": "next"])
            let open = try await phone.next("state") { $0["phase"] as? String == "open" }
            let number = (open["question"] as! [String: Any])["number"] as! Int
            _ = try await console.next("tick") { $0["number"] as? Int == number }
            _ = try await display.next("tick") { $0["number"] as? Int == number }
            phone.send(["type": "answer", "number": number, "picks": [0], "truth": true])
            _ = try await phone.next("ack")
            _ = try await console.next("progress") { $0["answered"] as? Int == 1 }
            _ = try await display.next("progress") { $0["answered"] as? Int == 1 }

            // Whatever was queued for the phone before the reveal arrives before it.
            console.send(["type": "command", "command": "reveal"])
            _ = try await phone.next("reveal") { $0["number"] as? Int == number }
            let received = await phone.everything.compactMap { WSPeer.object($0)?["type"] as? String }
            #expect(received.contains("reveal"))
            #expect(!received.contains("tick"))
            #expect(!received.contains("progress"))
            #expect(!received.contains("players"))
            for peer in [phone, console, display] { await peer.close() }
        }
    }
}
