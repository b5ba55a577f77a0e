import DengaoCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// An acknowledgement leaves once its own answer is committed, even while other answers keep arriving: each batch of
/// frames waits for the commits it needed when it started, not for every answer that joins it meanwhile (which held
/// every acknowledgement of an answer surge until the surge ended).
@Suite struct AckDuringSurgeTests {
    static let players = 30

    @Test func anAckIsNotHeldByTheAnswersThatFollowIt() async throws {
        let clock = ManualClock()
        var configuration = demoConfiguration()
        configuration.clock = clock
        // Slow commits: with answers arriving faster than one commit, every commit has a newcomer waiting.
        configuration.journalCommitDelay = .milliseconds(150)
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let port = client.port!
            let contest = try await admin.createContest(ownerUnitId: nil, settings: sampleSettings()).contest
            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": contest.id])
            _ = try await host.next("welcome")
            let players = (0..<Self.players).map { _ in WSPeer(port: port) }
            for (index, player) in players.enumerated() {
                player.send(["type": "join", "pin": contest.pin, "name": "选手\(index)", "branchId": 2])
            }
            for player in players { _ = try await player.next("welcome") }
            host.send(["type": "command", "command": "next"])
            var number = 0
            for player in players {
                number =
                    try await player.next("state") { $0["phase"] as? String == "open" }["question"]
                    .flatMap { ($0 as? [String: Any])?["number"] as? Int } ?? 0
            }
            func answer(_ player: WSPeer) {
                player.send(["type": "answer", "number": number, "truth": true, "picks": [0]])
            }

            // The first answer, then one more every 30 ms (about five per commit) until its acknowledgement comes.
            answer(players[0])
            var followers = 0
            var acknowledged: [String: Any]?
            while acknowledged == nil, followers < Self.players - 1 {
                acknowledged = try? await players[0].next("ack", timeout: .milliseconds(30))
                if acknowledged == nil {
                    followers += 1
                    answer(players[followers])
                }
            }
            if acknowledged == nil { acknowledged = try await players[0].next("ack") }
            #expect(acknowledged?["status"] as? String == "accepted")
            // A few commits' worth of followers at most; held to the end of the surge it would be all of them.
            #expect(followers < Self.players - 1, "the first ack came only after all \(followers) later answers")
            for player in players.dropFirst().prefix(followers) {
                #expect(try await player.next("ack")["status"] as? String == "accepted")
            }
            for peer in players + [host] { await peer.close() }
        }
    }
}
