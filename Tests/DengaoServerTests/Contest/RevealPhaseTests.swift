import DengaoCore
import Foundation
import Testing

@testable import DengaoServer

/// At a reveal a phone gets one frame, the reveal, which carries the phase it leaves the contest in (and whether it is
/// paused); hosts and screens still get the state message before it. The phone's state would have repeated the
/// question on its screen, doubling what ten thousand phones are sent at the busiest moment of a contest.
@Suite struct RevealPhaseTests {
    /// The `state` frames a peer has received so far, by phase.
    static func statePhases(_ peer: WSPeer) async -> [String] {
        await peer.everything.compactMap(WSPeer.object).filter { $0["type"] as? String == "state" }
            .compactMap { $0["phase"] as? String }
    }

    @Test func aPhonesRevealCarriesThePhaseInPlaceOfAState() async throws {
        try await ContestSocketTests().withContest { port, admin, created, branches in
            let (host, phone) = try await hostAndGuest(
                port: port, hostCookie: admin.cookie, contestId: created.contest.id, pin: created.contest.pin,
                branchId: branches[0], name: "甲")

            // Revealed while paused: the phone learns both from the reveal alone.
            host.send(["type": "command", "command": "next"])
            let open = try await phone.next("state") { $0["phase"] as? String == "open" }
            let first = (open["question"] as! [String: Any])["number"] as! Int
            host.send(["type": "command", "command": "pause"])
            _ = try await phone.next("state") { $0["paused"] as? Bool == true }
            host.send(["type": "command", "command": "reveal"])
            _ = try await host.next("state") { $0["phase"] as? String == "revealed" && $0["paused"] as? Bool == true }
            let reveal = try await phone.next("reveal") { $0["number"] as? Int == first }
            #expect(reveal["phase"] as? String == "revealed")
            #expect(reveal["paused"] as? Bool == true)
            let hostReveal = try await host.next("reveal") { $0["number"] as? Int == first }
            #expect(hostReveal["phase"] as? String == "revealed")
            #expect(await Self.statePhases(phone) == ["lobby", "open", "open"])

            // A finish that reveals the open question: the phone's reveal says the contest is over.
            host.send(["type": "command", "command": "resume"])
            host.send(["type": "command", "command": "next"])
            let second = try await phone.next("state") {
                $0["phase"] as? String == "open" && ($0["question"] as? [String: Any])?["number"] as? Int != first
            }
            let number = (second["question"] as! [String: Any])["number"] as! Int
            host.send(["type": "command", "command": "finish"])
            _ = try await host.next("state") { $0["phase"] as? String == "finished" }
            let last = try await phone.next("reveal") { $0["number"] as? Int == number }
            #expect(last["phase"] as? String == "finished")
            #expect(last["paused"] as? Bool == false)
            _ = try await phone.next("leaderboard")

            #expect(await !Self.statePhases(phone).contains("finished"))
            for peer in [host, phone] { await peer.close() }
        }
    }
}
