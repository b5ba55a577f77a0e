/// Why a question is listed for review in the item analysis.
public enum ItemFlag: String, Hashable, Sendable, CaseIterable, Codable {
    /// Facility index above `ItemFlagThresholds.tooEasyAbove`.
    case tooEasy
    /// Facility index below `ItemFlagThresholds.tooHardBelow`.
    case tooHard
    /// Discriminative efficiency below Moodle's 15 % (its report's "dubious question" test).
    case notDiscriminating
    /// A wrong option was chosen more often than the least-chosen correct option.
    case distractorOverKey
}

/// The limits behind the item flags; the defaults are documented in docs/statistics.md.
public struct ItemFlagThresholds: Hashable, Sendable {
    /// Flag as too easy when the facility index (%) is above this.
    public var tooEasyAbove: Double
    /// Flag as too hard when the facility index (%) is below this.
    public var tooHardBelow: Double
    /// Flag as not discriminating when the discriminative efficiency (%) is below this (Moodle: 15).
    public var discriminativeEfficiencyBelow: Double
    /// No flag for a question seen by fewer attempts than this: a handful of answers says nothing.
    public var minimumCount: Int

    /// Creates thresholds; defaults: too easy > 90, too hard < 20, not discriminating < 15, at least 5 attempts.
    public init(
        tooEasyAbove: Double = 90, tooHardBelow: Double = 20, discriminativeEfficiencyBelow: Double = 15,
        minimumCount: Int = 5
    ) {
        self.tooEasyAbove = tooEasyAbove
        self.tooHardBelow = tooHardBelow
        self.discriminativeEfficiencyBelow = discriminativeEfficiencyBelow
        self.minimumCount = minimumCount
    }

    /// Too easy or too hard by the facility index (%) alone: all that can be said of a question without a common
    /// test (a period's answers across activities).
    public func facilityFlags(_ facility: Double) -> Set<ItemFlag> {
        var flags: Set<ItemFlag> = []
        if facility > tooEasyAbove { flags.insert(.tooEasy) }
        if facility < tooHardBelow { flags.insert(.tooHard) }
        return flags
    }
}

/// How often one option of a choice question was chosen, and how choosing it goes with the attempt's score.
public struct OptionStatistics: Hashable, Sendable {
    /// Canonical option index (bank order); for true/false 0 is 对 (true), 1 is 错 (false).
    public var option: Int
    /// Whether the option is part of the key.
    public var isKey: Bool
    /// Attempts that chose it.
    public var count: Int
    /// count / attempts that saw the question × 100 (unanswered attempts are in the denominator).
    public var share: Double
    /// Pearson correlation of chose-it (0/1) with the attempt's total score (%, the item included), over the
    /// attempts that saw the question; nil when everyone or no one chose it or the scores are all equal.
    public var pointBiserial: Double?
}

/// Moodle's question statistics for one question, plus per-option figures, answer time and flags.
public struct QuestionStatistics: Hashable, Sendable {
    /// The question.
    public var questionId: QuestionID
    /// Attempts that saw the question (Moodle's "attempts").
    public var count: Int
    /// Attempts that answered it.
    public var answeredCount: Int
    /// Mean credit × 100 (Moodle's facility index), nil when unseen.
    public var facilityIndex: Double?
    /// Sample SD of the credit × 100 (Moodle's SD shown as % of the mark), nil below two attempts.
    public var standardDeviation: Double?
    /// Moodle's random guess score × 100: 1/options for a single-answer choice, 50 for true/false, 0 for fill,
    /// nil for multiple-answer questions (Moodle gives none).
    public var randomGuessScore: Double?
    /// The question's mark as a percentage of the attempt's maximum (mean over attempts that saw it).
    public var intendedWeight: Double?
    /// Moodle's effective weight (%), nil for a negative covariance with the total or a question seen once.
    public var effectiveWeight: Double?
    /// 100 × correlation of the item's mark with the rest of the attempt, nil when undefined.
    public var discriminationIndex: Double?
    /// 100 × cov(mark, rest) / the largest covariance those values allow, nil when undefined.
    public var discriminativeEfficiency: Double?
    /// Median time to answer (answered attempts with a time), nil when none.
    public var medianElapsedMilliseconds: Double?
    /// One entry per option for choice and true/false questions, empty for fill.
    public var options: [OptionStatistics]
    /// The wrong option chosen most often (lowest index on a tie), nil when no wrong option was chosen.
    public var mostChosenWrongOption: Int?
    /// Reasons to review the question.
    public var flags: Set<ItemFlag>
}

/// Moodle's per-slot figures: what the coefficient of internal consistency and slot effective weights use.
public struct SlotStatistics: Hashable, Sendable {
    /// The slot (position in the attempt).
    public var slot: Int
    /// Attempts that had this slot.
    public var count: Int
    /// Sample variance of the slot's mark (% of the attempt's maximum), nil below two attempts.
    public var markVariance: Double?
    /// Moodle's effective weight of the slot (%).
    public var effectiveWeight: Double?
    /// Discrimination index of the slot (%).
    public var discriminationIndex: Double?
    /// Discriminative efficiency of the slot (%).
    public var discriminativeEfficiency: Double?
}
