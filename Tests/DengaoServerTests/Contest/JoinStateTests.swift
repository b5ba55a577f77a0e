import DengaoCore
import Foundation
import Testing

@testable import DengaoServer

/// A joining phone's state is shared between joins while the contest stands still (`joinStateFrame`), with each
/// phone's own seat joined in: every phone still gets the contest as it is when it joins, and its own seat only.
/// Forty phones join in each phase, so that every option order a phone can have was already made for the phase
/// before (a stale share would show).
@Suite struct JoinStateTests {
    @Test func eachJoinGetsTheCurrentStateAndItsOwnSeat() async throws {
        try await ContestSocketTests().withContest { port, admin, created, branches in
            let (host, first) = try await hostAndGuest(
                port: port, hostCookie: admin.cookie, contestId: created.contest.id, pin: created.contest.pin,
                branchId: branches[0], name: "甲")
            var peers = [host, first]
            var joined = 0
            func joinSeveral() async throws -> [[String: Any]] {
                var states: [[String: Any]] = []
                for _ in 0..<40 {
                    joined += 1
                    let peer = WSPeer(port: port)
                    peer.send([
                        "type": "join", "pin": created.contest.pin, "name": "选手\(joined)",
                        "branchId": branches[joined % branches.count],
                    ])
                    let seat = (try await peer.next("welcome")["seat"] as! [String: Any])["id"] as! Int
                    let state = try await peer.next("state")
                    #expect((state["you"] as? [String: Any])?["seat"] as? Int == seat, "选手\(joined)'s own seat")
                    states.append(state)
                    peers.append(peer)
                }
                return states
            }
            for state in try await joinSeveral() { #expect(state["phase"] as? String == "lobby") }

            host.send(["type": "command", "command": "next"])
            _ = try await first.next("state") { $0["phase"] as? String == "open" }
            for state in try await joinSeveral() {
                #expect(state["phase"] as? String == "open" && state["paused"] as? Bool == false)
                #expect((state["question"] as? [String: Any])?["number"] as? Int == 1)
            }

            host.send(["type": "command", "command": "pause"])
            _ = try await first.next("state") { $0["paused"] as? Bool == true }
            let paused = try await joinSeveral()
            for state in paused {
                #expect(state["phase"] as? String == "open" && state["paused"] as? Bool == true)
                #expect(state["remainingMs"] as? Int == paused[0]["remainingMs"] as? Int)
            }
            for peer in peers { await peer.close() }
        }
    }
}
