/// The activity a response was given in.
public enum ReportActivity: Hashable, Sendable {
    case contest(ContestID)
    case campaign(CampaignID)
}

/// The attempt a response belongs to, unique across activities: one seat of a contest, or one attempt of a
/// member in a campaign. Item statistics group responses by it (one attempt, one row of the answer matrix).
public enum ResponseAttempt: Hashable, Sendable {
    case contestSeat(contestId: ContestID, seat: Int)
    case campaignAttempt(AttemptRef)

    public var activity: ReportActivity {
        switch self {
        case .contestSeat(let contestId, _): .contest(contestId)
        case .campaignAttempt(let ref): .campaign(ref.campaignId)
        }
    }
}

/// One answer to one question, from a contest or a campaign, as every report reads it.
public struct ResponseRow: Hashable, Sendable {
    public let attempt: ResponseAttempt
    /// nil for a contest guest.
    public let memberId: MemberID?
    /// The branch at the time: the contest seat's branch, or the member's unit when the campaign attempt began.
    public let unitId: UnitID
    /// The bank question row answered.
    public let questionId: QuestionID
    /// The question's place: its number in a contest (1-based), its index in a campaign attempt (0-based).
    public let slot: Int
    /// In the bank's option indices; nil when a campaign question's time ran out unanswered.
    public let answer: PlayerAnswer?
    /// Campaign answers are stored right or not: a partly right multiple choice there is `.wrong`.
    public let correctness: Correctness
    /// Contest only, once the question is revealed; nil before, and for campaigns (they score by height).
    public let points: Int?
    public let elapsedMilliseconds: Int
    /// Server time, milliseconds since the epoch.
    public let at: Int64
    /// Campaign only: the campaign day of the attempt.
    public let day: CampaignDay?

    public var activity: ReportActivity { attempt.activity }

    public init(
        attempt: ResponseAttempt, memberId: MemberID?, unitId: UnitID, questionId: QuestionID, slot: Int,
        answer: PlayerAnswer?,
        correctness: Correctness, points: Int?, elapsedMilliseconds: Int, at: Int64, day: CampaignDay?
    ) {
        self.attempt = attempt
        self.memberId = memberId
        self.unitId = unitId
        self.questionId = questionId
        self.slot = slot
        self.answer = answer
        self.correctness = correctness
        self.points = points
        self.elapsedMilliseconds = elapsedMilliseconds
        self.at = at
        self.day = day
    }
}

/// A question as item analysis needs it, with where it lives so a flagged question can link to its bank.
public struct ReportQuestion: Hashable, Sendable {
    public let id: QuestionID
    public let bankId: BankID
    public let bankName: String
    public let bankVersionId: BankVersionID
    /// The bank version's number (1, 2, …).
    public let bankVersion: Int
    /// 1-based place in its bank version.
    public let position: Int
    /// Type, stem, options, canonical key, category, difficulty.
    public let question: Question

    public init(
        id: QuestionID, bankId: BankID, bankName: String, bankVersionId: BankVersionID, bankVersion: Int, position: Int,
        question: Question
    ) {
        (self.id, self.bankId, self.bankName, self.bankVersionId) = (id, bankId, bankName, bankVersionId)
        (self.bankVersion, self.position, self.question) = (bankVersion, position, question)
    }

    /// The options a response can pick, as `PlayerAnswer` indexes them: a choice question's options, two for
    /// true/false (true, false), none for fill-in-the-blank.
    public var optionCount: Int {
        switch question.type {
        case .single, .multiple: question.options.count
        case .trueFalse: 2
        case .fill: 0
        }
    }
}

/// A seat of a contest, as participation reports read it: who took part, for which branch, and whether the host
/// removed them.
public struct ContestSeatRow: Hashable, Sendable {
    public let contestId: ContestID
    public let seat: Int
    /// nil for a guest.
    public let memberId: MemberID?
    /// The branch the seat plays for (the member's unit when they joined).
    public let unitId: UnitID
    public let name: String
    /// Server time, milliseconds since the epoch.
    public let joinedAt: Int64
    /// When the host removed the seat; nil if never.
    public let kickedAt: Int64?

    public init(
        contestId: ContestID, seat: Int, memberId: MemberID?, unitId: UnitID, name: String, joinedAt: Int64,
        kickedAt: Int64?
    ) {
        (self.contestId, self.seat, self.memberId, self.unitId) = (contestId, seat, memberId, unitId)
        (self.name, self.joinedAt, self.kickedAt) = (name, joinedAt, kickedAt)
    }
}

/// A campaign attempt as participation reports read it: who, in which unit then, on which campaign day, how far.
public struct AttemptRow: Hashable, Sendable {
    public let ref: AttemptRef
    /// The member's unit when the attempt began.
    public let unitId: UnitID
    public let level: Int
    public let day: CampaignDay
    public let status: AttemptStatus
    /// Server times, milliseconds since the epoch.
    public let startedAt: Int64
    public let endedAt: Int64?
    /// The member's ladder (`StartedAttempt.ladder`).
    public let ladder: Int

    public init(
        ref: AttemptRef, unitId: UnitID, level: Int, day: CampaignDay, status: AttemptStatus, startedAt: Int64,
        endedAt: Int64?, ladder: Int = 0
    ) {
        (self.ref, self.unitId, self.level, self.day) = (ref, unitId, level, day)
        (self.status, self.startedAt, self.endedAt, self.ladder) = (status, startedAt, endedAt, ladder)
    }
}

/// A stored answer as item analysis reads it, held without allocating.
public enum AnswerShape: Hashable, Sendable {
    /// A campaign question's time ran out unanswered.
    case unanswered
    /// The bank's option indices as a bit set: bit o for option o (an import allows at most eight options; indices
    /// from 64 up cannot be held and are dropped, as item analysis drops them).
    case choices(UInt64)
    case truth(Bool)
    case text

    public init(_ answer: PlayerAnswer?) {
        switch answer {
        case nil: self = .unanswered
        case .choices(let picks)?:
            self = .choices(picks.reduce(0) { $1 >= 0 && $1 < 64 ? $0 | 1 << UInt64($1) : $0 })
        case .truth(let value)?: self = .truth(value)
        case .text?: self = .text
        }
    }
}

/// One stored answer, from a contest or a campaign, as item analysis reads it: `ResponseRow` without the day and
/// with the answer's shape only.
public struct AnswerFacts: Hashable, Sendable {
    public let attempt: ResponseAttempt
    /// nil for a contest guest.
    public let memberId: MemberID?
    /// The branch at the time.
    public let unitId: UnitID
    public let questionId: QuestionID
    /// A contest's question number (1-based), a campaign attempt's index (0-based).
    public let slot: Int
    public let answer: AnswerShape
    public let correctness: Correctness
    /// Contest only, once the question is revealed.
    public let points: Int?
    public let elapsedMilliseconds: Int
    /// Server time, milliseconds since the epoch.
    public let at: Int64

    public init(
        attempt: ResponseAttempt, memberId: MemberID?, unitId: UnitID, questionId: QuestionID, slot: Int,
        answer: AnswerShape,
        correctness: Correctness, points: Int?, elapsedMilliseconds: Int, at: Int64
    ) {
        (self.attempt, self.memberId, self.unitId, self.questionId, self.slot) = (
            attempt, memberId, unitId, questionId, slot
        )
        (self.answer, self.correctness, self.points, self.elapsedMilliseconds, self.at) =
            (answer, correctness, points, elapsedMilliseconds, at)
    }

    /// The facts of a `ResponseRow` (what the row readers return; tests compare the two).
    public init(_ row: ResponseRow) {
        self.init(
            attempt: row.attempt, memberId: row.memberId, unitId: row.unitId, questionId: row.questionId,
            slot: row.slot,
            answer: AnswerShape(row.answer), correctness: row.correctness, points: row.points,
            elapsedMilliseconds: row.elapsedMilliseconds, at: row.at)
    }
}

/// One member's record across every activity: each contest they joined and each campaign they climbed in, and every
/// answer with its question's category and time — what their history page shows.
public struct MemberHistoryRows: Sendable {
    public struct Contest: Sendable, Hashable {
        public let contestId: ContestID
        public let title: String
        public let joinedAt: Int64
        public let kicked: Bool
        /// Points of the revealed questions, answers, and right answers.
        public let score: Int
        public let answered: Int
        public let correct: Int

        public init(
            contestId: ContestID, title: String, joinedAt: Int64, kicked: Bool, score: Int, answered: Int, correct: Int
        ) {
            self.contestId = contestId
            self.title = title
            self.joinedAt = joinedAt
            self.kicked = kicked
            self.score = score
            self.answered = answered
            self.correct = correct
        }
    }

    public struct Campaign: Sendable, Hashable {
        public let campaignId: CampaignID
        public let title: String
        public let attempts: Int
        /// The highest level passed: the height reached (levels are climbed in order).
        public let height: Int
        public let firstDay: CampaignDay?
        public let lastDay: CampaignDay?
        public let answered: Int
        public let correct: Int

        public init(
            campaignId: CampaignID, title: String, attempts: Int, height: Int, firstDay: CampaignDay? = nil,
            lastDay: CampaignDay? = nil, answered: Int, correct: Int
        ) {
            self.campaignId = campaignId
            self.title = title
            self.attempts = attempts
            self.height = height
            self.firstDay = firstDay
            self.lastDay = lastDay
            self.answered = answered
            self.correct = correct
        }
    }

    /// One answer: its question's category, its correctness, when (epoch milliseconds).
    public struct Answer: Sendable, Hashable {
        public let category: String
        public let correctness: Correctness
        public let at: Int64

        public init(category: String, correctness: Correctness, at: Int64) {
            self.category = category
            self.correctness = correctness
            self.at = at
        }
    }

    public let contests: [Contest]
    public let campaigns: [Campaign]
    public let answers: [Answer]

    public init(contests: [Contest], campaigns: [Campaign], answers: [Answer]) {
        self.contests = contests
        self.campaigns = campaigns
        self.answers = answers
    }
}

/// Answers of one unit to one question over a range, summed (the period's weak categories and hardest questions).
public struct AnswerTally: Hashable, Sendable {
    /// The unit the answerer sat in at the time.
    public var unitId: UnitID
    public var questionId: QuestionID
    public var count: Int
    /// Sum of credits: right 1, partly right ½, wrong or timed out 0.
    public var credit: Double

    public init(unitId: UnitID, questionId: QuestionID, count: Int, credit: Double) {
        self.unitId = unitId
        self.questionId = questionId
        self.count = count
        self.credit = credit
    }
}

/// One member's answers to one question in one contest or one campaign attempt, summed, with when they were given
/// (the contest's first such answer, the attempt's start): what a period's weak categories narrowed to a member
/// category read, since only the member and the moment tell whether they held it.
public struct MemberAnswerTally: Hashable, Sendable {
    public var memberId: MemberID
    /// Milliseconds since the epoch.
    public var at: Int64
    public var tally: AnswerTally

    public init(memberId: MemberID, at: Int64, tally: AnswerTally) {
        self.memberId = memberId
        self.at = at
        self.tally = tally
    }
}
