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
}

/// One step of the ladder.
public struct LevelSettings: Codable, Sendable, Hashable {
    public var title: String
    public var draw: DrawRule
    public var timeLimit: LevelTimeLimit
    /// The share of correct answers that passes, 0…1; exactly meeting it passes.
    public var passThreshold: Double

    public init(title: String, draw: DrawRule, timeLimit: LevelTimeLimit = .perQuestion(seconds: 20), passThreshold: Double = 0.8) {
        self.title = title
        self.draw = draw
        self.timeLimit = timeLimit
        self.passThreshold = passThreshold
    }

    /// Correct answers needed out of `count`: the smallest number whose share reaches the threshold.
    public func correctNeeded(of count: Int) -> Int {
        // Integer arithmetic on thousandths: 0.8 × 5 must be exactly 4, not 4.000000000000001.
        let thousandths = Int((passThreshold * 1000).rounded())
        return (count * thousandths + 999) / 1000
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

    public static let defaultTimeZone = "Asia/Shanghai"
    public static let defaultAttemptsPerDay = 3
    public static let defaultLevelCount = 10

    public init(
        title: String, startDate: String, endDate: String, timeZone: String = defaultTimeZone, banks: [String],
        levels: [LevelSettings] = CampaignSettings.defaultLadder(), attemptsPerDay: Int = defaultAttemptsPerDay,
        composite: CompositeWeights = CompositeWeights()
    ) {
        self.title = title
        self.startDate = startDate
        self.endDate = endDate
        self.timeZone = timeZone
        self.banks = banks
        self.levels = levels
        self.attemptsPerDay = attemptsPerDay
        self.composite = composite
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
        case title, startDate, endDate, timeZone, banks, levels, attemptsPerDay, composite
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
            attemptsPerDay: try c.decodeIfPresent(Int.self, forKey: .attemptsPerDay) ?? Self.defaultAttemptsPerDay,
            composite: try c.decodeIfPresent(CompositeWeights.self, forKey: .composite) ?? CompositeWeights())
    }

    /// The campaign's calendar, if its time zone and dates are valid.
    public var calendar: CampaignCalendar? {
        guard let zone = TimeZone(identifier: timeZone), let start = CampaignDay(startDate), let end = CampaignDay(endDate)
        else { return nil }
        return CampaignCalendar(timeZone: zone, first: start, last: end)
    }

    /// Every reason these settings cannot make a campaign, all at once.
    public func problems() -> [String] {
        var problems: [String] = []
        let trimmed = title.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.count > 60 { problems.append("title must be 1–60 characters") }
        if TimeZone(identifier: timeZone) == nil { problems.append("unknown time zone \"\(timeZone)\"") }
        switch (CampaignDay(startDate), CampaignDay(endDate)) {
        case (nil, _), (_, nil): problems.append("dates are written YYYY-MM-DD")
        case (let start?, let end?) where end < start: problems.append("the campaign ends before it starts")
        default: break
        }
        if banks.isEmpty { problems.append("name at least one bank") }
        if !(1...50).contains(levels.count) { problems.append("a ladder has 1–50 levels") }
        if !(1...100).contains(attemptsPerDay) { problems.append("attempts per day must be 1–100") }
        for (index, level) in levels.enumerated() {
            let at = "level \(index + 1)"
            if !(1...100).contains(level.draw.count) { problems.append("\(at): question count must be 1–100") }
            if !(5...3600).contains(level.timeLimit.seconds) { problems.append("\(at): time limit must be 5–3600 seconds") }
            if !(0.01...1).contains(level.passThreshold) { problems.append("\(at): pass threshold must be 1–100 %") }
        }
        return problems
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
}
