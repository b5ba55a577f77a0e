import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// The created contest as the console API returns it.
struct CreatedContest: Decodable {
    struct Contest: Decodable {
        var id: Int64
        var pin: String
        var questionCount: Int
    }
    var contest: Contest
    var joinLink: String
    var displayLink: String?

    /// The display token from the display link's fragment.
    var displayToken: String {
        String(displayLink!.split(separator: "token=").last!)
    }
}

/// A fresh data directory that gets the demo organization and the sample banks even though a test account is
/// created in it before the server starts.
func demoConfiguration() -> AppConfiguration {
    var configuration = testConfiguration()
    configuration.seedDemo = true
    return configuration
}

/// Settings of a small contest drawn from the sample bank 党章党规党纪 (single-choice and true/false questions only,
/// so tests can answer them by position and by truth).
func sampleSettings(rounds: [RoundSettings]? = nil, mode: ContestMode = .individual) -> ContestSettings {
    ContestSettings(
        title: "测试竞赛", mode: mode,
        rounds: rounds ?? [
            RoundSettings(
                title: "必答", kind: .everyone, banks: ["党章党规党纪"],
                draw: DrawRule(count: 3, types: [.single, .trueFalse]),
                timeLimitSeconds: 30, points: 1000)
        ])
}

struct NewContestRequest: Encodable {
    var ownerUnitId: Int64?
    var settings: ContestSettings
}

extension SignedInClient {
    func createContest(ownerUnitId: Int64?, settings: ContestSettings) async throws -> CreatedContest {
        try await send(.post, "/api/contests", json: NewContestRequest(ownerUnitId: ownerUnitId, settings: settings)) {
            response in
            guard response.status == .created else {
                throw TestFailure("create contest: \(response.status) \(String(buffer: response.body))")
            }
            return try response.body.decode(CreatedContest.self)
        }
    }
}

/// The answer a test player gives: right or wrong on purpose, in the player's own option order.
func answerMessage(for question: Question, number: Int, options shown: [String], correct: Bool) -> [String: Any] {
    switch question.answer {
    case .choices(let key):
        let rightText = question.options[key[0]]
        let position =
            correct
            ? shown.firstIndex(of: rightText)!
            : shown.firstIndex { $0 != rightText }!
        return ["type": "answer", "number": number, "picks": [position]]
    case .truth(let truth):
        return ["type": "answer", "number": number, "truth": correct ? truth : !truth]
    case .texts(let texts):
        return ["type": "answer", "number": number, "text": correct ? texts[0] : "不是答案"]
    }
}

/// Field names that carry a question's key or an answer's grading; none may reach a player before the reveal.
let keyFieldNames: Set<String> = ["key", "correctness", "explanation", "texts", "answer", "correct"]

func fieldNames(in value: Any) -> Set<String> {
    if let object = value as? [String: Any] {
        return object.reduce(into: Set(object.keys)) { names, entry in names.formUnion(fieldNames(in: entry.value)) }
    }
    if let array = value as? [Any] { return array.reduce(into: Set<String>()) { $0.formUnion(fieldNames(in: $1)) } }
    return []
}

/// A contest's host and one guest seated in it, both past their welcome.
func hostAndGuest(port: Int, hostCookie: String, contestId: Int64, pin: String, branchId: Int, name: String)
    async throws -> (host: WSPeer, player: WSPeer)
{
    let host = WSPeer(port: port, cookie: hostCookie)
    host.send(["type": "host", "contestId": contestId])
    _ = try await host.next("welcome")
    let player = WSPeer(port: port)
    player.send(["type": "join", "pin": pin, "name": name, "branchId": branchId])
    _ = try await player.next("welcome")
    return (host, player)
}

/// A host and one signed-in member's phone in a contest over real WebSockets, both past their welcome: what the
/// report tests need to put answers into a contest.
struct HostedPlayer {
    let host: WSPeer
    let player: WSPeer

    init(port: Int, hostCookie: String, playerCookie: String, contestId: Int64, pin: String) async throws {
        host = WSPeer(port: port, cookie: hostCookie)
        host.send(["type": "host", "contestId": contestId])
        _ = try await host.next("welcome")
        player = WSPeer(port: port, cookie: playerCookie)
        player.send(["type": "join", "v": 1, "pin": pin])
        _ = try await player.next("welcome")
    }

    /// Opens question `number` and answers it right or wrong; the answer must be accepted.
    func answerNext(_ question: Question, number: Int, correct: Bool) async throws {
        host.send(["type": "command", "command": "next"])
        let state = try await player.next("state") { ($0["question"] as? [String: Any])?["number"] as? Int == number }
        let shown = (state["question"] as? [String: Any])?["options"] as? [String] ?? []
        player.send(answerMessage(for: question, number: number, options: shown, correct: correct))
        #expect(try await player.next("ack")["status"] as? String == "accepted")
    }

    /// Reveals the question and waits for its leaderboard, which leaves once the points are on disk (they follow
    /// the reveal by `ContestRoom.pointsAfterReveal`, and the board by a second): reports read them from then on.
    func reveal(_ number: Int) async throws {
        host.send(["type": "command", "command": "reveal"])
        _ = try await player.next("reveal") { $0["number"] as? Int == number }
        _ = try await player.next("leaderboard")
    }

    func close() async {
        await player.close()
        await host.close()
    }
}
