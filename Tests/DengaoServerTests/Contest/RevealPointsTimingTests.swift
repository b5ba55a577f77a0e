import DengaoCore
import DengaoTestSupport
import Foundation
import Testing

@testable import DengaoServer

/// A reveal's points go to the journal half a second after its frames on the server's clock (their thousands of row
/// updates would otherwise run while the loops write the reveal), and at once when the host moves on first: the
/// next question's entry never reaches the disk before the points of the reveal before it.
@Suite struct RevealPointsTimingTests {
    @Test func pointsFollowTheRevealOnTheClockOrBeforeTheNextQuestion() async throws {
        let clock = ManualClock()
        var configuration = demoConfiguration()
        configuration.clock = clock
        try await addAccount("root", in: configuration)
        let live = configuration
        try await withLiveApp(live) { client in
            // Asked for inside: on PostgreSQL the running app's store is the one registered for its directory.
            let store = try TestBackend.storage(live)
            let admin = try await client.signIn("root")
            let port = client.port!
            let contest = try await admin.createContest(ownerUnitId: nil, settings: sampleSettings()).contest
            let (host, player) = try await hostAndGuest(
                port: port, hostCookie: admin.cookie, contestId: contest.id, pin: contest.pin, branchId: 2, name: "选手")

            @Sendable func points(of number: Int) async throws -> Int? {
                try await store.contestResponses(contest: ContestID(contest.id)).first { $0.slot == number }?.points
            }
            @Sendable func answerAndReveal() async throws -> Int {
                host.send(["type": "command", "command": "next"])
                let state = try await player.next("state") { $0["phase"] as? String == "open" }
                let number = (state["question"] as! [String: Any])["number"] as! Int
                player.send(["type": "answer", "number": number, "picks": [0], "truth": true, "text": "答"])
                #expect(try await player.next("ack")["status"] as? String == "accepted")
                host.send(["type": "command", "command": "reveal"])
                _ = try await player.next("reveal") { $0["number"] as? Int == number }
                try await host.skip(through: "reveal")
                return number
            }

            // On the clock: not at 0.4 s (a pulse has run: the host's list went out), by 0.5 s.
            let first = try await answerAndReveal()
            #expect(try await points(of: first) == nil)
            clock.advance(by: .milliseconds(400))
            try await host.skip(through: "players")
            #expect(try await points(of: first) == nil)
            clock.advance(by: .milliseconds(100))
            let written = await within(.seconds(10)) {
                while (try? await points(of: first)) ?? nil == nil { try? await Task.sleep(for: .milliseconds(10)) }
                return true
            }
            #expect(written == true)

            // The host moves on before the half second: the points are on disk before the next question shows.
            let second = try await answerAndReveal()
            #expect(try await points(of: second) == nil)
            host.send(["type": "command", "command": "next"])
            _ = try await player.next("state") { ($0["question"] as? [String: Any])?["number"] as? Int == second + 1 }
            #expect(try await points(of: second) != nil)
            for peer in [player, host] { await peer.close() }
        }
    }
}
