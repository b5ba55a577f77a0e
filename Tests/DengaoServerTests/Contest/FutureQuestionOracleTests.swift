import DengaoCore
import Foundation
import Testing

@testable import DengaoServer

/// An answer is read against the question open for answers only: one naming a question not yet shown must not
/// tell, by being `malformed-answer` in one form and not in another, what type of question it is or how many
/// options it has.
@Suite struct FutureQuestionOracleTests {
    /// Every form of answer, and picks past any question's options.
    static var forms: [[String: Any]] { [["picks": [0]], ["picks": [7]], ["truth": true], ["text": "遵义会议"]] }

    /// The `code` of each `error`, or the `status` of each `ack`, that the forms get (`kind`: which is expected; a
    /// reply of the other kind is left unread and the wait for this one fails).
    func replies(_ player: WSPeer, number: Int, kind: String = "error") async throws -> [String] {
        var codes: [String] = []
        for form in Self.forms {
            var message = form
            message["type"] = "answer"
            message["number"] = number
            player.send(message)
            let reply = try await player.next(kind, timeout: .seconds(3))
            codes.append((reply["code"] ?? reply["status"]) as? String ?? "?")
        }
        return codes
    }

    func hostAndPlayer(_ port: Int, _ admin: SignedInClient, _ contest: CreatedContest, _ branches: [Int])
        async throws -> (host: WSPeer, player: WSPeer)
    {
        try await hostAndGuest(
            port: port, hostCookie: admin.cookie, contestId: contest.contest.id, pin: contest.contest.pin,
            branchId: branches[0], name: "甲")
    }

    @Test func answersToQuestionsNotOnShowAreRefusedWhateverTheirForm() async throws {
        try await ContestSocketTests().withContest { port, admin, contest, branches in
            let (host, player) = try await hostAndPlayer(port, admin, contest, branches)
            _ = try await player.next("state")

            // In the lobby, question 1 is not on show yet.
            #expect(try await replies(player, number: 1) == Array(repeating: "not-this-question", count: 4))

            host.send(["type": "command", "command": "next"])
            let state = try await player.next("state") { $0["phase"] as? String == "open" }
            let number = (state["question"] as! [String: Any])["number"] as! Int
            // The next question, while this one is open.
            #expect(try await replies(player, number: number + 1) == Array(repeating: "not-this-question", count: 4))

            // Once closed, any answer to it is late, not malformed.
            host.send(["type": "command", "command": "close"])
            _ = try await player.next("state") { $0["phase"] as? String == "closed" }
            #expect(try await replies(player, number: number, kind: "ack") == Array(repeating: "late", count: 4))
            for peer in [host, player] { await peer.close() }
        }
    }

    /// While players stake on a 风险 question, its text and options are not shown yet: an answer to it tells nothing.
    @Test func answersWhileStakingAreRefusedWhateverTheirForm() async throws {
        let settings = sampleSettings(rounds: [
            RoundSettings(
                title: "风险", kind: .risk, banks: ["党章党规党纪"], draw: DrawRule(count: 1, types: [.single, .trueFalse]),
                timeLimitSeconds: 30, wagers: [10, 20, 30])
        ])
        try await ContestSocketTests().withContest(settings: settings) { port, admin, contest, branches in
            let (host, player) = try await hostAndPlayer(port, admin, contest, branches)
            host.send(["type": "command", "command": "next"])
            _ = try await player.next("state") { $0["phase"] as? String == "wagering" }
            let codes = try await replies(player, number: 1)
            #expect(Set(codes).count == 1 && !codes.contains("malformed-answer"), "\(codes)")
            for peer in [host, player] { await peer.close() }
        }
    }
}
