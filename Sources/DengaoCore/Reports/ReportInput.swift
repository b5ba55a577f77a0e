/// One answer in a report's response matrix: what an attempt did with one question it was shown.
///
/// Contest seats and campaign level tries give the same shape; a campaign attempt sees only the few questions it
/// drew, so matrices are sparse (see docs/statistics.md).
public struct ItemResponse: Hashable, Sendable {
    /// The question (bank question id).
    public var questionId: QuestionID
    /// The position in the attempt (a contest's question number, a level's draw position); the test's internal
    /// consistency is computed over slots, as Moodle does.
    public var slot: Int
    /// The fraction of the item's mark earned, 0…1; an unanswered item is 0.
    public var credit: Double
    /// The item's mark in this attempt (its weight in the attempt's total).
    public var maxMark: Double
    /// False when the item was shown but not answered (time ran out, skipped).
    public var answered: Bool
    /// Canonical option indices chosen (bank order) as a bit set, bit o for option o; empty for true/false, fill and
    /// unanswered items. Held as bits so a million responses allocate nothing each; options from 64 up cannot exist
    /// in a bank (an import allows at most eight) and are dropped, as the analysis ignored them anyway.
    public var choiceBits: UInt64

    /// The chosen option indices, ascending.
    public var chosen: [Int] {
        get { (0..<64).filter { choiceBits & (1 << UInt64($0)) != 0 } }
        set { choiceBits = Self.bits(newValue) }
    }
    /// The true/false answer given, nil otherwise.
    public var truth: Bool?
    /// Time from showing the question to the answer, when known.
    public var elapsedMilliseconds: Int?

    /// Creates a response; `maxMark` defaults to 1, `answered` to true.
    public init(
        questionId: QuestionID, slot: Int, credit: Double, maxMark: Double = 1, answered: Bool = true,
        chosen: [Int] = [],
        truth: Bool? = nil, elapsedMilliseconds: Int? = nil
    ) {
        self.questionId = questionId
        self.slot = slot
        self.credit = credit
        self.maxMark = maxMark
        self.answered = answered
        self.choiceBits = Self.bits(chosen)
        self.truth = truth
        self.elapsedMilliseconds = elapsedMilliseconds
    }

    /// Creates a response from its choices as a bit set (bit o for option o).
    public init(
        questionId: QuestionID, slot: Int, credit: Double, maxMark: Double = 1, answered: Bool = true,
        choiceBits: UInt64,
        truth: Bool? = nil, elapsedMilliseconds: Int? = nil
    ) {
        self.questionId = questionId
        self.slot = slot
        self.credit = credit
        self.maxMark = maxMark
        self.answered = answered
        self.choiceBits = choiceBits
        self.truth = truth
        self.elapsedMilliseconds = elapsedMilliseconds
    }

    /// Option indices as bits; negative ones and those from 64 up are ignored.
    static func bits(_ options: [Int]) -> UInt64 {
        options.reduce(0) { $1 >= 0 && $1 < 64 ? $0 | 1 << UInt64($1) : $0 }
    }
}

/// One test attempt: a contest seat's answers in one contest, or one campaign level try.
public struct ReportAttempt: Hashable, Sendable {
    /// The seat or attempt id.
    public var id: Int64
    /// The member, when known (a guest seat has none).
    public var memberId: MemberID?
    /// The member's unit at the time of the attempt.
    public var unitId: UnitID
    /// Every question the attempt was shown, answered or not.
    public var responses: [ItemResponse]

    /// Creates an attempt.
    public init(id: Int64, memberId: MemberID? = nil, unitId: UnitID, responses: [ItemResponse]) {
        self.id = id
        self.memberId = memberId
        self.unitId = unitId
        self.responses = responses
    }

    /// The attempt's maximum mark: the sum of its items' marks.
    public var maxTotal: Double { responses.reduce(0) { $0 + $1.maxMark } }
    /// The attempt's mark: the sum of credit × mark (credit held to 0…1, as in the item analysis).
    public var total: Double { responses.reduce(0) { $0 + FlatMatrix.clampedCredit($1.credit) * $1.maxMark } }
    /// The score as a percentage of the attempt's maximum, nil when nothing with a mark was shown: the value the
    /// item analysis, distributions and group summaries use.
    public var scorePercent: Double? {
        let maximum = maxTotal
        return maximum > 0 && maximum.isFinite ? 100 * total / maximum : nil
    }
}

/// What the statistics need to know about a question besides the answers.
public struct ReportItem: Hashable, Sendable {
    /// The question (bank question id).
    public var questionId: QuestionID
    /// Number of options of a choice question (2 for true/false, 0 for fill).
    public var optionCount: Int
    /// Canonical correct options; for true/false `[0]` means 对 (true) and `[1]` means 错 (false); empty for fill.
    public var key: [Int]
    /// True/false questions report their two answers as options 0 (对) and 1 (错).
    public var isTrueFalse: Bool
    /// The bank category, for the weak-category matrix.
    public var category: String

    /// Creates an item; a true/false item gets two options whatever `optionCount` says.
    public init(questionId: QuestionID, optionCount: Int, key: [Int], isTrueFalse: Bool = false, category: String = "")
    {
        self.questionId = questionId
        self.optionCount = isTrueFalse ? 2 : max(0, optionCount)
        self.key = key
        self.isTrueFalse = isTrueFalse
        self.category = category
    }

    /// A choice question answered by picking one option: the only kind Moodle gives a random guess score
    /// (the mean option fraction, 1 / option count); Moodle gives none for multiple-answer questions.
    var isSingleAnswerChoice: Bool { optionCount > 0 && key.count == 1 }
}
