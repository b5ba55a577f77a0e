import Foundation

/// The kinds of round found in Chinese knowledge contests (知识竞赛).
public enum RoundKind: String, Codable, Sendable, CaseIterable {
    /// 必答: everyone answers within the time limit; faster correct answers score more.
    case everyone
    /// 抢答: the first to buzz after the buzzer opens wins the right to answer.
    case buzz
    /// 风险: each contestant stakes a wager before seeing the question; right +wager, wrong −wager.
    case risk

    public var chineseName: String {
        switch self {
        case .everyone: "必答"
        case .buzz: "抢答"
        case .risk: "风险"
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

    public static let maxStreak = 5

    public init(
        title: String, kind: RoundKind, banks: [String], draw: DrawRule, timeLimitSeconds: Int = 20, points: Int = 1000,
        streakBonus: Int = 0, readSeconds: Int = 3, answerSeconds: Int = 10, earlyBuzzPenalty: Int = 100,
        wrongAnswerPenalty: Int = 500, wagers: [Int] = [10, 20, 30]
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
    }

    enum CodingKeys: String, CodingKey {
        case title, kind, banks, draw, timeLimitSeconds, points, streakBonus, readSeconds, answerSeconds
        case earlyBuzzPenalty, wrongAnswerPenalty, wagers
    }

    /// Every field but kind, banks and draw may be left out of an organizer's JSON and takes its default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try c.decode(RoundKind.self, forKey: .kind)
        self.init(
            title: try c.decodeIfPresent(String.self, forKey: .title) ?? kind.chineseName,
            kind: kind,
            banks: try c.decode([String].self, forKey: .banks),
            draw: try c.decode(DrawRule.self, forKey: .draw))
        timeLimitSeconds = try c.decodeIfPresent(Int.self, forKey: .timeLimitSeconds) ?? (kind == .buzz ? 15 : 20)
        points = try c.decodeIfPresent(Int.self, forKey: .points) ?? (kind == .everyone ? 1000 : 100)
        streakBonus = try c.decodeIfPresent(Int.self, forKey: .streakBonus) ?? 0
        readSeconds = try c.decodeIfPresent(Int.self, forKey: .readSeconds) ?? 3
        answerSeconds = try c.decodeIfPresent(Int.self, forKey: .answerSeconds) ?? 10
        earlyBuzzPenalty = try c.decodeIfPresent(Int.self, forKey: .earlyBuzzPenalty) ?? 50
        wrongAnswerPenalty = try c.decodeIfPresent(Int.self, forKey: .wrongAnswerPenalty) ?? 100
        wagers = try c.decodeIfPresent([Int].self, forKey: .wagers) ?? [10, 20, 30]
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
        case title, mode, branchScoring, multipleChoice, graceMilliseconds, membersOnly, rounds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            title: try c.decode(String.self, forKey: .title),
            mode: try c.decodeIfPresent(ContestMode.self, forKey: .mode) ?? .individual,
            branchScoring: try c.decodeIfPresent(BranchScoring.self, forKey: .branchScoring) ?? .sum,
            multipleChoice: try c.decodeIfPresent(MultipleChoiceScoring.self, forKey: .multipleChoice) ?? .allOrNothing,
            graceMilliseconds: try c.decodeIfPresent(Int.self, forKey: .graceMilliseconds) ?? Self.defaultGraceMilliseconds,
            membersOnly: try c.decodeIfPresent(Bool.self, forKey: .membersOnly) ?? false,
            rounds: try c.decode([RoundSettings].self, forKey: .rounds))
    }

    /// Every reason these settings cannot make a contest, all at once.
    public func problems() -> [String] {
        var problems: [String] = []
        let trimmed = title.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.count > Self.titleLimit { problems.append("title must be 1–\(Self.titleLimit) characters") }
        if !(0...5000).contains(graceMilliseconds) { problems.append("graceMilliseconds must be 0–5000") }
        if rounds.isEmpty { problems.append("a contest needs at least one round") }
        for (index, round) in rounds.enumerated() {
            let at = "round \(index + 1)"
            if round.banks.isEmpty { problems.append("\(at): name at least one bank") }
            if !(1...100).contains(round.draw.count) { problems.append("\(at): question count must be 1–100") }
            if !(5...600).contains(round.timeLimitSeconds) { problems.append("\(at): time limit must be 5–600 seconds") }
            if !(0...100_000).contains(round.points) { problems.append("\(at): points must be 0–100000") }
            if !(0...10_000).contains(round.streakBonus) { problems.append("\(at): streak bonus must be 0–10000") }
            if round.kind == .buzz {
                if !(0...60).contains(round.readSeconds) { problems.append("\(at): read time must be 0–60 seconds") }
                if !(3...120).contains(round.answerSeconds) { problems.append("\(at): answer time must be 3–120 seconds") }
                if round.earlyBuzzPenalty < 0 || round.wrongAnswerPenalty < 0 { problems.append("\(at): penalties cannot be negative") }
            }
            if round.kind == .risk, round.wagers.isEmpty || round.wagers.contains(where: { $0 <= 0 || $0 > 100_000 }) {
                problems.append("\(at): wagers must be 1–100000, at least one")
            }
        }
        return problems
    }
}
