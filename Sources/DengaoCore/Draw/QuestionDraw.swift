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
        count: Int, categories: [String] = [], tags: [String] = [],
        difficulty: ClosedRange<Int> = Question.difficultyRange,
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
        count = try c.decodeLocated(Int.self, forKey: .count)
        categories = try c.decodeIfPresent([String].self, forKey: .categories) ?? []
        tags = try c.decodeIfPresent([String].self, forKey: .tags) ?? []
        types = try c.decodeIfPresent([QuestionType].self, forKey: .types) ?? []
        let low = try c.decodeLocatedIfPresent(Int.self, forKey: .minDifficulty) ?? Question.difficultyRange.lowerBound
        let high = try c.decodeLocatedIfPresent(Int.self, forKey: .maxDifficulty) ?? Question.difficultyRange.upperBound
        guard low <= high else {
            throw DecodingError.dataCorruptedError(
                forKey: .maxDifficulty, in: c,
                debugDescription: "minDifficulty 高于 maxDifficulty (minDifficulty is above maxDifficulty)")
        }
        difficulty = low...high
    }

    /// Every reason this rule cannot draw, located at its round or level.
    public func problems(at location: FieldLocation) -> [String] {
        [
            Bounds.count.problem(count, at: location),
            Bounds.minDifficulty.problem(difficulty.lowerBound, at: location),
            Bounds.maxDifficulty.problem(difficulty.upperBound, at: location),
            Bounds.categories.problem(categories.count, at: location),
            Bounds.tags.problem(tags.count, at: location),
            Bounds.types.problem(types.count, at: location),
        ].compactMap { $0 }
    }

    /// The allowed values of a draw rule's numbers (docs/bounds.md), the same for rounds and levels.
    public enum Bounds {
        public static let count = FieldBound("count", "题数", 1...100)
        public static let minDifficulty = FieldBound("minDifficulty", "最低难度", Question.difficultyRange)
        public static let maxDifficulty = FieldBound("maxDifficulty", "最高难度", Question.difficultyRange)
        public static let categories = FieldBound("categories", "分类", 0...100, .entries)
        public static let tags = FieldBound("tags", "标签", 0...100, .entries)
        public static let types = FieldBound("types", "题型", 0...QuestionType.allCases.count, .entries)

        public static let all: [any DocumentedBound] = [count, minDifficulty, maxDifficulty, categories, tags, types]
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

    /// A contest's rounds, drawn in order from one seed (round `i` from the seed's stream `i`), each excluding the
    /// questions earlier rounds drew while its pool has others: a question is asked at most once per contest unless
    /// the banks cannot fill the rounds otherwise. The failures are by round index; rounds that failed draw nothing.
    public static func drawRounds<ID: Hashable>(
        _ rounds: [(rule: DrawRule, pool: [(id: ID, question: Question)])], seed: UInt64
    ) -> (questionIds: [[ID]], failures: [Int: Failure]) {
        var drawn: [[ID]] = []
        var asked: Set<ID> = []
        var failures: [Int: Failure] = [:]
        for (index, round) in rounds.enumerated() {
            var generator = SeededGenerator(seed: seed, UInt64(index))
            do {
                let ids = try draw(round.rule, from: round.pool, seed: generator.next(), excluding: asked)
                asked.formUnion(ids)
                drawn.append(ids)
            } catch {
                failures[index] = error
                drawn.append([])
            }
        }
        return (drawn, failures)
    }
}
