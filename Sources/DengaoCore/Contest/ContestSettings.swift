import Foundation

/// The kinds of round found in Chinese knowledge contests (知识竞赛).
public enum RoundKind: String, Codable, Sendable, CaseIterable {
    /// 必答: everyone answers within the time limit; faster correct answers score more.
    case everyone
    /// 抢答: the first to buzz after the buzzer opens wins the right to answer.
    case buzz
    /// 风险: each contestant stakes a wager before seeing the question; right +wager, wrong −wager.
    case risk
    /// 投票: the organizer's own questions with no key and no score; the big screen shows how the room answered.
    case poll

    public var chineseName: String {
        switch self {
        case .everyone: "必答"
        case .buzz: "抢答"
        case .risk: "风险"
        case .poll: "投票"
        }
    }
}

/// Who answers: every member on their own phone, or one device per branch.
public enum ContestMode: String, Codable, Sendable {
    case individual
    case team
}

/// How members' scores make a branch's score in individual mode.
public enum BranchScoring: String, Codable, Sendable {
    case sum
    case mean
}

/// How a multiple-choice answer that picks some but not all correct options scores.
public enum MultipleChoiceScoring: String, Codable, Sendable {
    /// Exactly the key scores; anything else scores nothing.
    case allOrNothing
    /// 少选得一半: a subset of the key with no wrong pick scores half.
    case halfForSubset
}

public struct RoundSettings: Codable, Sendable, Hashable {
    public var title: String
    public var kind: RoundKind
    /// Where the questions come from: bank names and the rule applied to their latest versions.
    public var banks: [String]
    public var draw: DrawRule
    /// 必答 and 风险: the answer window. 抢答: how long the buzzer stays open.
    public var timeLimitSeconds: Int
    /// 必答 and 抢答: points for a correct answer.
    public var points: Int
    /// 必答: extra points per earlier consecutive correct answer (0 = no streak bonus), counted up to `maxStreak`.
    public var streakBonus: Int
    /// 抢答: seconds the question is read before the buzzer opens; buzzing earlier costs `earlyBuzzPenalty`.
    public var readSeconds: Int
    /// 抢答: seconds the winner of the buzzer has to answer.
    public var answerSeconds: Int
    public var earlyBuzzPenalty: Int
    public var wrongAnswerPenalty: Int
    /// 风险: the stakes a contestant may choose; the smallest applies to one who chose none.
    public var wagers: [Int]
    /// 投票: the questions the round asks, in order; every other kind draws from `banks` and has none.
    public var poll: [PollQuestion]

    public static let maxStreak = 5

    public init(
        title: String, kind: RoundKind, banks: [String], draw: DrawRule, timeLimitSeconds: Int = 20, points: Int = 1000,
        streakBonus: Int = 0, readSeconds: Int = 3, answerSeconds: Int = 10, earlyBuzzPenalty: Int = 100,
        wrongAnswerPenalty: Int = 500, wagers: [Int] = [10, 20, 30], poll: [PollQuestion] = []
    ) {
        self.title = title
        self.kind = kind
        self.banks = banks
        self.draw = draw
        self.timeLimitSeconds = timeLimitSeconds
        self.points = points
        self.streakBonus = streakBonus
        self.readSeconds = readSeconds
        self.answerSeconds = answerSeconds
        self.earlyBuzzPenalty = earlyBuzzPenalty
        self.wrongAnswerPenalty = wrongAnswerPenalty
        self.wagers = wagers
        self.poll = poll
    }

    enum CodingKeys: String, CodingKey {
        case title, kind, banks, draw, timeLimitSeconds, points, streakBonus, readSeconds, answerSeconds
        case earlyBuzzPenalty, wrongAnswerPenalty, wagers, poll
    }

    /// Every field but kind, banks and draw may be left out of an organizer's JSON and takes its default; a 投票
    /// round has its `poll` questions instead of banks and draw.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try c.decode(RoundKind.self, forKey: .kind)
        let poll = try c.decodeIfPresent([PollQuestion].self, forKey: .poll) ?? []
        self.init(
            title: try c.decodeIfPresent(String.self, forKey: .title) ?? kind.chineseName,
            kind: kind,
            banks: kind == .poll
                ? try c.decodeIfPresent([String].self, forKey: .banks) ?? []
                : try c.decode([String].self, forKey: .banks),
            draw: kind == .poll
                ? try c.decodeIfPresent(DrawRule.self, forKey: .draw) ?? DrawRule(count: max(1, poll.count))
                : try c.decode(DrawRule.self, forKey: .draw),
            poll: poll)
        timeLimitSeconds =
            try c.decodeLocatedIfPresent(Int.self, forKey: .timeLimitSeconds) ?? (kind == .buzz ? 15 : 20)
        points =
            try c.decodeLocatedIfPresent(Int.self, forKey: .points)
            ?? (kind == .everyone ? 1000 : kind == .poll ? 0 : 100)
        streakBonus = try c.decodeLocatedIfPresent(Int.self, forKey: .streakBonus) ?? 0
        readSeconds = try c.decodeLocatedIfPresent(Int.self, forKey: .readSeconds) ?? 3
        answerSeconds = try c.decodeLocatedIfPresent(Int.self, forKey: .answerSeconds) ?? 10
        earlyBuzzPenalty = try c.decodeLocatedIfPresent(Int.self, forKey: .earlyBuzzPenalty) ?? 50
        wrongAnswerPenalty = try c.decodeLocatedIfPresent(Int.self, forKey: .wrongAnswerPenalty) ?? 100
        wagers = try c.decodeLocatedIfPresent([Int].self, forKey: .wagers) ?? [10, 20, 30]
    }

    // Durations in milliseconds for the machine and the views: never negative and saturated, so a stored round
    // made before the bounds cannot trap in them, nor in a difference of two of them.

    /// The answer window (必答, 风险) or the buzzer's window (抢答), in milliseconds.
    public var timeLimitMilliseconds: Int { max(0, timeLimitSeconds).saturatingMilliseconds }
    /// 抢答: how long the question is read before the buzzer opens, in milliseconds.
    public var readMilliseconds: Int { max(0, readSeconds).saturatingMilliseconds }
    /// 抢答: how long the buzzer's winner has to answer, in milliseconds.
    public var answerMilliseconds: Int { max(0, answerSeconds).saturatingMilliseconds }

    /// Every reason this round cannot be played, located at it. Every field is checked whatever the kind, so no
    /// stored round carries an absurd number even in a field its kind ignores.
    public func problems(at location: FieldLocation) -> [String] {
        typealias B = Bounds
        var problems: [String?] = [
            B.title.problem(title.count, at: location),
            kind == .poll ? nil : B.banks.problem(banks.count, at: location),
            B.timeLimitSeconds.problem(timeLimitSeconds, at: location),
            B.points.problem(points, at: location),
            B.streakBonus.problem(streakBonus, at: location),
            B.readSeconds.problem(readSeconds, at: location),
            B.answerSeconds.problem(answerSeconds, at: location),
            B.earlyBuzzPenalty.problem(earlyBuzzPenalty, at: location),
            B.wrongAnswerPenalty.problem(wrongAnswerPenalty, at: location),
            B.wagerCount.problem(wagers.count, at: location),
        ]
        if let wager = wagers.first(where: { !B.wager.range.contains($0) }) {
            problems.append(B.wager.problem(wager, at: location))
        }
        return problems.compactMap { $0 } + drawOrPollProblems(at: location)
    }

    /// A 投票 round is checked for its questions, which it asks instead of drawing; any other round for its draw,
    /// and it may not carry poll questions it would never ask.
    private func drawOrPollProblems(at location: FieldLocation) -> [String] {
        guard kind == .poll else {
            guard poll.isEmpty else {
                return ["\(location.chinese)：只有投票轮可以有投票题 (\(location.english): only a poll round has poll questions)"]
            }
            return draw.problems(at: location)
        }
        let count = PollQuestion.Bounds.questions.problem(poll.count, at: location)
        return [count].compactMap { $0 }
            + poll.enumerated().flatMap { index, question in question.problems(in: location, number: index + 1) }
    }

    /// The allowed values of a round's numbers (docs/bounds.md).
    public enum Bounds {
        public static let title = FieldBound("title", "轮次名称", 0...60, .characters)
        public static let banks = FieldBound("banks", "题库", 1...50, .entries)
        public static let timeLimitSeconds = FieldBound("timeLimitSeconds", "答题时限", 5...600, .seconds)
        public static let points = FieldBound("points", "每题分值", 0...100_000)
        public static let streakBonus = FieldBound("streakBonus", "连对奖励", 0...10_000)
        public static let readSeconds = FieldBound("readSeconds", "读题时间", 0...60, .seconds)
        public static let answerSeconds = FieldBound("answerSeconds", "抢到后作答时间", 3...120, .seconds)
        public static let earlyBuzzPenalty = FieldBound("earlyBuzzPenalty", "抢跑扣分", 0...100_000)
        public static let wrongAnswerPenalty = FieldBound("wrongAnswerPenalty", "答错扣分", 0...100_000)
        public static let wagerCount = FieldBound("wagers", "赌注个数", 1...10, .entries)
        public static let wager = FieldBound("wagers", "每个赌注", 1...100_000)

        public static let all: [any DocumentedBound] = [
            title, banks, timeLimitSeconds, points, streakBonus, readSeconds, answerSeconds, earlyBuzzPenalty,
            wrongAnswerPenalty, wagerCount, wager,
        ]
    }
}

/// Everything an organizer decides about a contest before it starts.
public struct ContestSettings: Codable, Sendable, Hashable {
    public var title: String
    public var mode: ContestMode
    public var branchScoring: BranchScoring
    public var multipleChoice: MultipleChoiceScoring
    /// Answers arriving this long after the deadline still count (as if at the deadline): network delay is not
    /// the player's fault.
    public var graceMilliseconds: Int
    /// Only members who came in through their invitation link may play; otherwise guests pick a branch.
    public var membersOnly: Bool
    public var rounds: [RoundSettings]
    /// The member categories (分层分类, ids of the organization's list) a members-only contest is for: only members
    /// holding one of them may join, and its report's roster counts only them. Empty: every member.
    public var memberCategoryIds: [MemberCategoryID] = []

    public static let defaultGraceMilliseconds = 500
    public static let titleLimit = 60

    public init(
        title: String, mode: ContestMode = .individual, branchScoring: BranchScoring = .sum,
        multipleChoice: MultipleChoiceScoring = .allOrNothing, graceMilliseconds: Int = defaultGraceMilliseconds,
        membersOnly: Bool = false, rounds: [RoundSettings]
    ) {
        self.title = title
        self.mode = mode
        self.branchScoring = branchScoring
        self.multipleChoice = multipleChoice
        self.graceMilliseconds = graceMilliseconds
        self.membersOnly = membersOnly
        self.rounds = rounds
    }

    enum CodingKeys: String, CodingKey {
        case title, mode, branchScoring, multipleChoice, graceMilliseconds, membersOnly, rounds, memberCategoryIds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // A 风险 round without stakes of its own stakes in proportion to the contest's other rounds (read apart,
        // since a round alone cannot see the others).
        var rounds = try c.decode([RoundSettings].self, forKey: .rounds)
        let given = try c.decode([StakesGiven].self, forKey: .rounds)
        let stakes = Self.defaultWagers(for: rounds)
        for index in rounds.indices where rounds[index].kind == .risk && !given[index].wagers {
            rounds[index].wagers = stakes
        }
        self.init(
            title: try c.decode(String.self, forKey: .title),
            mode: try c.decodeIfPresent(ContestMode.self, forKey: .mode) ?? .individual,
            branchScoring: try c.decodeIfPresent(BranchScoring.self, forKey: .branchScoring) ?? .sum,
            multipleChoice: try c.decodeIfPresent(MultipleChoiceScoring.self, forKey: .multipleChoice) ?? .allOrNothing,
            graceMilliseconds: try c.decodeLocatedIfPresent(Int.self, forKey: .graceMilliseconds)
                ?? Self.defaultGraceMilliseconds,
            membersOnly: try c.decodeIfPresent(Bool.self, forKey: .membersOnly) ?? false,
            rounds: rounds)
        memberCategoryIds = try c.decodeIfPresent([MemberCategoryID].self, forKey: .memberCategoryIds) ?? []
    }

    /// Whether a member holding `categories` (ids) may join: any member of an untargeted contest, else one holding
    /// one of its categories.
    public func admits(memberHolding categories: Set<MemberCategoryID>) -> Bool {
        memberCategoryIds.isEmpty || !categories.isDisjoint(with: memberCategoryIds)
    }

    /// Every member, or only those holding one of the contest's categories: the history its roster is read from.
    public func rosterHistory(_ history: Participation.History) -> Participation.History {
        memberCategoryIds.isEmpty ? history : history.restricted(toCategories: Set(memberCategoryIds))
    }

    /// Whether a round's JSON names its stakes.
    private struct StakesGiven: Decodable {
        let wagers: Bool
        enum Key: String, CodingKey { case wagers }
        init(from decoder: any Decoder) throws { wagers = try decoder.container(keyedBy: Key.self).contains(.wagers) }
    }

    /// Stakes of half, one and two of the most a question of the other rounds is worth (1,000 when there are none),
    /// in tens: a 风险 round at 10/20/30 beside 必答 questions worth 1,000 could not change the order.
    public static func defaultWagers(for rounds: [RoundSettings]) -> [Int] {
        let worth = rounds.filter { $0.kind != .risk && $0.kind != .poll }.map(\.points).max() ?? 1000
        let base = worth > 0 ? worth : 1000
        let range = RoundSettings.Bounds.wager.range
        // Into the bounds before rounding: points out of bounds (refused later, with the field named) must not trap.
        return [base / 2, base, base.saturatingMultiplied(by: 2)].map { stake in
            let bounded = min(range.upperBound, max(range.lowerBound, max(10, stake)))
            return min(range.upperBound, (bounded + 5) / 10 * 10)
        }
    }

    /// Every reason these settings cannot make a contest, all at once, each naming its field and, inside a round,
    /// the round: "第2轮：抢跑扣分须为 0–100000 (round 2: earlyBuzzPenalty must be 0–100000)".
    public func problems() -> [String] {
        let problems = [
            Bounds.title.problem(title.trimmingCharacters(in: .whitespaces).count),
            Bounds.graceMilliseconds.problem(graceMilliseconds),
            Bounds.rounds.problem(rounds.count),
        ]
        // A guest names no categories: a contest for some categories admits members only.
        let targeting =
            memberCategoryIds.isEmpty || membersOnly
            ? nil : "按党员类别限定的比赛须仅限党员参加 (memberCategoryIds needs membersOnly)"
        return (problems + [targeting]).compactMap { $0 }
            + rounds.enumerated().flatMap { index, round in round.problems(at: .round(index + 1)) }
    }

    /// The allowed values of a contest's own numbers (docs/bounds.md); rounds have theirs in `RoundSettings.Bounds`.
    public enum Bounds {
        public static let title = FieldBound("title", "标题", 1...ContestSettings.titleLimit, .characters)
        public static let graceMilliseconds = FieldBound("graceMilliseconds", "网络宽限", 0...5000, .milliseconds)
        public static let rounds = FieldBound("rounds", "轮数", 1...20, .entries)

        public static let all: [any DocumentedBound] = [title, graceMilliseconds, rounds]
    }
}
