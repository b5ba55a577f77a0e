import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// Hundreds of real WebSocket players through a whole contest; the final scores are checked against a
/// computation written here from the rulebook and the journal's times, not through the contest's own code.
@Suite struct ContestCrowdTests {
    static let playerCount = 200

    @Test func twoHundredPlayersAndAnIndependentScoreCount() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let port = client.port!
            let created = try await admin.createContest(ownerUnitId: nil, settings: sampleSettings())
            let store = try TestBackend.storage(configuration)
            let questions = try await store.contestQuestions(ContestID(created.contest.id))
            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": created.contest.id])
            _ = try await host.next("welcome")

            let players = (0..<Self.playerCount).map { _ in WSPeer(port: port) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, player) in players.enumerated() {
                    group.addTask {
                        player.send([
                            "type": "join", "pin": created.contest.pin, "name": "p\(index)",
                            "branchId": [2, 3, 4, 6, 7][index % 5],
                        ])
                        _ = try await player.next("welcome", timeout: .seconds(30))
                    }
                }
                try await group.waitForAll()
            }

            for question in questions {
                host.send(["type": "command", "command": "next"])
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, player) in players.enumerated() {
                        group.addTask {
                            let state = try await player.next("state", timeout: .seconds(30)) {
                                ($0["question"] as? [String: Any])?["number"] as? Int == question.number
                                    && $0["phase"] as? String == "open"
                            }
                            let shown = (state["question"] as! [String: Any])["options"] as? [String] ?? []
                            // Some skip, some are wrong, most are right; who does what varies per question.
                            let choice = (index * 7 + question.number * 3) % 10
                            guard choice != 0 else { return }
                            try await Task.sleep(for: .milliseconds(choice * 30))
                            player.send(
                                answerMessage(
                                    for: question.question, number: question.number, options: shown, correct: choice > 2
                                ))
                            let ack = try await player.next("ack", timeout: .seconds(30))
                            #expect(ack["status"] as? String == "accepted")
                        }
                    }
                    try await group.waitForAll()
                }
                host.send(["type": "command", "command": "reveal"])
                _ = try await host.next("reveal", timeout: .seconds(30)) { $0["number"] as? Int == question.number }
            }
            host.send(["type": "command", "command": "finish"])
            _ = try await host.next("state", timeout: .seconds(30)) { $0["phase"] as? String == "finished" }

            // The rulebook applied to the journal: open times from the host's `next`, answer times as received.
            let journal = try await store.journal(ofContest: ContestID(created.contest.id))
            var expected: [Int: Int] = [:]
            var openedAt: [Int: ContestTime] = [:]
            var questionNumber = 0
            for entry in journal {
                switch entry.input {
                case .join(let seat): expected[seat.id] = 0
                case .command(.next):
                    questionNumber += 1
                    openedAt[questionNumber] = entry.at
                case .answer(let seat, let number, let answer):
                    let question = questions[number - 1].question
                    guard question.grade(answer) == .correct else { continue }
                    let elapsed = Double(min(entry.at - openedAt[number]!, 30_000))
                    expected[seat, default: 0] += Int((1000 * (1 - elapsed / 30_000 / 2)).rounded())
                default: break
                }
            }
            #expect(expected.count == Self.playerCount)

            // What each player's phone was told at the end, and what the export says.
            try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for player in players {
                    group.addTask {
                        try await player.skip(through: "state", timeout: .seconds(30)) {
                            $0["phase"] as? String == "finished"
                        }
                        let board = try await player.next("leaderboard", timeout: .seconds(30))
                        let you = board["you"] as! [String: Any]
                        return (you["seat"] as! Int, you["score"] as! Int)
                    }
                }
                for try await (seat, score) in group { #expect(score == expected[seat], "seat \(seat)") }
            }
            let csv: String = try await admin.execute(
                uri: "/api/contests/\(created.contest.id)/results?format=csv&sheet=standings", method: .get
            ) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            let rows = csv.split(separator: "\r\n").dropFirst().map {
                $0.split(separator: ",", omittingEmptySubsequences: false)
            }
            #expect(rows.count == Self.playerCount)
            let scores = rows.map { Int($0[4])! }
            #expect(scores == scores.sorted(by: >))
            #expect(scores.sorted() == expected.values.sorted())
            for peer in players + [host] { await peer.close() }
        }
    }
}
