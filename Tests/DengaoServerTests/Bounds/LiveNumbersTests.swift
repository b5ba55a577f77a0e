import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// The numbers of the WebSocket messages, and contests stored with absurd numbers, on a live server.
@Suite struct LiveNumbersTests {
    static func round(_ kind: RoundKind) -> RoundSettings {
        RoundSettings(
            title: kind.chineseName, kind: kind, banks: ["党章党规党纪"],
            draw: DrawRule(count: 1, types: [.single, .trueFalse]))
    }

    /// Every number a phone, a host or a screen can send — question numbers, stakes, seats, contest, branch and
    /// campaign ids, picks, the protocol version — with random and extreme values, in every phase of every kind
    /// of round: each is refused or acknowledged, no connection drops, and the contest plays on.
    @Test(arguments: BoundsFuzzTests.seeds) func webSocketNumbersCannotStopAContest(seed: UInt64) async throws {
        try await withLiveApp(try demoConfigurationWithRoot()) { client in
            let admin = try await client.signIn("root")
            let port = client.port!
            let created = try await admin.createContest(
                ownerUnitId: nil,
                settings: ContestSettings(
                    title: "消息边界", rounds: [Self.round(.buzz), Self.round(.risk), Self.round(.everyone)]))
            let pin = created.contest.pin
            let branches = try await admin.json(.get, "/api/join/\(pin)").object["branches"] as? [[String: Any]]
            let branch = try #require(branches?.first?["id"] as? Int)
            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": created.contest.id])
            _ = try await host.next("welcome")
            let player = WSPeer(port: port)
            player.send(["type": "join", "pin": pin, "name": "选手", "branchId": branch])
            _ = try await player.next("welcome")
            let stranger = WSPeer(port: port, cookie: admin.cookie)
            let screen = WSPeer(port: port, path: "/ws/campaign", cookie: admin.cookie)
            var fuzz = FuzzValues(seed: seed)

            /// One burst of messages with fuzzed numbers from every kind of client, then a ping each: a pong
            /// means every message before it was handled and the connection is alive.
            func burst(_ phase: String) async throws {
                for _ in 0..<6 {
                    player.sendRaw(
                        #"{"type":"answer","number":\#(fuzz.jsonLiteral()),"picks":[\#(fuzz.jsonLiteral())]}"#)
                    player.sendRaw(#"{"type":"answer","number":\#(fuzz.jsonLiteral()),"truth":true}"#)
                    player.sendRaw(#"{"type":"buzz","number":\#(fuzz.jsonLiteral())}"#)
                    player.sendRaw(#"{"type":"wager","number":\#(fuzz.jsonLiteral()),"amount":\#(fuzz.jsonLiteral())}"#)
                    player.sendRaw(#"{"type":"ping","v":\#(fuzz.jsonLiteral())}"#)
                    host.sendRaw(#"{"type":"kick","seat":\#(fuzz.harmlessLiteral())}"#)
                    stranger.sendRaw(#"{"type":"host","contestId":\#(fuzz.harmlessLiteral())}"#)
                    stranger.sendRaw(#"{"type":"display","contestId":\#(fuzz.harmlessLiteral()),"token":"x"}"#)
                    stranger.sendRaw(
                        #"{"type":"join","pin":"\#(pin)","name":"陌生人","branchId":\#(fuzz.harmlessLiteral())}"#)
                    stranger.sendRaw(#"{"type":"join","pin":\#(fuzz.jsonLiteral()),"name":"陌生人"}"#)
                    screen.sendRaw(#"{"type":"watch","campaignId":\#(fuzz.harmlessLiteral())}"#)
                }
                for peer in [player, host, stranger, screen] {
                    peer.send(["type": "ping"])
                    _ = try await peer.next("pong")
                    #expect(await !peer.closed, "seed \(seed), \(phase)")
                }
                #expect(try await client.healthy(), "seed \(seed), \(phase)")
            }

            try await burst("lobby")
            for number in 1...3 {
                host.send(["type": "command", "command": "next"])
                _ = try await player.next("state") { ($0["question"] as? [String: Any])?["number"] as? Int == number }
                try await burst("question \(number)")
                if number == 2 {
                    // 风险 opens after its wagering step.
                    host.send(["type": "command", "command": "next"])
                    _ = try await player.next("state") { $0["phase"] as? String == "open" }
                    try await burst("question 2 open")
                }
                host.send(["type": "command", "command": "reveal"])
                _ = try await player.next("reveal") { $0["number"] as? Int == number }
                try await burst("question \(number) revealed")
            }
            host.send(["type": "command", "command": "finish"])
            _ = try await player.next("state") { $0["phase"] as? String == "finished" }
            for peer in [player, host, stranger, screen] { await peer.close() }
        }
    }

    /// The issue's contest: `earlyBuzzPenalty` 9223372036854775807 (and points and the wrong-answer penalty as
    /// large), stored as contests were before creation checked bounds. Two early buzzes and a reveal, twice, then
    /// two restarts: the server keeps answering, the scores are held at the limit, and every restart replays
    /// the contest instead of stopping again.
    @Test func aContestStoredWithAbsurdNumbersPlaysAndSurvivesRestarts() async throws {
        let configuration = try demoConfigurationWithRoot()
        // A first start seeds the sample banks the contest draws from.
        let seeded = try await withLiveApp(configuration) { client in try await client.healthy() }
        #expect(seeded)
        let round = RoundSettings(
            title: "抢答", kind: .buzz, banks: ["党章党规党纪"], draw: DrawRule(count: 2, types: [.single, .trueFalse]),
            timeLimitSeconds: 30, points: .max, streakBonus: .max, readSeconds: 60, answerSeconds: 10,
            earlyBuzzPenalty: .max,
            wrongAnswerPenalty: .max, wagers: [.max])
        let settings = ContestSettings(title: "旧比赛", rounds: [round])
        #expect(!settings.problems().isEmpty, "these settings are refused at creation today")
        let contest = try await ContestCreation.create(
            settings, ownerUnitId: nil, createdById: nil,
            storage: try TestBackend.storage(configuration)
        ).contest
        let saturated = String(Int.min)

        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let port = client.port!
            let branches = try await admin.json(.get, "/api/join/\(contest.pin)").object["branches"] as? [[String: Any]]
            let branch = try #require(branches?.first?["id"] as? Int)
            let host = WSPeer(port: port, cookie: admin.cookie)
            host.send(["type": "host", "contestId": contest.id.rawValue])
            _ = try await host.next("welcome")
            var players: [WSPeer] = []
            for index in 0..<2 {
                let player = WSPeer(port: port)
                player.send(["type": "join", "pin": contest.pin, "name": "选手\(index)", "branchId": branch])
                _ = try await player.next("welcome")
                players.append(player)
            }
            for number in 1...2 {
                host.send(["type": "command", "command": "next"])
                for player in players {
                    _ = try await player.next("state") {
                        ($0["question"] as? [String: Any])?["number"] as? Int == number
                    }
                    // The buzzer opens after a minute of reading: these are early.
                    player.send(["type": "buzz", "number": number])
                    let ack = try await player.next("ack")
                    #expect(ack["status"] as? String == "early-buzz")
                    #expect(ack["penalty"] as? Int == .max)
                }
                host.send(["type": "command", "command": "reveal"])
                _ = try await host.next("reveal") { $0["number"] as? Int == number }
                host.send(["type": "command", "command": "leaderboard"])
                // Boards are pushed after the reveal and again on `leaderboard`: wait for the one after question 2's
                // points, however the pushes were coalesced.
                let board = try await host.next("leaderboard") { board in
                    number == 1
                        || (board["top"] as? [[String: Any]])?.compactMap { $0["score"] as? Int } == [.min, .min]
                }
                #expect(try await client.healthy())
                if number == 2 {
                    let scores = (board["top"] as? [[String: Any]])?.compactMap { $0["score"] as? Int }
                    #expect(scores == [.min, .min], "\(board)")
                }
            }
            let standings = try await admin.raw(.get, "/api/contests/\(contest.id)/results?format=csv&sheet=standings")
            #expect(standings.status == 200 && standings.text.contains(saturated), "\(standings)")
            for peer in players + [host] { await peer.close() }
        }

        for restart in 1...2 {
            try await withLiveApp(configuration) { client in
                #expect(try await client.healthy(), "restart \(restart)")
                let admin = try await client.signIn("root")
                let host = WSPeer(port: client.port!, cookie: admin.cookie)
                host.send(["type": "host", "contestId": contest.id.rawValue])
                let state = try await host.next("state")
                #expect(state["phase"] as? String == "leaderboard", "restart \(restart): \(state)")
                let standings = try await admin.raw(
                    .get, "/api/contests/\(contest.id)/results?format=csv&sheet=standings")
                #expect(standings.status == 200 && standings.text.contains(saturated), "restart \(restart)")
                await host.close()
            }
        }
    }
}
