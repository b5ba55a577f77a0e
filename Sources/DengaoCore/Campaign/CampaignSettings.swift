import Foundation

/// How long a member has to answer in a level: per question, or for the whole level.
public enum LevelTimeLimit: Codable, Sendable, Hashable {
    case perQuestion(seconds: Int)
    case perLevel(seconds: Int)

    public var seconds: Int {
        switch self {
        case .perQuestion(let seconds), .perLevel(let seconds): seconds
        }
    }

    /// The limit in milliseconds: never negative and saturated, so a stored level made before the bounds cannot trap.
    public var milliseconds: Int { max(0, seconds).saturatingMilliseconds }

    // Written out (the wire form is the synthesized one, `{"perQuestion": {"seconds": 20}}`) so that a number the
    // decoder cannot hold is reported at `seconds`.
    private enum Kind: String, CodingKey { case perQuestion, perLevel }
    private enum Keys: String, CodingKey { case seconds }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Kind.self)
        guard c.allKeys.count == 1, let kind = c.allKeys.first else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: c.codingPath, debugDescription: "expected one of perQuestion or perLevel"))
        }
        let seconds = try c.nestedContainer(keyedBy: Keys.self, forKey: kind).decodeLocated(Int.self, forKey: .seconds)
        self = kind == .perQuestion ? .perQuestion(seconds: seconds) : .perLevel(seconds: seconds)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Kind.self)
        var inner: KeyedEncodingContainer<Keys>
        switch self {
        case .perQuestion: inner = c.nestedContainer(keyedBy: Keys.self, forKey: .perQuestion)
        case .perLevel: inner = c.nestedContainer(keyedBy: Keys.self, forKey: .perLevel)
        }
        try inner.encode(seconds, forKey: .seconds)
    }
}

/// One step of the ladder.
public struct LevelSettings: Codable, Sendable, Hashable {
    public var title: String
    public var draw: DrawRule
    public var timeLimit: LevelTimeLimit
    /// The share of correct answers that passes, 0…1; exactly meeting it passes.
    public var passThreshold: Double

    public init(
        title: String, draw: DrawRule, timeLimit: LevelTimeLimit = .perQuestion(seconds: 20),
        passThreshold: Double = 0.8
    ) {
        self.title = title
        self.draw = draw
        self.timeLimit = timeLimit
        self.passThreshold = passThreshold
    }

    enum CodingKeys: String, CodingKey { case title, draw, timeLimit, passThreshold }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            title: try c.decode(String.self, forKey: .title), draw: try c.decode(DrawRule.self, forKey: .draw),
            timeLimit: try c.decode(LevelTimeLimit.self, forKey: .timeLimit),
            passThreshold: try c.decodeLocated(Double.self, forKey: .passThreshold))
    }

    /// Correct answers needed out of `count`: the smallest number whose share reaches the threshold.
    public func correctNeeded(of count: Int) -> Int {
        // A stored threshold outside 0…1 (made before the bounds) is held to them rather than trapping below.
        let share = passThreshold.isNaN ? 1 : min(max(passThreshold, 0), 1)
        // Integer arithmetic on thousandths: 0.8 × 5 must be exactly 4, not 4.000000000000001.
        let thousandths = Int((share * 1000).rounded())
        return count.saturatingMultiplied(by: thousandths).saturatingAdding(999) / 1000
    }

    /// Every reason this level cannot be climbed, located at it.
    public func problems(at location: FieldLocation) -> [String] {
        [
            Bounds.title.problem(title.count, at: location),
            Bounds.timeLimitSeconds.problem(timeLimit.seconds, at: location),
            Bounds.passThreshold.problem(passThreshold, at: location),
        ].compactMap { $0 } + draw.problems(at: location)
    }

    /// The allowed values of a level's numbers (docs/bounds.md); its draw rule has `DrawRule.Bounds`.
    public enum Bounds {
        public static let title = FieldBound("title", "关卡名称", 0...60, .characters)
        public static let timeLimitSeconds = FieldBound("seconds", "时限", 5...3600, .seconds)
        /// A share of correct answers: 0.01 is 1 %, 1 is every answer right. NaN and the infinities are outside.
        public static let passThreshold = FieldBound("passThreshold", "及格线", 0.01...1.0)

        public static let all: [any DocumentedBound] = [title, timeLimitSeconds, passThreshold]
    }
}

/// What an organizer decides about an answer-climbing campaign (答题登高).
public struct CampaignSettings: Codable, Sendable, Hashable {
    public var title: String
    /// First and last day, as calendar dates in the campaign's time zone ("2026-07-01").
    public var startDate: String
    public var endDate: String
    /// An IANA identifier; days (and so the daily attempt limit) turn over at midnight there.
    public var timeZone: String
    public var banks: [String]
    public var levels: [LevelSettings]
    public var attemptsPerDay: Int
    /// How the branch board's composite weighs participation against mean height (each 0…1 after scaling).
    public var composite: CompositeWeights
    /// The member categories (分层分类, ids of the organization's list) the campaign is for: its rosters — every
    /// participation denominator — count only members holding one of them. Empty: every member.
    public var memberCategoryIds: [MemberCategoryID]
    /// Extra ladders for some member categories (`CategoryLadder`); `levels` stays the default ladder.
    public var categoryLadders: [CategoryLadder]

    public static let defaultTimeZone = "Asia/Shanghai"
    public static let defaultAttemptsPerDay = 3
    public static let defaultLevelCount = 10

    public init(
        title: String, startDate: String, endDate: String, timeZone: String = defaultTimeZone, banks: [String],
        levels: [LevelSettings] = CampaignSettings.defaultLadder(), attemptsPerDay: Int = defaultAttemptsPerDay,
        composite: CompositeWeights = CompositeWeights(), memberCategoryIds: [MemberCategoryID] = [],
        categoryLadders: [CategoryLadder] = []
    ) {
        self.title = title
        self.startDate = startDate
        self.endDate = endDate
        self.timeZone = timeZone
        self.banks = banks
        self.levels = levels
        self.attemptsPerDay = attemptsPerDay
        self.composite = composite
        self.memberCategoryIds = memberCategoryIds
        self.categoryLadders = categoryLadders
    }

    /// The default ladder: `count` levels whose questions get harder as the member climbs (difficulty windows
    /// 1–2 at the foot to 4–5 at the top) and a little longer, each passed at 80 %.
    public static func defaultLadder(count: Int = defaultLevelCount) -> [LevelSettings] {
        (1...max(count, 1)).map { level in
            let progress = count > 1 ? Double(level - 1) / Double(count - 1) : 0
            let low = 1 + Int((progress * 3).rounded(.down))
            let high = min(5, low + 1)
            let questions = 5 + (level - 1) / 2
            return LevelSettings(title: "第\(level)关", draw: DrawRule(count: questions, difficulty: low...high))
        }
    }

    enum CodingKeys: String, CodingKey {
        case title, startDate, endDate, timeZone, banks, levels, attemptsPerDay, composite, memberCategoryIds
        case categoryLadders
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            title: try c.decode(String.self, forKey: .title),
            startDate: try c.decode(String.self, forKey: .startDate),
            endDate: try c.decode(String.self, forKey: .endDate),
            timeZone: try c.decodeIfPresent(String.self, forKey: .timeZone) ?? Self.defaultTimeZone,
            banks: try c.decode([String].self, forKey: .banks),
            levels: try c.decodeIfPresent([LevelSettings].self, forKey: .levels) ?? Self.defaultLadder(),
            attemptsPerDay: try c.decodeLocatedIfPresent(Int.self, forKey: .attemptsPerDay)
                ?? Self.defaultAttemptsPerDay,
            composite: try c.decodeIfPresent(CompositeWeights.self, forKey: .composite) ?? CompositeWeights(),
            memberCategoryIds: try c.decodeIfPresent([MemberCategoryID].self, forKey: .memberCategoryIds) ?? [],
            categoryLadders: try c.decodeIfPresent([CategoryLadder].self, forKey: .categoryLadders) ?? [])
    }

    /// Settings stored before categories existed read the same when written back: an untargeted campaign's
    /// encoding has no `memberCategoryIds`, and one with a single ladder no `categoryLadders`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(title, forKey: .title)
        try c.encode(startDate, forKey: .startDate)
        try c.encode(endDate, forKey: .endDate)
        try c.encode(timeZone, forKey: .timeZone)
        try c.encode(banks, forKey: .banks)
        try c.encode(levels, forKey: .levels)
        try c.encode(attemptsPerDay, forKey: .attemptsPerDay)
        try c.encode(composite, forKey: .composite)
        if !memberCategoryIds.isEmpty { try c.encode(memberCategoryIds, forKey: .memberCategoryIds) }
        if !categoryLadders.isEmpty { try c.encode(categoryLadders, forKey: .categoryLadders) }
    }

    /// Every member, or only those holding one of the campaign's categories: the history its rosters are read from.
    public func rosterHistory(_ history: Participation.History) -> Participation.History {
        memberCategoryIds.isEmpty ? history : history.restricted(toCategories: Set(memberCategoryIds))
    }

    /// The campaign's calendar, if its time zone and dates are valid.
    public var calendar: CampaignCalendar? {
        guard let zone = TimeZone(identifier: timeZone), let start = CampaignDay(startDate),
            let end = CampaignDay(endDate)
        else { return nil }
        return CampaignCalendar(timeZone: zone, first: start, last: end)
    }

    /// Every reason these settings cannot make a campaign, all at once, each naming its field and, inside a level,
    /// the level: "第3关：及格线须为 0.01–1 (level 3: passThreshold must be 0.01–1)".
    public func problems() -> [String] {
        var problems = [
            Bounds.title.problem(title.trimmingCharacters(in: .whitespaces).count),
            Bounds.banks.problem(banks.count),
            Bounds.levels.problem(levels.count),
            Bounds.attemptsPerDay.problem(attemptsPerDay),
            Bounds.participationWeight.problem(composite.participation),
            Bounds.heightWeight.problem(composite.height),
        ].compactMap { $0 }
        if TimeZone(identifier: timeZone) == nil {
            problems.append("未知时区 \"\(timeZone)\" (unknown timeZone \"\(timeZone)\")")
        }
        switch (CampaignDay(startDate), CampaignDay(endDate)) {
        case (nil, _), (_, nil):
            problems.append("日期须写作 YYYY-MM-DD (startDate and endDate are written YYYY-MM-DD)")
        case (let start?, let end?):
            problems += [Bounds.startDate.problem(start), Bounds.endDate.problem(end)].compactMap { $0 }
            if end < start { problems.append("结束日期早于开始日期 (endDate is before startDate)") }
        }
        return problems + levels.enumerated().flatMap { index, level in level.problems(at: .level(index + 1)) }
            + categoryLadderProblems()
    }

    /// The allowed values of a campaign's own numbers (docs/bounds.md); levels have `LevelSettings.Bounds`.
    public enum Bounds {
        public static let title = FieldBound("title", "标题", 1...60, .characters)
        public static let startDate = FieldBound("startDate", "开始日期", dates)
        public static let endDate = FieldBound("endDate", "结束日期", dates)
        public static let banks = FieldBound("banks", "题库", 1...50, .entries)
        public static let levels = FieldBound("levels", "关数", 1...50, .entries)
        public static let attemptsPerDay = FieldBound("attemptsPerDay", "每日挑战次数", 1...100)
        /// Extra ladders beyond the default: a few layers of members, not one per member.
        public static let categoryLadders = FieldBound("categoryLadders", "分类阶梯", 0...8, .entries)
        /// Weights need not sum to one; a hundred is far past any sensible emphasis.
        public static let participationWeight = FieldBound("participation", "参与率权重", 0.0...100.0)
        public static let heightWeight = FieldBound("height", "平均高度权重", 0.0...100.0)

        static let dates = CampaignDay(year: 2000, month: 1, day: 1)...CampaignDay(year: 2099, month: 12, day: 31)

        public static let all: [any DocumentedBound] = [
            title, startDate, endDate, banks, levels, attemptsPerDay, participationWeight, heightWeight,
            categoryLadders,
        ]
    }
}

/// The branch board's composite: `participation × participationRate + height × meanHeight / levelCount`,
/// scaled to 0–100. The organizer chooses the weights; they need not sum to one.
public struct CompositeWeights: Codable, Sendable, Hashable {
    public var participation: Double
    public var height: Double

    public init(participation: Double = 0.5, height: Double = 0.5) {
        self.participation = participation
        self.height = height
    }

    enum CodingKeys: String, CodingKey { case participation, height }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            participation: try c.decodeLocated(Double.self, forKey: .participation),
            height: try c.decodeLocated(Double.self, forKey: .height))
    }
}
