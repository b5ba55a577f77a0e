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

    /// A phone whose page was loaded before an upgrade speaks protocol version 1 to the restarted server, and its
    /// page reads the phase from `state` only: it still gets the state with the reveal, while a current phone in the
    /// same contest does not.
    @Test func aVersionOnePhoneStillGetsTheStateWithTheReveal() async throws {
        try await ContestSocketTests().withContest { port, admin, created, branches in
            let (host, current) = try await hostAndGuest(
                port: port, hostCookie: admin.cookie, contestId: created.contest.id, pin: created.contest.pin,
                branchId: branches[0], name: "甲")
            let older = WSPeer(port: port)
            older.send(["type": "join", "v": 1, "pin": created.contest.pin, "name": "乙", "branchId": branches[1]])
            let welcome = try await older.next("welcome")
            #expect(welcome["token"] is String)

            host.send(["type": "command", "command": "next"])
            let open = try await older.next("state") { $0["phase"] as? String == "open" }
            let number = (open["question"] as! [String: Any])["number"] as! Int
            host.send(["type": "command", "command": "reveal"])
            _ = try await older.next("state") { $0["phase"] as? String == "revealed" }
            _ = try await older.next("reveal") { $0["number"] as? Int == number }
            _ = try await current.next("reveal") { $0["number"] as? Int == number }
            #expect(await !Self.statePhases(current).contains("revealed"))

            // Resumed with version 1 after a restart, the same.
            let token = welcome["token"] as! String
            await older.close()
            let resumed = WSPeer(port: port)
            resumed.send(["type": "resume", "v": 1, "pin": created.contest.pin, "token": token])
            _ = try await resumed.next("welcome")
            host.send(["type": "command", "command": "next"])
            let second = try await resumed.next("state") {
                $0["phase"] as? String == "open" && ($0["question"] as? [String: Any])?["number"] as? Int != number
            }
            let secondNumber = (second["question"] as! [String: Any])["number"] as! Int
            host.send(["type": "command", "command": "reveal"])
            _ = try await resumed.next("state") {
                $0["phase"] as? String == "revealed"
                    && ($0["question"] as? [String: Any])?["number"] as? Int == secondNumber
            }
            for peer in [host, current, resumed] { await peer.close() }
        }
    }
}
