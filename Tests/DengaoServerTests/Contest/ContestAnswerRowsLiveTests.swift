import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// The room writes each accepted answer's report row with the journal entry that accepted it, over real
/// WebSockets: the row is on disk when the player's acknowledgement arrives, and its points when the leaderboard that
/// follows the reveal does.
@Suite struct ContestAnswerRowsLiveTests {
    @Test func everyAcknowledgedAnswerHasItsRowAndEveryRevealItsPoints() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let port = client.port!
            let created = try await admin.createContest(ownerUnitId: nil, settings: sampleSettings())
            let contestId = created.contest.id
            let store = try TestBackend.storage(configuration)
            let questions = try await store.contestQuestions(ContestID(contestId))

            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": contestId])
            let welcome = try await host.next("welcome")
            let branches = ((welcome["contest"] as! [String: Any])["branches"] as! [[String: Any]]).map {
                Int64($0["id"] as! Int)
            }
            var players: [WSPeer] = []
            for index in 0..<3 {
                let player = WSPeer(port: port)
                player.send([
                    "type": "join", "v": 1, "pin": created.contest.pin, "name": "选手\(index + 1)",
                    "branchId": branches[index % 2],
                ])
                _ = try await player.next("welcome")
                players.append(player)
            }

            for question in questions {
                host.send(["type": "command", "command": "next"])
                for (index, player) in players.enumerated() {
                    let state = try await player.next("state") {
                        ($0["question"] as? [String: Any])?["number"] as? Int == question.number
                    }
                    let shown = (state["question"] as! [String: Any])["options"] as? [String] ?? []
                    let correct = index != 1
                    player.send(
                        answerMessage(for: question.question, number: question.number, options: shown, correct: correct)
                    )
                    let ack = try await player.next("ack")
                    #expect(ack["status"] as? String == "accepted")
                    // Acknowledged means on disk, the row included: in the bank's option order, graded, not yet scored.
                    let seat = ResponseAttempt.contestSeat(contestId: ContestID(contestId), seat: index + 1)
                    let row = try await store.contestResponses(contest: ContestID(contestId)).first {
                        $0.slot == question.number && $0.attempt == seat
                    }
                    #expect(row?.correctness == (correct ? .correct : .wrong))
                    #expect(row.map { question.question.grade($0.answer!) } == (correct ? .correct : .wrong))
                    if case .choices(let key) = question.question.answer, correct {
                        #expect(row?.answer == .choices(key))
                    }
                    #expect(row?.points == nil)
                    #expect(row?.questionId == question.questionId)
                    #expect(row?.unitId.rawValue == branches[index % 2] && row?.memberId == nil)
                }
                // A repeated answer is acknowledged again but is no second row, and changes none.
                players[1].send(["type": "answer", "number": question.number, "picks": [0], "truth": true])
                _ = try await players[1].next("ack")
                let rows = try await store.contestResponses(contest: ContestID(contestId)).filter {
                    $0.slot == question.number
                }
                #expect(rows.count == 3)
                #expect(rows.map(\.correctness) == [.correct, .wrong, .correct])

                host.send(["type": "command", "command": "reveal"])
                for (index, player) in players.enumerated() {
                    // What came before this question's reveal (earlier leaderboards) is dropped: the leaderboard
                    // awaited below is the one sent after it.
                    let reveal = try await player.skip(through: "reveal") { $0["number"] as? Int == question.number }
                    let points = (reveal["you"] as! [String: Any])["points"] as? Int
                    // The points are committed right after the reveal's entry, in the next transaction (the reveal
                    // does not wait for them): the leaderboard that follows is queued after them, so it waits.
                    _ = try await player.next("leaderboard")
                    let seat = ResponseAttempt.contestSeat(contestId: ContestID(contestId), seat: index + 1)
                    let row = try await store.contestResponses(contest: ContestID(contestId)).first {
                        $0.slot == question.number && $0.attempt == seat
                    }
                    #expect(row?.points == points)
                    #expect((row?.points ?? 0 > 0) == (index != 1))
                }
                // After the reveal too, a repeat is the first answer's acknowledgement and changes no row.
                players[1].send(["type": "answer", "number": question.number, "picks": [0], "truth": true])
                _ = try await players[1].next("ack")
                #expect(
                    try await store.contestResponses(contest: ContestID(contestId)).filter {
                        $0.slot == question.number
                    }.map(
                        \.correctness) == [.correct, .wrong, .correct])
            }
            host.send(["type": "command", "command": "finish"])
            _ = try await host.next("state") { $0["phase"] as? String == "finished" }

            // The rows are what the results read from the journal.
            let summary = try #require(try await store.contest(id: ContestID(contestId)))
            let journal = try await store.journal(ofContest: ContestID(contestId)).map { (input: $0.input, at: $0.at) }
            let results = ContestResults(settings: summary.settings, questions: questions, journal: journal)
            let rows = try await store.contestResponses(contest: ContestID(contestId))
            #expect(rows.count == results.answers.count && rows.count == 3 * questions.count)
            for answer in results.answers {
                let seat = ResponseAttempt.contestSeat(contestId: ContestID(contestId), seat: answer.seat)
                let row = rows.first { $0.slot == answer.number && $0.attempt == seat }
                #expect(
                    row?.answer == answer.answer && row?.correctness == answer.correctness
                        && row?.points == answer.points)
                #expect(row?.elapsedMilliseconds == answer.elapsedMilliseconds && row?.at == answer.receivedAt)
            }
            let seats = try await store.contestSeats(contest: ContestID(contestId))
            #expect(
                seats.map(\.name) == ["选手1", "选手2", "选手3"]
                    && seats.map(\.unitId.rawValue) == [branches[0], branches[1], branches[0]])
            #expect(seats.allSatisfy { $0.memberId == nil && $0.kickedAt == nil })
            for peer in players + [host] { await peer.close() }
        }
    }
}
