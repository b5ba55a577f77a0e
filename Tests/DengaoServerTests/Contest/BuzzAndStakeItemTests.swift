import DengaoCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer
@testable import DengaoStorage

/// 抢答 and 风险 in a contest's item analysis: a contest played over real WebSockets on a clock the test moves,
/// with a false start, a wrong and a right buzz answer, and stakes chosen and defaulted; then the item report's
/// figures, its questions sheet, and their absence on a 必答 question.
@Suite struct BuzzAndStakeItemTests {
    static func settings() -> ContestSettings {
        sampleSettings(rounds: [
            RoundSettings(
                title: "抢答", kind: .buzz, banks: ["党章党规党纪"], draw: DrawRule(count: 1, types: [.single, .trueFalse]),
                timeLimitSeconds: 30, points: 100, readSeconds: 3, answerSeconds: 10, earlyBuzzPenalty: 50,
                wrongAnswerPenalty: 30),
            RoundSettings(
                title: "风险", kind: .risk, banks: ["党章党规党纪"], draw: DrawRule(count: 1, types: [.single, .trueFalse]),
                timeLimitSeconds: 30, wagers: [10, 20, 30]),
            RoundSettings(
                title: "必答", kind: .everyone, banks: ["党章党规党纪"],
                draw: DrawRule(count: 1, types: [.single, .trueFalse]),
                timeLimitSeconds: 30, points: 100),
        ])
    }

    @Test func buzzesFalseStartsAndStakesAreInTheItemReport() async throws {
        let clock = ManualClock()
        let configuration = {
            var configuration = demoConfiguration()
            configuration.clock = clock
            return configuration
        }()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let units = try await ReportTests.unitIds(admin)
            let created = try await admin.createContest(ownerUnitId: units["机关党委"], settings: Self.settings())
            let id = created.contest.id
            let store = try TestBackend.storage(configuration)
            let questions = try await store.contestQuestions(ContestID(id))
            let port = client.port!
            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": id])
            _ = try await host.next("welcome")
            var players: [WSPeer] = []
            for number in ["DG0001", "DG0009"] {
                let player = WSPeer(port: port, cookie: try await admin.memberPhone(number).cookie)
                player.send(["type": "join", "v": 1, "pin": created.contest.pin])
                _ = try await player.next("welcome")
                players.append(player)
            }
            let guest = WSPeer(port: port)
            guest.send([
                "type": "join", "v": 1, "pin": created.contest.pin, "name": "访客乙",
                "branchId": units[ReportTests.third]!,
            ])
            _ = try await guest.next("welcome")
            players.append(guest)
            let (a, b, c) = (players[0], players[1], players[2])
            func shown(_ player: WSPeer, _ number: Int, phase: String = "open") async throws -> [String] {
                let state = try await player.next("state") {
                    $0["phase"] as? String == phase && ($0["question"] as? [String: Any])?["number"] as? Int == number
                }
                return (state["question"] as! [String: Any])["options"] as? [String] ?? []
            }

            // 抢答 (question 1): A presses while the question is still read (a false start); after the reading time
            // B wins the buzzer and answers wrong; C wins it next and answers right.
            let buzzQuestion = questions[0]
            host.send(["type": "command", "command": "next"])
            var options: [WSPeer: [String]] = [:]
            for player in players { options[player] = try await shown(player, 1) }
            a.send(["type": "buzz", "number": 1])
            #expect(try await a.next("ack")["status"] as? String == "early-buzz")
            clock.advance(by: .seconds(4))
            b.send(["type": "buzz", "number": 1])
            #expect(try await b.next("ack")["status"] as? String == "buzz-won")
            b.send(answerMessage(for: buzzQuestion.question, number: 1, options: options[b]!, correct: false))
            #expect(try await b.next("ack")["status"] as? String == "accepted")
            c.send(["type": "buzz", "number": 1])
            #expect(try await c.next("ack")["status"] as? String == "buzz-won")
            c.send(answerMessage(for: buzzQuestion.question, number: 1, options: options[c]!, correct: true))
            #expect(try await c.next("ack")["status"] as? String == "accepted")
            host.send(["type": "command", "command": "reveal"])
            for player in players { _ = try await player.next("reveal") { $0["number"] as? Int == 1 } }

            // 风险 (question 2): A stakes 30 and is right, B stakes 10 and is wrong, C chooses none (10) and is right.
            let riskQuestion = questions[1]
            host.send(["type": "command", "command": "next"])
            for player in players { _ = try await shown(player, 2, phase: "wagering") }
            for (player, amount) in [(a, 30), (b, 10)] {
                player.send(["type": "wager", "number": 2, "amount": amount])
                #expect(try await player.next("ack")["status"] as? String == "wager")
            }
            host.send(["type": "command", "command": "next"])
            for player in players { options[player] = try await shown(player, 2) }
            for (player, correct) in [(a, true), (b, false), (c, true)] {
                player.send(
                    answerMessage(for: riskQuestion.question, number: 2, options: options[player]!, correct: correct))
                #expect(try await player.next("ack")["status"] as? String == "accepted")
            }
            host.send(["type": "command", "command": "reveal"])
            for player in players { _ = try await player.next("reveal") { $0["number"] as? Int == 2 } }

            // 必答 (question 3): everyone right; no buzz or stake figures.
            host.send(["type": "command", "command": "next"])
            for player in players { options[player] = try await shown(player, 3) }
            for player in players {
                player.send(
                    answerMessage(for: questions[2].question, number: 3, options: options[player]!, correct: true))
                #expect(try await player.next("ack")["status"] as? String == "accepted")
            }
            host.send(["type": "command", "command": "reveal"])
            for player in players { _ = try await player.next("reveal") { $0["number"] as? Int == 3 } }
            host.send(["type": "command", "command": "finish"])
            _ = try await a.next("state") { $0["phase"] as? String == "finished" }
            for peer in players + [host] { await peer.close() }

            let items = try await admin.json(.get, "/api/contests/\(id)/items")
            #expect(items.status == 200)
            let lines = try #require(items.object["questions"] as? [[String: Any]])
            // A failed count must end this test, not the whole test process on lines[2].
            try #require(lines.map { $0["place"] as? String } == ["第01题", "第02题", "第03题"], "\(lines)")
            let buzz = try #require(lines[0]["buzz"] as? [String: Any])
            #expect(buzz["buzzes"] as? Int == 2)
            #expect(buzz["falseStarts"] as? Int == 1)
            #expect(buzz["correct"] as? Int == 1 && buzz["wrong"] as? Int == 1 && buzz["timedOut"] as? Int == 0)
            #expect(buzz["winnerAccuracy"] as? Double == 50)
            #expect(lines[0]["stakes"] == nil)
            let stakes = try #require(lines[1]["stakes"] as? [String: Any])
            let levels = (stakes["levels"] as? [[String: Any]] ?? []).map {
                [$0["stake"] as? Int ?? -1, $0["count"] as? Int ?? -1]
            }
            #expect(levels == [[10, 2], [20, 0], [30, 1]])
            #expect(stakes["players"] as? Int == 3 && stakes["defaulted"] as? Int == 1)
            #expect(abs((stakes["meanStake"] as? Double ?? 0) - 50.0 / 3) < 1e-9)
            #expect(stakes["pointsWon"] as? Int == 40 && stakes["pointsLost"] as? Int == 10)
            #expect(lines[1]["buzz"] == nil)
            #expect(lines[2]["buzz"] == nil && lines[2]["stakes"] == nil, "a 必答 question has neither")

            // The answers sheet: two buzz answers, three stakes answered, three 必答 (and its header).
            let answerSheet = try await ReportTests.csvLines(
                admin, "/api/contests/\(id)/results?format=csv&sheet=answers")
            let answerLines: Int = answerSheet.count
            #expect(answerLines == 9)

            let sheet = try await ReportTests.csvLines(admin, "/api/contests/\(id)/items?format=csv&sheet=questions")
            let header = sheet[0]
            #expect(Array(header.suffix(8)) == QuestionPlayFigures.header)
            let buzzRow: [String] = ["2", "1", "1", "50.0", "", "", "", ""]
            let stakeRow: [String] = ["", "", "", "", "10分×2 20分×0 30分×1", "16.7", "40", "10"]
            let emptyRow = [String](repeating: "", count: 8)
            #expect(Array(sheet[1].suffix(8)) == buzzRow)
            #expect(Array(sheet[2].suffix(8)) == stakeRow)
            #expect(Array(sheet[3].suffix(8)) == emptyRow)
        }
    }
}

extension WSPeer: Hashable {
    static func == (a: WSPeer, b: WSPeer) -> Bool { a === b }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
