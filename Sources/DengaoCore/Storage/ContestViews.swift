import Foundation

public enum ContestStatus: String, Codable, Sendable {
    /// Created; players may join once the host opens its page.
    case ready
    /// Has been played; survives a restart as a contest to resume.
    case live
    case finished
}

/// A contest as lists and the console show it; never the questions' keys.
public struct ContestSummary: Encodable, Sendable, Equatable {
    public var id: ContestID
    public var title: String
    /// nil for a contest of the whole organization.
    public var ownerUnitId: UnitID?
    public var pin: String
    public var status: ContestStatus
    public var settings: ContestSettings
    public var seed: UInt64
    public var questionCount: Int
    public var createdAt: Date
    public var finishedAt: Date?
    /// Why the server will not load this contest, when it will not (its rows cannot be read, or loading them took
    /// the server down once); nil for a healthy contest.
    public var setAside: String?

    /// The seed stays on the server: it is of no use to a client, and JavaScript numbers cannot hold it exactly.
    enum CodingKeys: String, CodingKey {
        case id, title, ownerUnitId, pin, status, settings, questionCount, createdAt, finishedAt, setAside
    }

    public init(
        id: ContestID, title: String, ownerUnitId: UnitID? = nil, pin: String, status: ContestStatus,
        settings: ContestSettings, seed: UInt64, questionCount: Int, createdAt: Date, finishedAt: Date? = nil,
        setAside: String? = nil
    ) {
        self.id = id
        self.title = title
        self.ownerUnitId = ownerUnitId
        self.pin = pin
        self.status = status
        self.settings = settings
        self.seed = seed
        self.questionCount = questionCount
        self.createdAt = createdAt
        self.finishedAt = finishedAt
        self.setAside = setAside
    }
}

/// What a new contest is made of: its settings and the bank question rows drawn for each round, in order.
public struct NewContest: Sendable {
    public var ownerUnitId: UnitID?
    public var createdById: AccountID?
    public var settings: ContestSettings
    public var seed: UInt64
    /// Question row ids per round.
    public var questionIds: [[QuestionID]]
    public var displayTokenHash: String

    public init(
        ownerUnitId: UnitID?, createdById: AccountID?, settings: ContestSettings, seed: UInt64,
        questionIds: [[QuestionID]],
        displayTokenHash: String
    ) {
        self.ownerUnitId = ownerUnitId
        self.createdById = createdById
        self.settings = settings
        self.seed = seed
        self.questionIds = questionIds
        self.displayTokenHash = displayTokenHash
    }
}

/// One accepted input of a contest, as the journal keeps it.
public struct JournalEntry: Sendable, Hashable {
    public let contestId: ContestID
    public let seq: Int64
    public let at: ContestTime
    public let input: ContestInput
    /// Joins only: the hash of the resume token handed to the seat.
    public let tokenHash: String?
    /// The contest's new status when this input changes it (its first question, its finish). Written in the same
    /// transaction as the input, so a contest is never finished in its journal and live in its row, or the reverse.
    public let status: ContestStatus?
    /// Accepted answers only: the answer's report row, written in the same transaction as the entry.
    public let answerRow: ContestAnswerRow?
    /// An entry that revealed a question and finished the contest with it: its points for the answer rows, written
    /// in the same transaction. A reveal that leaves the contest live writes its points in a record of its own,
    /// `JournalRecord.revealedPoints`, so the reveal's frames need not wait for ten thousand rows.
    public let revealedPoints: RevealedPoints?

    public init(
        contestId: ContestID, seq: Int64, at: ContestTime, input: ContestInput, tokenHash: String? = nil,
        status: ContestStatus? = nil,
        answerRow: ContestAnswerRow? = nil, revealedPoints: RevealedPoints? = nil
    ) {
        self.contestId = contestId
        self.seq = seq
        self.at = at
        self.input = input
        self.tokenHash = tokenHash
        self.status = status
        self.answerRow = answerRow
        self.revealedPoints = revealedPoints
    }
}

/// What the journal writes.
public enum JournalRecord: Sendable {
    case contest(JournalEntry)
    case campaign(CampaignChange)
    /// A revealed question's points onto its answer rows that have none yet, in a transaction after the one holding
    /// the reveal's entry (the journal starts a new transaction at this record). The journal replays to the same
    /// points, so a crash between the two loses nothing: the room loading the contest again appends the record of
    /// its latest reveal, which fills what is missing and changes nothing otherwise.
    case revealedPoints(contestId: ContestID, RevealedPoints)

    /// Whether the journal commits everything before this record first: a reveal's points, so the reveal's own entry
    /// (and the frames waiting for it) does not wait for a question's ten thousand rows.
    public var startsTransaction: Bool {
        if case .revealedPoints = self { true } else { false }
    }
}
