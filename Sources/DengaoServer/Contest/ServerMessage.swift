import DengaoCore

/// What the server sends. Each message encodes as its payload's fields plus `type`. Nothing here carries a
/// question's key or an answer's correctness before the reveal: the types for the open question have no field for it.
enum ServerMessage: Sendable, Encodable {
    case welcome(Welcome)
    case state(StateView)
    case tick(Tick)
    case ack(Ack)
    case buzzer(BuzzerView)
    case progress(Progress)
    case reveal(RevealView)
    case leaderboard(LeaderboardView)
    case players(PlayersView)
    case error(ErrorView)
    case pong

    var type: String {
        switch self {
        case .welcome: "welcome"
        case .state: "state"
        case .tick: "tick"
        case .ack: "ack"
        case .buzzer: "buzzer"
        case .progress: "progress"
        case .reveal: "reveal"
        case .leaderboard: "leaderboard"
        case .players: "players"
        case .error: "error"
        case .pong: "pong"
        }
    }

    private enum Keys: String, CodingKey { case type }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(type, forKey: .type)
        switch self {
        case .welcome(let payload): try payload.encode(to: encoder)
        case .state(let payload): try payload.encode(to: encoder)
        case .tick(let payload): try payload.encode(to: encoder)
        case .ack(let payload): try payload.encode(to: encoder)
        case .buzzer(let payload): try payload.encode(to: encoder)
        case .progress(let payload): try payload.encode(to: encoder)
        case .reveal(let payload): try payload.encode(to: encoder)
        case .leaderboard(let payload): try payload.encode(to: encoder)
        case .players(let payload): try payload.encode(to: encoder)
        case .error(let payload): try payload.encode(to: encoder)
        case .pong: break
        }
    }

    struct Welcome: Encodable, Sendable {
        var v = ClientMessage.protocolVersion
        var role: String
        var contest: ContestInfo
        var seat: SeatInfo?
        /// Join only: keep it to resume the seat after a drop (stored hashed on the server).
        var token: String?
    }

    struct ContestInfo: Encodable, Sendable {
        var id: ContestID
        var title: String
        var pin: String
        var mode: ContestMode
        var questionCount: Int
        var rounds: [RoundInfo]
        var branches: [NamedUnit]
    }

    struct RoundInfo: Encodable, Sendable {
        var title: String
        var kind: RoundKind
        var questions: Int
    }

    struct SeatInfo: Encodable, Sendable {
        var id: Int
        var name: String
        var branchId: UnitID
        var branch: String
        var guest: Bool
    }

    struct StateView: Encodable, Sendable {
        var phase: ContestPhase
        var paused: Bool
        var question: QuestionView?
        var remainingMs: Int?
        var buzzer: BuzzerView?
        var you: YouView?
    }

    /// The open question as one viewer sees it: options in that viewer's order, no key.
    struct QuestionView: Encodable, Sendable {
        var number: Int
        var total: Int
        var round: Int
        var roundTitle: String
        var kind: RoundKind
        var category: String
        /// nil while 风险 stakes are being chosen: the question is not shown before the wager.
        var type: QuestionType?
        var stem: String?
        var options: [String]?
        /// The bank's letter of each option in `options`, the same letter for the same option on every screen.
        var letters: [String]?
        var timeLimitMs: Int
        var points: Int
        var wagers: [Int]?
    }

    struct YouView: Encodable, Sendable {
        var seat: Int
        var score: Int
        /// The positions (or truth, or text) this seat submitted for the current question, echoed after a resume.
        var answered: Bool
        var picks: [Int]?
        var truth: Bool?
        var text: String?
        var wager: Int?
        var triedBuzzer: Bool?
    }

    struct Tick: Encodable, Sendable {
        var number: Int
        var remainingMs: Int
    }

    struct Ack: Encodable, Sendable {
        var number: Int
        /// accepted | late | wager | early-buzz | buzz-won
        var status: String
        var penalty: Int?
        var answerByMs: Int?
        var amount: Int?
        /// The answer that counts, in the player's order: a repeated answer gets the first one's acknowledgement.
        var picks: [Int]?
        var truth: Bool?
        var text: String?
    }

    struct BuzzerView: Encodable, Sendable {
        var number: Int
        var opensInMs: Int
        var open: Bool
        var holder: SeatBrief?
        var holderRemainingMs: Int?
    }

    struct SeatBrief: Encodable, Sendable {
        var seat: Int
        var name: String
        var branch: String
    }

    struct Progress: Encodable, Sendable {
        var number: Int?
        var answered: Int
        var wagered: Int
        var seats: Int
        var connected: Int
    }

    struct RevealView: Encodable, Sendable {
        var number: Int
        /// The contest's phase as the reveal leaves it (`revealed`, or `finished` for a finish that reveals): a
        /// player's reveal stands for the state message viewers get with it (`pushReveal`).
        var phase: ContestPhase
        var paused: Bool
        /// The key in the viewer's order: option positions, or truth, or accepted texts.
        var key: [Int]?
        var truth: Bool?
        var texts: [String]?
        /// Counts per option in the viewer's order (choice questions), [true, false], or [correct, wrong] for fill.
        var distribution: [Int]
        var explanation: String
        var options: [String]?
        /// The bank's letter of each option in `options`.
        var letters: [String]?
        var you: YourResult?
    }

    struct YourResult: Encodable, Sendable {
        var correctness: Correctness?
        var points: Int
        var score: Int
    }

    struct LeaderboardView: Encodable, Sendable {
        var top: [Standing]
        var branches: [BranchStanding]
        var you: Standing?
        var players: Int
    }

    struct Standing: Encodable, Sendable {
        var rank: Int
        var seat: Int
        var name: String
        var branch: String
        var score: Int
        /// Places gained since the previous leaderboard (negative: lost); nil for a newcomer.
        var change: Int?
    }

    struct BranchStanding: Encodable, Sendable {
        var rank: Int
        var id: UnitID
        var name: String
        var score: Int
        var players: Int
        var change: Int?
    }

    struct PlayersView: Encodable, Sendable {
        var players: [PlayerRow]
        var byBranch: [BranchCount]
    }

    struct PlayerRow: Encodable, Sendable {
        var seat: Int
        var name: String
        var branch: String
        var guest: Bool
        var connected: Bool
        var answered: Bool
        var score: Int
    }

    struct BranchCount: Encodable, Sendable {
        var id: UnitID
        var name: String
        var joined: Int
        var recent: [String]
    }

    struct ErrorView: Encodable, Sendable {
        var code: String
        var message: String
    }
}
