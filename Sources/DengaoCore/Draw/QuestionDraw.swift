/// Which questions a round (or a campaign level) draws from its banks: the rule an organizer writes.
public struct DrawRule: Codable, Sendable, Hashable {
    /// Categories to draw from; empty means every category.
    public var categories: [String]
    /// Tags of which a question needs at least one; empty means any.
    public var tags: [String]
    public var difficulty: ClosedRange<Int>
    public var types: [QuestionType]
    public var count: Int

    public init(
        count: Int, categories: [String] = [], tags: [String] = [], difficulty: ClosedRange<Int> = Question.difficultyRange,
        types: [QuestionType] = []
    ) {
        self.count = count
        self.categories = categories
        self.tags = tags
        self.difficulty = difficulty
        self.types = types
    }

    public func admits(_ question: Question) -> Bool {
        (categories.isEmpty || categories.contains(question.category))
            && (tags.isEmpty || question.tags.contains(where: tags.contains))
            && difficulty.contains(question.difficulty)
            && (types.isEmpty || types.contains(question.type))
    }

    enum CodingKeys: String, CodingKey { case categories, tags, minDifficulty, maxDifficulty, types, count }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        count = try c.decode(Int.self, forKey: .count)
        categories = try c.decodeIfPresent([String].self, forKey: .categories) ?? []
        tags = try c.decodeIfPresent([String].self, forKey: .tags) ?? []
        types = try c.decodeIfPresent([QuestionType].self, forKey: .types) ?? []
        let low = try c.decodeIfPresent(Int.self, forKey: .minDifficulty) ?? Question.difficultyRange.lowerBound
        let high = try c.decodeIfPresent(Int.self, forKey: .maxDifficulty) ?? Question.difficultyRange.upperBound
        guard low <= high else {
            throw DecodingError.dataCorruptedError(forKey: .maxDifficulty, in: c, debugDescription: "maxDifficulty < minDifficulty")
        }
        difficulty = low...high
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        try c.encode(categories, forKey: .categories)
        try c.encode(tags, forKey: .tags)
        try c.encode(types, forKey: .types)
        try c.encode(difficulty.lowerBound, forKey: .minDifficulty)
        try c.encode(difficulty.upperBound, forKey: .maxDifficulty)
    }
}

/// Seeded, replayable selection of questions: the same pool, rule and seed always give the same questions in the
/// same order, which is what lets a stored seed stand for a whole draw.
public enum QuestionDraw {
    public enum Failure: Error, Equatable, Sendable {
        /// The rule admits fewer questions than it asks for.
        case poolTooSmall(admitted: Int, wanted: Int)
    }

    /// Draws `rule.count` distinct questions among `pool` (identified by any stable key), excluding `exclude`
    /// unless the pool would then be too small, in which case the excluded ones become eligible again — the
    /// campaign rule "no repeats until the pool is exhausted".
    public static func draw<ID: Hashable>(
        _ rule: DrawRule, from pool: [(id: ID, question: Question)], seed: UInt64, excluding exclude: Set<ID> = []
    ) throws(Failure) -> [ID] {
        let admitted = pool.filter { rule.admits($0.question) }.map(\.id)
        guard admitted.count >= rule.count else { throw .poolTooSmall(admitted: admitted.count, wanted: rule.count) }
        var generator = SeededGenerator(seed: seed)
        let fresh = admitted.filter { !exclude.contains($0) }
        if fresh.count >= rule.count { return Array(fresh.seededShuffle(&generator).prefix(rule.count)) }
        // Everything fresh first, then repeats chosen among the rest.
        let repeats = admitted.filter { exclude.contains($0) }.seededShuffle(&generator)
        return fresh.seededShuffle(&generator) + repeats.prefix(rule.count - fresh.count)
    }
}
