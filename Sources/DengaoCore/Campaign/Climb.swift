/// A member's standing in a campaign, built up attempt by attempt.
public struct Climb: Sendable, Hashable, Codable {
    public let memberId: MemberID
    /// Levels passed: the member stands on this step of the ladder (0 at the foot).
    public private(set) var height = 0
    public private(set) var correct = 0
    public private(set) var answered = 0
    /// Time spent answering, over all attempts.
    public private(set) var totalMilliseconds: Int64 = 0
    /// When the current height was reached (for ties: who got there first).
    public private(set) var reachedAt: Int64?
    /// Attempts started, by local day, for the daily limit.
    public private(set) var attemptsByDay: [CampaignDay: Int] = [:]

    public init(memberId: MemberID) { self.memberId = memberId }

    public func attempts(on day: CampaignDay) -> Int { attemptsByDay[day] ?? 0 }

    public func attemptsLeft(on day: CampaignDay, limit: Int) -> Int { max(0, limit - attempts(on: day)) }

    /// Counts an attempt against its day when it starts (so abandoning still counts).
    public mutating func started(on day: CampaignDay) {
        attemptsByDay[day, default: 0] += 1
    }

    /// Folds a finished attempt in. Failing never lowers the height; a pass raises it by one step, only when the
    /// attempt was at the member's next level (a replayed lower level adds accuracy, not height).
    public mutating func finished(_ attempt: Attempt) {
        finished(level: attempt.level, status: attempt.status, endedAt: attempt.endedAt, answers: attempt.answers)
    }

    /// The same, from a stored attempt's parts.
    public mutating func finished(level: Int, status: AttemptStatus, endedAt: Int64?, answers: [AttemptAnswer]) {
        for answer in answers {
            answered += 1
            if answer.correctness == .correct { correct += 1 }
            totalMilliseconds = totalMilliseconds.saturatingAdding(Int64(answer.elapsedMilliseconds))
        }
        if status == .passed, level == height + 1 {
            height = level
            reachedAt = endedAt
        }
    }

    /// The same, from an attempt's answer totals (what the reports read instead of every answer).
    public mutating func finished(
        level: Int, status: AttemptStatus, endedAt: Int64?, answered: Int, correct: Int, milliseconds: Int64
    ) {
        self.answered += answered
        self.correct += correct
        totalMilliseconds = totalMilliseconds.saturatingAdding(milliseconds)
        if status == .passed, level == height + 1 {
            height = level
            reachedAt = endedAt
        }
    }

    /// The ranking key: higher first, then more accurate, then quicker in total, then earlier to the height;
    /// the member id makes the order total.
    public var rankKey: ClimbRankKey {
        ClimbRankKey(
            height: height, correct: correct, answered: answered, totalMilliseconds: totalMilliseconds,
            reachedAt: reachedAt ?? Int64.max, memberId: memberId)
    }
}

/// Ascending order is best first, for `RankedSet`.
public struct ClimbRankKey: Comparable, Sendable, Hashable {
    public let height: Int
    public let correct: Int
    public let answered: Int
    public let totalMilliseconds: Int64
    public let reachedAt: Int64
    public let memberId: MemberID

    public init(
        height: Int, correct: Int, answered: Int, totalMilliseconds: Int64, reachedAt: Int64, memberId: MemberID
    ) {
        self.height = height
        self.correct = correct
        self.answered = answered
        self.totalMilliseconds = totalMilliseconds
        self.reachedAt = reachedAt
        self.memberId = memberId
    }

    /// Inlinable so every specialization of the ranked sets compares without a call (a copy that calls out
    /// measured 2–3× slower at a million members).
    @inlinable
    public static func < (a: ClimbRankKey, b: ClimbRankKey) -> Bool {
        if a.height != b.height { return a.height > b.height }
        // Accuracy compared as fractions without division: a.correct/a.answered > b.correct/b.answered. Full-width
        // products are exact whatever the counts, and as cheap as the plain ones.
        let left = a.correct.multipliedFullWidth(by: max(b.answered, 1))
        let right = b.correct.multipliedFullWidth(by: max(a.answered, 1))
        if left != right { return left > right }
        if a.totalMilliseconds != b.totalMilliseconds { return a.totalMilliseconds < b.totalMilliseconds }
        if a.reachedAt != b.reachedAt { return a.reachedAt < b.reachedAt }
        return a.memberId < b.memberId
    }
}
