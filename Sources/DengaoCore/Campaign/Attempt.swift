/// Where an attempt at a level stands.
public enum AttemptStatus: String, Codable, Sendable {
    case answering
    case passed
    case failed
    /// Left open past its deadline.
    case expired
    /// Given up by the member; it still counts against the day's attempts.
    case abandoned

    public var isOver: Bool { self != .answering }
}

/// One answer in an attempt, as stored and as replayed.
public struct AttemptAnswer: Sendable, Hashable, Codable {
    public let index: Int
    /// nil when the question's time ran out unanswered.
    public let answer: PlayerAnswer?
    public let correctness: Correctness
    public let at: Int64
    public let elapsedMilliseconds: Int

    public init(index: Int, answer: PlayerAnswer?, correctness: Correctness, at: Int64, elapsedMilliseconds: Int) {
        self.index = index
        self.answer = answer
        self.correctness = correctness
        self.at = at
        self.elapsedMilliseconds = elapsedMilliseconds
    }
}

/// A member's attempt at one level, server-authoritative: questions are served one at a time with deadlines the
/// server keeps, a question's key is revealed only once it is answered or has expired, and refreshing the page
/// resumes the same question rather than drawing anew. Pure: time is passed in (milliseconds since the epoch).
public struct Attempt: Sendable, Hashable {
    public let level: Int
    public let questions: [Question]
    public let timeLimit: LevelTimeLimit
    public let correctNeeded: Int
    public let startedAt: Int64
    public let graceMilliseconds: Int
    public private(set) var status: AttemptStatus = .answering
    public private(set) var answers: [AttemptAnswer] = []
    /// When the current question was first served; nil between questions.
    public private(set) var servedAt: Int64?
    public private(set) var endedAt: Int64?

    /// Time a member may spend between questions (reading an explanation) before a per-question attempt expires.
    public static let readingAllowanceMilliseconds = 60_000

    public init(
        level: Int, questions: [Question], settings: LevelSettings, startedAt: Int64, graceMilliseconds: Int = 1000
    ) {
        self.level = level
        self.questions = questions
        timeLimit = settings.timeLimit
        correctNeeded = settings.correctNeeded(of: questions.count)
        self.startedAt = startedAt
        self.graceMilliseconds = graceMilliseconds
    }

    /// An attempt as it was stored: the same value the live one had when it was written.
    public init(
        restoring level: Int, questions: [Question], settings: LevelSettings, startedAt: Int64, status: AttemptStatus,
        answers: [AttemptAnswer], servedAt: Int64?, endedAt: Int64?, graceMilliseconds: Int = 1000
    ) {
        self.init(
            level: level, questions: questions, settings: settings, startedAt: startedAt,
            graceMilliseconds: graceMilliseconds)
        self.status = status
        self.answers = answers
        self.servedAt = servedAt
        self.endedAt = endedAt
    }

    public enum Refusal: String, Error, Sendable, Equatable {
        case over = "attempt-over"
        case notThisQuestion = "not-this-question"
        case notServed = "not-served"
        case malformed = "malformed-answer"
        /// The question's time ran out before the answer arrived.
        case late
    }

    /// The question being asked: its index and the moment its answer is due.
    public struct Served: Sendable, Hashable {
        public let index: Int
        public let deadline: Int64
    }

    public var currentIndex: Int { answers.count }
    public var correctCount: Int { answers.filter { $0.correctness == .correct }.count }

    /// The whole attempt's deadline: the level's limit, or per question each question's limit plus a reading
    /// allowance between questions.
    public var attemptDeadline: Int64 {
        switch timeLimit {
        case .perLevel: startedAt.saturatingAdding(Int64(timeLimit.milliseconds))
        case .perQuestion:
            startedAt.saturatingAdding(
                Int64(questions.count).saturatingMultiplied(
                    by: Int64(timeLimit.milliseconds.saturatingAdding(Self.readingAllowanceMilliseconds))))
        }
    }

    /// The current question's deadline once served.
    public var questionDeadline: Int64? {
        guard let servedAt else { return nil }
        switch timeLimit {
        case .perQuestion: return min(servedAt.saturatingAdding(Int64(timeLimit.milliseconds)), attemptDeadline)
        case .perLevel: return attemptDeadline
        }
    }

    /// Whether `advance(to:)` has something to do at `now`: the attempt or its served question is past its deadline
    /// and the grace. For a sweeper deciding which attempts to settle.
    public func isDue(at now: Int64) -> Bool {
        guard status == .answering else { return false }
        let grace = Int64(graceMilliseconds)
        if now > attemptDeadline.saturatingAdding(grace) { return true }
        if let deadline = questionDeadline, now > deadline.saturatingAdding(grace) { return true }
        return false
    }

    /// Lets time pass: an attempt past its own deadline (and grace) expires; otherwise a served question past its
    /// deadline counts as wrong, unanswered, and the attempt goes on (or ends, if it was the last).
    public mutating func advance(to now: Int64) {
        guard status == .answering else { return }
        let grace = Int64(graceMilliseconds)
        if now > attemptDeadline.saturatingAdding(grace) {
            status = .expired
            endedAt = attemptDeadline
            servedAt = nil
            return
        }
        if let deadline = questionDeadline, now > deadline.saturatingAdding(grace), let servedAt {
            answers.append(
                AttemptAnswer(
                    index: currentIndex, answer: nil, correctness: .wrong, at: deadline,
                    elapsedMilliseconds: Int(deadline.saturatingSubtracting(servedAt))))
            self.servedAt = nil
            if currentIndex == questions.count { finish(at: deadline) }
        }
    }

    /// The question to show now: the one already served (a refresh resumes it, its clock still running), or the
    /// next one, served from now. nil once the attempt is over.
    public mutating func serve(at now: Int64) -> Served? {
        advance(to: now)
        guard status == .answering, currentIndex < questions.count else { return nil }
        if servedAt == nil { servedAt = now }
        return Served(index: currentIndex, deadline: questionDeadline!)
    }

    /// Grades the answer to the served question; the key may be shown from here on.
    public mutating func answer(_ index: Int, _ answer: PlayerAnswer, at now: Int64) throws(Refusal) -> AttemptAnswer {
        advance(to: now)
        guard status == .answering else { throw .over }
        guard index >= 0 else { throw .notThisQuestion }
        if index < currentIndex, answers[index].answer == nil { throw .late }
        guard index == currentIndex else { throw .notThisQuestion }
        guard let servedAt else { throw .notServed }
        let question = questions[index]
        guard question.accepts(answer) else { throw .malformed }
        let recorded = AttemptAnswer(
            index: index, answer: answer, correctness: question.grade(answer) == .correct ? .correct : .wrong, at: now,
            elapsedMilliseconds: Int(now.saturatingSubtracting(servedAt)))
        answers.append(recorded)
        self.servedAt = nil
        if currentIndex == questions.count { finish(at: now) }
        return recorded
    }

    public mutating func abandon(at now: Int64) throws(Refusal) {
        advance(to: now)
        guard status == .answering else { throw .over }
        status = .abandoned
        endedAt = now
    }

    private mutating func finish(at time: Int64) {
        status = correctCount >= correctNeeded ? .passed : .failed
        endedAt = time
    }
}
