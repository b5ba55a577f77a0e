/// Server time in milliseconds since the Unix epoch. Every contest rule is written against this one clock,
/// passed in by the caller, so tests drive time by hand and a replay sees the times the server saw.
public typealias ContestTime = Int64

/// One question as played in a contest: its place and its canonical content, key included (server side only).
public struct ContestQuestion: Sendable, Hashable {
    /// 1-based across the whole contest; what players and the journal name a question by.
    public let number: Int
    /// 0-based index into the settings' rounds.
    public let round: Int
    /// The bank question row it was drawn from.
    public let questionId: QuestionID
    public let question: Question

    public init(number: Int, round: Int, questionId: QuestionID, question: Question) {
        self.number = number
        self.round = round
        self.questionId = questionId
        self.question = question
    }
}

/// A place in the contest: one member's phone in individual mode, one branch's device in team mode.
public struct Seat: Sendable, Hashable, Codable {
    public let id: Int
    public let branchId: UnitID
    public let name: String
    /// The rostered member behind the seat, when they came in through their invitation; nil for a guest.
    public let memberId: MemberID?

    public init(id: Int, branchId: UnitID, name: String, memberId: MemberID?) {
        self.id = id
        self.branchId = branchId
        self.name = name
        self.memberId = memberId
    }
}

public enum ContestPhase: String, Sendable, Codable {
    case lobby
    /// 风险: the question's round and category are known, contestants choose their stake.
    case wagering
    case open
    case closed
    case revealed
    case leaderboard
    case finished
}

/// What the host can do.
public enum HostCommand: String, Sendable, Codable, CaseIterable {
    /// From the lobby, a reveal or a leaderboard: bring on the next question (its wagering step first in 风险).
    case next
    /// End the answer window early.
    case close
    case reveal
    case leaderboard
    case pause
    case resume
    case finish
}

/// An accepted answer as the journal stores it and the scorer reads it.
public struct AnswerRecord: Sendable, Hashable, Codable {
    public let seat: Int
    public let number: Int
    public let answer: PlayerAnswer
    public let receivedAt: ContestTime
    /// Active (unpaused) time since the question opened, clamped to the limit for answers in the grace period.
    public let elapsedMilliseconds: Int
}

public enum AnswerOutcome: Sendable, Equatable {
    case accepted(AnswerRecord)
    /// The same seat already answered this question: the first answer stands and is acknowledged again.
    case duplicate(AnswerRecord)
    case late
    case rejected(ContestRejection)
}

public enum BuzzOutcome: Sendable, Equatable {
    /// The seat holds the buzzer and must answer before `answerBy` (active milliseconds since the question opened).
    case won(answerBy: Int)
    /// Buzzed before the buzzer opened: penalized and out of this question.
    case early(penalty: Int)
    case rejected(ContestRejection)
}

public enum WagerOutcome: Sendable, Equatable {
    case accepted(amount: Int)
    case rejected(ContestRejection)
}

/// Why a player's message changed nothing; each has a message the player's page can show.
public enum ContestRejection: String, Sendable, Codable, Equatable {
    case notSeated = "not-seated"
    case notThisQuestion = "not-this-question"
    case notOpen = "not-open"
    case paused
    case malformedAnswer = "malformed-answer"
    case notYourTurn = "not-your-turn"
    case buzzerTaken = "buzzer-taken"
    case alreadyTried = "already-tried"
    case notWagering = "not-wagering"
    case wagerNotAllowed = "wager-not-allowed"
    case branchTaken = "branch-taken"
    case finished
}

/// A seat's result on one question, known to clients only from the reveal on.
public struct SeatResult: Sendable, Hashable, Codable {
    public let seat: Int
    /// nil when the seat did not answer.
    public let correctness: Correctness?
    public let points: Int
}

public struct Reveal: Sendable, Hashable {
    public let number: Int
    public let key: AnswerKey
    /// Choice questions: how many picked each canonical option. True/false: [true, false]. Fill: [correct, wrong].
    public let distribution: [Int]
    public let results: [SeatResult]
}

/// What changed, so the owner of the machine knows what to tell whom.
public enum ContestChange: Sendable, Equatable {
    /// Phase, pause or current question changed: every client needs the new state.
    case phase
    /// Answer or wager counts changed (coalesced for the host and the display).
    case progress
    /// Who holds the buzzer, or whether it is open, changed.
    case buzzer
    case revealed(Reveal)
    case seats
}

/// Everything that can happen to a contest, as the journal stores it: replaying these in order with their times
/// rebuilds the machine exactly, which is how a contest survives a restart.
public enum ContestInput: Sendable, Hashable, Codable {
    case join(Seat)
    case kick(seat: Int)
    case command(HostCommand)
    case answer(seat: Int, number: Int, answer: PlayerAnswer)
    case buzz(seat: Int, number: Int)
    case wager(seat: Int, number: Int, amount: Int)
    /// Time reached the entry's moment: whatever deadline fell due by then took effect (a window closed, a buzzer
    /// holder ran out of time). Journaled because clients are told of it; replayed, it changes the same things.
    case clock
}
