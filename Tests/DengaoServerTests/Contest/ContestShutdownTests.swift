import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import DengaoServer

/// The first step of a graceful shutdown (`ShutdownDrain`, run on SIGTERM before the HTTP server stops): the contest
/// is paused and journaled, what each client was sent reaches it, then every socket closes with 1001 and a reason, and
/// a connection that comes meanwhile is sent away the same way. `Tests/crash/graceful_restart.py` does it end to end
/// with SIGTERM and a restart.
@Suite struct ContestShutdownTests {
    @Test func theDrainPausesTheContestAndClosesEverySocketWith1001() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        var logger = Logger(label: "dengao-test")
        logger.logLevel = .error
        let built = try await buildServer(configuration: configuration, logger: logger)
        try await built.application.test(.live) { client in
            let admin = try await client.signIn("root")
            let port = client.port!
            let contest = try await admin.createContest(ownerUnitId: nil, settings: sampleSettings())
            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": contest.contest.id])
            _ = try await host.next("welcome")
            var players: [WSPeer] = []
            for index in 0..<3 {
                let player = WSPeer(port: port)
                player.send(["type": "join", "pin": contest.contest.pin, "name": "选手\(index)", "branchId": 2])
                _ = try await player.next("welcome")
                players.append(player)
            }
            host.send(["type": "command", "command": "next"])
            let state = try await players[0].next("state") { $0["phase"] as? String == "open" }
            let question = state["question"] as! [String: Any]
            let number = question["number"] as! Int
            players[0].send(
                question["options"] == nil
                    ? ["type": "answer", "number": number, "truth": true]
                    : ["type": "answer", "number": number, "picks": [0]])
            #expect(try await players[0].next("ack")["status"] as? String == "accepted")

            await built.drain.drain()

            // The host saw the pause before its close frame; every socket closed with 1001 and the reason.
            _ = try await host.next("state") { $0["paused"] as? Bool == true }
            for peer in players + [host] {
                try await waitUntilClosed(peer)
                let frame = await peer.inbox.closeFrame
                #expect(frame?.closeCode == .goingAway)
                #expect(frame?.reason?.contains("server restarting") == true)
            }
            // One that comes during the shutdown is sent away at once, seated nowhere.
            let late = WSPeer(port: port)
            late.send(["type": "join", "pin": contest.contest.pin, "name": "迟到", "branchId": 2])
            try await waitUntilClosed(late)
            #expect(await late.inbox.closeFrame?.closeCode == .goingAway)
            #expect(await late.everything.isEmpty, "no welcome: not seated")
        }
        // The pause is journaled: it is the last input, and the contest row is still live.
        let store = try Store(directory: configuration.dataDirectory)
        let contests = try store.liveContests()
        #expect(contests.count == 1)
        let last = try store.journal(ofContest: try #require(contests.first).id).last
        #expect(last?.input == .command(.pause))
    }

    private func waitUntilClosed(_ peer: WSPeer) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while await !peer.closed {
            guard ContinuousClock.now < deadline else { throw TestFailure("the socket was not closed") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
