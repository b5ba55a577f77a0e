import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// A 投票 round played over real WebSockets between two drawn questions: players see the organizer's question
/// with no key, the reveal gives everyone the room's distribution and nobody a point, and the reports hold only
/// the drawn questions' answers.
@Suite struct PollRoundLiveTests {
    static func settings() -> ContestSettings {
        let drawn = RoundSettings(
            title: "必答", kind: .everyone, banks: ["党章党规党纪"], draw: DrawRule(count: 1, types: [.trueFalse]),
            timeLimitSeconds: 30, points: 1000)
        var poll = RoundSettings(
            title: "现场投票", kind: .poll, banks: [], draw: DrawRule(count: 2), timeLimitSeconds: 30, points: 0)
        poll.poll = [
            PollQuestion(prompt: "你最想学哪方面内容？", options: ["党史", "党章", "时事"]),
            PollQuestion(prompt: "哪些学习方式适合你？", options: ["线上", "线下", "送学上门"], multiple: true),
        ]
        return ContestSettings(title: "投票测试", rounds: [drawn, poll, drawn])
    }

    @Test func aPollRoundIsPlayedAndScoresNothing() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let port = client.port!
            let created = try await admin.createContest(ownerUnitId: nil, settings: Self.settings())
            #expect(created.contest.questionCount == 4)
            let contestId = created.contest.id
            let store = try TestBackend.storage(configuration)
            let questions = try await store.contestQuestions(ContestID(contestId))
            #expect(questions.map(\.number) == [1, 2, 3, 4])
            #expect(questions.map(\.questionId).map { $0 == 0 } == [false, true, true, false])

            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": contestId])
            let welcome = try await host.next("welcome")
            let branch = ((welcome["contest"] as! [String: Any])["branches"] as! [[String: Any]])[0]["id"] as! Int
            let display = WSPeer(port: port)
            display.send(["type": "display", "contestId": contestId, "token": created.displayToken])
            _ = try await display.next("welcome")
            var players: [WSPeer] = []
            for index in 0..<2 {
                let player = WSPeer(port: port)
                player.send([
                    "type": "join", "v": 1, "pin": created.contest.pin, "name": "选手\(index + 1)", "branchId": branch,
                ])
                _ = try await player.next("welcome")
                players.append(player)
            }

            // Question 1, drawn: both right, 1000-ish points each.
            host.send(["type": "command", "command": "next"])
            for player in players {
                _ = try await player.next("state") { ($0["question"] as? [String: Any])?["number"] as? Int == 1 }
                player.send(answerMessage(for: questions[0].question, number: 1, options: [], correct: true))
                #expect(try await player.next("ack")["status"] as? String == "accepted")
            }
            host.send(["type": "command", "command": "reveal"])
            var scores: [Int] = []
            for player in players {
                let reveal = try await player.next("reveal") { $0["number"] as? Int == 1 }
                scores.append((reveal["you"] as! [String: Any])["score"] as! Int)
            }
            #expect(scores.allSatisfy { $0 > 0 })

            // Question 2, the single-choice poll: no key anywhere before the reveal, both pick 时事.
            host.send(["type": "command", "command": "next"])
            for player in players {
                let state = try await player.next("state") {
                    ($0["question"] as? [String: Any])?["number"] as? Int == 2
                }
                let question = state["question"] as! [String: Any]
                #expect(question["kind"] as? String == "poll")
                #expect(question["stem"] as? String == "你最想学哪方面内容？")
                #expect(fieldNames(in: state).isDisjoint(with: keyFieldNames))
                let shown = question["options"] as! [String]
                #expect(Set(shown) == ["党史", "党章", "时事"])
                // Two picks on a single-choice poll are refused and change nothing.
                player.send(["type": "answer", "number": 2, "picks": [0, 1]])
                #expect(try await player.next("error")["code"] as? String == "malformed-answer")
                player.send(["type": "answer", "number": 2, "picks": [shown.firstIndex(of: "时事")!]])
                #expect(try await player.next("ack")["status"] as? String == "accepted")
            }
            host.send(["type": "command", "command": "reveal"])
            for (index, player) in players.enumerated() {
                let reveal = try await player.next("reveal") { $0["number"] as? Int == 2 }
                let shown = reveal["options"] as! [String]
                let distribution = reveal["distribution"] as! [Int]
                #expect(distribution[shown.firstIndex(of: "时事")!] == 2)
                #expect(distribution.reduce(0, +) == 2)
                #expect((reveal["key"] as? [Int] ?? []).isEmpty)
                let you = reveal["you"] as! [String: Any]
                #expect(you["points"] as? Int == 0)
                #expect(you["correctness"] == nil || you["correctness"] is NSNull)
                #expect(you["score"] as? Int == scores[index])
            }
            let onScreen = try await display.next("reveal") { $0["number"] as? Int == 2 }
            #expect((onScreen["distribution"] as! [Int]).reduce(0, +) == 2)

            // Question 3, the multiple-choice poll takes several picks.
            host.send(["type": "command", "command": "next"])
            let state = try await players[0].next("state") {
                ($0["question"] as? [String: Any])?["number"] as? Int == 3
            }
            #expect((state["question"] as! [String: Any])["type"] as? String == "multiple")
            players[0].send(["type": "answer", "number": 3, "picks": [0, 2]])
            #expect(try await players[0].next("ack")["status"] as? String == "accepted")
            host.send(["type": "command", "command": "reveal"])
            let third = try await players[0].next("reveal") { $0["number"] as? Int == 3 }
            #expect((third["distribution"] as! [Int]).reduce(0, +) == 2)

            // Question 4, drawn again: its number is the one stored for it.
            host.send(["type": "command", "command": "next"])
            _ = try await players[0].next("state") { ($0["question"] as? [String: Any])?["number"] as? Int == 4 }
            players[0].send(answerMessage(for: questions[3].question, number: 4, options: [], correct: false))
            #expect(try await players[0].next("ack")["status"] as? String == "accepted")
            host.send(["type": "command", "command": "finish"])
            _ = try await host.next("state") { $0["phase"] as? String == "finished" }

            // The reports hold the drawn questions' answers only.
            let rows = try await store.contestResponses(contest: ContestID(contestId))
            #expect(Set(rows.map(\.slot)) == [1, 4])

            // The results page lists the polls apart; the 投票 sheet downloads; no other figure counts them.
            let report = try await admin.execute(uri: "/api/contests/\(contestId)/report", method: .get) { response in
                #expect(response.status == .ok)
                return try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
            }
            let polls = report["polls"] as! [[String: Any]]
            #expect(polls.map { $0["number"] as! Int } == [2, 3])
            #expect(polls[0]["counts"] as? [Int] == [0, 0, 2])
            #expect(polls[0]["voters"] as? Int == 2 && polls[1]["voters"] as? Int == 1)
            #expect((report["headline"] as! [String: Any])["questions"] as? Int == 2)
            let sheets = ((report["downloads"] as! [String: Any])["sheets"] as! [[String: Any]]).map {
                $0["sheet"] as! String
            }
            #expect(sheets.last == "polls")
            let csv = try await admin.execute(
                uri: "/api/contests/\(contestId)/results?format=csv&sheet=polls", method: .get
            ) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            #expect(csv.contains("时事") && csv.contains("送学上门") && csv.contains("100.0%"))
            for peer in players + [host, display] { await peer.close() }
        }
    }

    @Test func aBadPollIsRefusedNamingItsPlaceAndCreatesNothing() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let store = try TestBackend.storage(configuration)
            let before = try await store.contests(ownedBy: nil).count
            var settings = Self.settings()
            settings.rounds[1].poll[1].options = ["只有一个"]
            let body = try await admin.send(
                .post, "/api/contests", json: NewContestRequest(ownerUnitId: nil, settings: settings)
            ) { response in
                #expect(response.status == .unprocessableContent)
                return String(buffer: response.body)
            }
            #expect(body.contains("第2轮第2题：投票选项须为 2–8 项"))
            #expect(try await store.contests(ownedBy: nil).count == before)
            // A contest without polls has no 投票 sheet: asking for it is a clear 404, not a crash.
            let plain = try await admin.createContest(ownerUnitId: nil, settings: sampleSettings())
            try await admin.execute(
                uri: "/api/contests/\(plain.contest.id)/results?format=csv&sheet=polls", method: .get
            ) {
                response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("没有投票结果"))
            }
        }
    }
}
