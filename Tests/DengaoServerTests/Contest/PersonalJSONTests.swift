import DengaoCore
import Foundation
import NIOCore
import Testing

@testable import DengaoServer

/// The per-player parts of a broadcast, written by `PersonalJSON` instead of `JSONEncoder`, mean exactly what
/// `JSONEncoder` wrote before: each frame decodes to the same JSON value.
@Suite struct PersonalJSONTests {
    /// A frame as a JSON value that compares by meaning (key order and escaping aside).
    static func meaning(_ buffer: ByteBuffer) throws -> NSObject {
        try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView), options: [.fragmentsAllowed])
            as! NSObject
    }

    static func encoded(_ value: some Encodable) throws -> NSObject {
        try meaning(ByteBuffer(bytes: JSONEncoder().encode(value)))
    }

    /// Names as people type them, and the characters JSON must escape.
    static let names = [
        "张三", "王小明", "O'Brien", #"say "hi""#, #"back\slash"#, "a/b", "tab\there", "line\nbreak", "bell\u{07}",
        "\u{1F}\u{00}", "🙂 emoji", "",
    ]

    @Test func yourResultMatchesJSONEncoder() throws {
        for correctness in [Correctness.correct, .partial, .wrong, nil] {
            for (points, score) in [(0, 0), (17, 1_234), (-30, -5), (Int.max, Int.min)] {
                let result = ServerMessage.YourResult(correctness: correctness, points: points, score: score)
                #expect(try Self.meaning(result.json) == Self.encoded(result))
            }
        }
    }

    @Test func standingMatchesJSONEncoder() throws {
        for (index, name) in Self.names.enumerated() {
            for change in [nil, 0, 3, -7] {
                let standing = ServerMessage.Standing(
                    rank: index + 1, seat: 1000 + index, name: name, branch: Array(Self.names.reversed())[index],
                    score: index * 37, change: change)
                #expect(try Self.meaning(standing.json) == Self.encoded(standing))
            }
        }
    }

    @Test func youMatchesJSONEncoder() throws {
        var views = [
            ServerMessage.YouView(seat: 1, score: 0, answered: false),
            ServerMessage.YouView(seat: 7, score: -20, answered: true, picks: [2, 0], wager: 30, triedBuzzer: true),
            ServerMessage.YouView(seat: 9, score: 1_900, answered: true, picks: [], truth: false, triedBuzzer: false),
        ]
        views += Self.names.map { ServerMessage.YouView(seat: 3, score: 5, answered: true, text: $0) }
        for you in views { #expect(try Self.meaning(you.json) == Self.encoded(you)) }
        // Spliced into a shared state, as a joining phone gets it.
        let state = ServerMessage.StateView(phase: .lobby, paused: false, question: nil, remainingMs: nil, buzzer: nil)
        var whole = state
        whole.you = views[1]
        let spliced = OutgoingFrame(FrameEncoder.encode(.state(state)), personal: .you(views[1])).bytes
        #expect(try Self.meaning(spliced) == Self.encoded(ServerMessage.state(whole)))
    }

    @Test func ackMatchesJSONEncoder() throws {
        var acks = [
            ServerMessage.Ack(number: 3, status: "accepted", picks: [2, 0]),
            ServerMessage.Ack(number: 3, status: "accepted", picks: []),
            ServerMessage.Ack(number: 4, status: "accepted", truth: false),
            ServerMessage.Ack(number: 5, status: "late"),
            ServerMessage.Ack(number: 6, status: "buzz-won", answerByMs: 8_000),
            ServerMessage.Ack(number: 6, status: "early-buzz", penalty: 5),
            ServerMessage.Ack(number: 7, status: "wager", amount: 20),
        ]
        acks += Self.names.map { ServerMessage.Ack(number: 8, status: "accepted", text: $0) }
        for ack in acks {
            #expect(try Self.meaning(FrameEncoder.encode(.ack(ack))) == Self.encoded(ServerMessage.ack(ack)))
        }
    }

    /// A reveal and a leaderboard as several players get them (the shared frame encoded once, each player's own
    /// part spliced in) against the whole message encoded per player, as it was before.
    @Test func splicedFramesMatchWholeMessages() throws {
        let reveal = ServerMessage.RevealView(
            number: 2, phase: .revealed, paused: false, key: [1], distribution: [10, 25, 3, 0],
            explanation: "解析：\"引号\" 与 \\ 反斜杠",
            options: ["甲", "乙", "丙", "丁"], letters: ["B", "A", "D", "C"])
        let shared = FrameEncoder.encode(.reveal(reveal))
        let players = [
            ServerMessage.YourResult(correctness: .correct, points: 950, score: 1_890),
            ServerMessage.YourResult(correctness: .wrong, points: 0, score: 940),
            ServerMessage.YourResult(correctness: .partial, points: 420, score: 420),
            ServerMessage.YourResult(correctness: nil, points: 0, score: 0),
        ]
        for you in players {
            var whole = reveal
            whole.you = you
            let spliced = FrameEncoder.splice(shared, field: "you", json: you.json)
            #expect(try Self.meaning(spliced) == Self.encoded(ServerMessage.reveal(whole)))
        }

        let top = (1...10).map {
            ServerMessage.Standing(
                rank: $0, seat: $0, name: Self.names[$0], branch: "第\($0)支部", score: 1000 - $0, change: $0 % 3 - 1)
        }
        let branches = [ServerMessage.BranchStanding(rank: 1, id: 7, name: "机关支部", score: 5000, players: 12)]
        let board = ServerMessage.LeaderboardView(top: top, branches: branches, you: nil, players: 10_000)
        let sharedBoard = FrameEncoder.encode(.leaderboard(board))
        for (index, name) in Self.names.enumerated() {
            let you = ServerMessage.Standing(
                rank: 11 + index, seat: 500 + index, name: name, branch: "农村支部", score: 12, change: index - 4)
            var whole = board
            whole.you = you
            let spliced = FrameEncoder.splice(sharedBoard, field: "you", json: you.json)
            #expect(try Self.meaning(spliced) == Self.encoded(ServerMessage.leaderboard(whole)))
        }
    }

    /// A player's welcome with the contest's part encoded once per room, against the whole message per player.
    @Test func welcomeMatchesJSONEncoder() throws {
        let info = ServerMessage.ContestInfo(
            id: 12, title: #"党史"知识"竞赛\第一场"#, pin: "012345", mode: .individual, questionCount: 3,
            rounds: [.init(title: "必答", kind: .everyone, questions: 2), .init(title: "抢答", kind: .buzz, questions: 1)],
            branches: Self.names.enumerated().map { NamedUnit(id: UnitID(Int64($0.offset + 1)), name: $0.element) })
        let contestJSON = FrameEncoder.encode(value: info)
        for (index, name) in Self.names.enumerated() {
            let seat = ServerMessage.SeatInfo(
                id: index + 1, name: name, branchId: 3, branch: "机关支部", guest: index.isMultiple(of: 2))
            for token in [nil, "k9J_x-2bQ"] {
                let whole = ServerMessage.Welcome(role: "player", contest: info, seat: seat, token: token)
                let frame = ServerMessage.Welcome.frame(
                    role: "player", contestJSON: contestJSON, seat: seat, token: token)
                #expect(try Self.meaning(frame) == Self.encoded(ServerMessage.welcome(whole)))
            }
        }
    }
}
