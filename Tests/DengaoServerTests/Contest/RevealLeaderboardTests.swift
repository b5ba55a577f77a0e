import DengaoCore
import Foundation
import Testing

@testable import DengaoServer

/// A reveal's leaderboard waits a second on the server's clock, so ten thousand personal boards are not composed and
/// written while the reveal itself is still going out; when the host moves on to the board, it goes at once.
@Suite struct RevealLeaderboardTests {
    @Test func aRevealsLeaderboardFollowsItByASecondAndAtOnceWhenTheHostShowsTheBoard() async throws {
        let clock = ManualClock()
        var configuration = demoConfiguration()
        configuration.clock = clock
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let port = client.port!
            let contest = try await admin.createContest(ownerUnitId: nil, settings: sampleSettings()).contest
            let (host, player) = try await hostAndGuest(
                port: port, hostCookie: admin.cookie, contestId: contest.id, pin: contest.pin, branchId: 2, name: "选手")

            host.send(["type": "command", "command": "next"])
            _ = try await player.next("state") { $0["phase"] as? String == "open" }
            host.send(["type": "command", "command": "reveal"])
            _ = try await player.next("reveal")
            try await host.skip(through: "reveal")
            // The pulse 0.9 s after the reveal pushes what else changed (the host's player list) but not the board:
            // queued in the same pulse, it would have left with the list.
            clock.advance(by: .milliseconds(900))
            _ = try await host.next("players")
            await #expect(throws: TestFailure.self) {
                try await player.next("leaderboard", timeout: .milliseconds(300))
            }
            clock.advance(by: .milliseconds(300))
            _ = try await player.next("leaderboard")

            // The next reveal, and the host shows the board within the second: it goes at the next pulse.
            host.send(["type": "command", "command": "next"])
            _ = try await player.next("state") { $0["phase"] as? String == "open" }
            host.send(["type": "command", "command": "reveal"])
            try await player.skip(through: "reveal")
            host.send(["type": "command", "command": "leaderboard"])
            _ = try await player.next("state") { $0["phase"] as? String == "leaderboard" }
            clock.advance(by: .milliseconds(300))
            _ = try await player.next("leaderboard")
            for peer in [player, host] { await peer.close() }
        }
    }
}
