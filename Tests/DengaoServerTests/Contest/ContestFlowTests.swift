import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// A whole contest over real WebSockets on a loopback port: host, display and players.
@Suite struct ContestFlowTests {
    @Test func aShortContestFromJoinToPodium() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let port = client.port!
            let created = try await admin.createContest(ownerUnitId: nil, settings: sampleSettings())
            #expect(created.contest.pin.count == 6)
            #expect(created.joinLink == "https://dengao.test/play.html?pin=\(created.contest.pin)")
            let questions = try await TestBackend.storage(configuration).contestQuestions(ContestID(created.contest.id))

            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": created.contest.id])
            _ = try await host.next("welcome")
            let display = WSPeer(port: port)
            display.send(["type": "display", "contestId": created.contest.id, "token": created.displayToken])
            let displayWelcome = try await display.next("welcome")
            let branches = ((displayWelcome["contest"] as! [String: Any])["branches"] as! [[String: Any]]).map {
                $0["id"] as! Int
            }
            #expect(branches.count >= 2)

            // Three guests: seat 1 always right, seat 2 always wrong, seat 3 right but only on question 1.
            var players: [WSPeer] = []
            for index in 0..<3 {
                let player = WSPeer(port: port)
                player.send([
                    "type": "join", "v": 1, "pin": created.contest.pin, "name": "选手\(index + 1)",
                    "branchId": branches[index % 2],
                ])
                let welcome = try await player.next("welcome")
                #expect((welcome["seat"] as! [String: Any])["id"] as? Int == index + 1)
                #expect((welcome["token"] as? String)?.count == 43)
                players.append(player)
            }
            let joined = try await display.next("players") {
                ($0["byBranch"] as? [[String: Any]])?.reduce(0) { $0 + ($1["joined"] as! Int) } == 3
            }
            #expect((joined["byBranch"] as! [[String: Any]]).count == 2)

            var firstAcks: [Int: [String: Any]] = [:]
            for question in questions {
                host.send(["type": "command", "command": "next"])
                for (index, player) in players.enumerated() {
                    let state = try await player.next("state") {
                        ($0["question"] as? [String: Any])?["number"] as? Int == question.number
                    }
                    let view = state["question"] as! [String: Any]
                    #expect(view["stem"] as? String == question.question.stem)
                    let shown = view["options"] as? [String] ?? []
                    #expect(Set(shown) == Set(question.question.options))
                    // Each shuffled option keeps its bank letter, the one the big screen and the host show for it.
                    if question.question.type.hasOptions {
                        let letters = view["letters"] as? [String] ?? []
                        let bankLetters = shown.map { text in
                            question.question.options.firstIndex(of: text).map { String(Question.optionLetters[$0]) }
                                ?? "?"
                        }
                        #expect(letters == bankLetters, "phone \(index + 1) letters \(shown) as \(letters)")
                    }
                    let correct = index == 0 || (index == 2 && question.number == 1)
                    player.send(
                        answerMessage(for: question.question, number: question.number, options: shown, correct: correct)
                    )
                    let ack = try await player.next("ack")
                    #expect(ack["status"] as? String == "accepted")
                    if index == 1 { firstAcks[question.number] = ack }
                }
                // The same answer again is the same acknowledgement, not a second answer.
                players[1].send(["type": "answer", "number": question.number, "picks": [0], "truth": true])
                let repeated = try await players[1].next("ack")
                #expect(repeated["status"] as? String == "accepted")
                #expect(repeated["picks"] as? [Int] == firstAcks[question.number]?["picks"] as? [Int])
                #expect(repeated["truth"] as? Bool == firstAcks[question.number]?["truth"] as? Bool)
                host.send(["type": "command", "command": "reveal"])
                for (index, player) in players.enumerated() {
                    let reveal = try await player.next("reveal") { $0["number"] as? Int == question.number }
                    let you = reveal["you"] as! [String: Any]
                    let correct = index == 0 || (index == 2 && question.number == 1)
                    #expect(you["correctness"] as? String == (correct ? "correct" : "wrong"))
                    #expect((((you["points"] as? Int) ?? 0) > 0) == correct)
                    // The key a phone marks carries the bank's letters: the letters the host announces.
                    if case .choices(let key) = question.question.answer {
                        let letters = reveal["letters"] as? [String] ?? []
                        let marked = (reveal["key"] as? [Int] ?? []).map {
                            letters.indices.contains($0) ? letters[$0] : "?"
                        }
                        #expect(Set(marked) == Set(key.map { String(Question.optionLetters[$0]) }))
                    }
                }
                _ = try await display.next("reveal") { $0["number"] as? Int == question.number }
            }
            host.send(["type": "command", "command": "finish"])
            let board = try await display.next("leaderboard") { ($0["top"] as? [[String: Any]])?.count == 3 }
            let top = board["top"] as! [[String: Any]]
            #expect(top.map { $0["seat"] as? Int } == [1, 3, 2])
            #expect(top.map { $0["rank"] as? Int } == [1, 2, 3])
            #expect(top.last?["score"] as? Int == 0)
            let mine = try await players[2].next("leaderboard")
            #expect((mine["you"] as! [String: Any])["rank"] as? Int == 2)

            // Nothing a player received before a question's reveal names its key or its grading.
            for player in players {
                var revealed = Set<Int>()
                for text in await player.everything {
                    let object = WSPeer.object(text)!
                    if object["type"] as? String == "reveal" { revealed.insert(object["number"] as! Int); continue }
                    let leaked = fieldNames(in: object).intersection(keyFieldNames)
                    #expect(leaked.isEmpty, "\(object["type"]!) carried \(leaked)")
                }
                #expect(revealed == Set(questions.map(\.number)))
            }
            for peer in players + [host, display] { await peer.close() }
        }
    }
}
