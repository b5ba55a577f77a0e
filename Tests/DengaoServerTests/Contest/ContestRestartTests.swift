import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// A contest survives its server: everything acknowledged is journaled, and a new server on the same data
/// replays it and resumes the contest paused where it was.
@Suite struct ContestRestartTests {
    struct Played: Sendable {
        var contest: CreatedContest
        var tokens: [String]
        var number: Int
        var picks: [[Int]]
    }

    @Test func aRestartedServerResumesTheContestPausedWithEveryAnswer() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        // First server: three players join, the first question opens, two of them answer.
        let played: Played = try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let port = client.port!
            let contest = try await admin.createContest(ownerUnitId: nil, settings: sampleSettings())
            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": contest.contest.id])
            _ = try await host.next("welcome")
            var players: [WSPeer] = []
            var tokens: [String] = []
            for index in 0..<3 {
                let player = WSPeer(port: port)
                player.send(["type": "join", "pin": contest.contest.pin, "name": "选手\(index)", "branchId": 2])
                tokens.append(try await player.next("welcome")["token"] as! String)
                players.append(player)
            }
            host.send(["type": "command", "command": "next"])
            var number = 0
            var picks: [[Int]] = []
            for player in players.prefix(2) {
                let state = try await player.next("state") { $0["phase"] as? String == "open" }
                let question = state["question"] as! [String: Any]
                number = question["number"] as! Int
                let options = question["options"] as? [String]
                player.send(
                    options == nil
                        ? ["type": "answer", "number": number, "truth": true]
                        : ["type": "answer", "number": number, "picks": [0]])
                #expect(try await player.next("ack")["status"] as? String == "accepted")
                picks.append(options == nil ? [] : [0])
            }
            for peer in players + [host] { await peer.close() }
            return Played(contest: contest, tokens: tokens, number: number, picks: picks)
        }

        // Second server on the same data.
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let port = client.port!
            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": played.contest.contest.id])
            let state = try await host.next("state")
            #expect(state["phase"] as? String == "open")
            #expect(state["paused"] as? Bool == true)
            #expect((state["question"] as? [String: Any])?["number"] as? Int == played.number)
            let progress = try await host.next("progress")
            #expect(progress["answered"] as? Int == 2)
            #expect(progress["seats"] as? Int == 3)

            var resumed: [WSPeer] = []
            for (index, token) in played.tokens.enumerated() {
                let player = WSPeer(port: port)
                player.send(["type": "resume", "pin": played.contest.contest.pin, "token": token])
                let you = try await player.next("state")["you"] as! [String: Any]
                #expect(you["answered"] as? Bool == (index < 2))
                resumed.append(player)
            }
            // Answers are refused while paused; after the host resumes, the third player can still answer.
            resumed[2].send(["type": "answer", "number": played.number, "truth": true, "picks": [0]])
            #expect(try await resumed[2].next("error")["code"] as? String == "paused")
            host.send(["type": "command", "command": "resume"])
            _ = try await resumed[2].next("state") { $0["paused"] as? Bool == false }
            resumed[2].send(["type": "answer", "number": played.number, "truth": true, "picks": [0]])
            #expect(try await resumed[2].next("ack")["status"] as? String == "accepted")
            host.send(["type": "command", "command": "reveal"])
            let reveal = try await host.next("reveal")
            #expect((reveal["distribution"] as! [Int]).reduce(0, +) == 3)
            for peer in resumed + [host] { await peer.close() }
        }

        // Every acknowledged answer is in the journal exactly once.
        let journal = try await TestBackend.storage(configuration).journal(
            ofContest: ContestID(played.contest.contest.id))
        let answers = journal.filter { if case .answer = $0.input { return true } else { return false } }
        #expect(answers.count == 3)
        #expect(journal.contains { $0.input == .command(.pause) })
    }
}
