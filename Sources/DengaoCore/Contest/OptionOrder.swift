/// The order in which one player sees one question's options. Derived from the contest's stored seed, the
/// player's seat and the question's number, so it needs no storage and is the same after a reconnect or a restart.
public struct OptionOrder: Sendable, Hashable {
    /// `shown[i]` is the canonical index of the option displayed at position i.
    public let shown: [Int]

    public init(seed: UInt64, player: Int, question: Int, optionCount: Int) {
        // Bit patterns, not conversions: a negative number (never a real seat or question) must not trap. For every
        // real one the two agree, so stored orders are unchanged.
        var generator = SeededGenerator(
            seed: seed, UInt64(truncatingIfNeeded: player), UInt64(truncatingIfNeeded: question))
        shown = Array(0..<optionCount).seededShuffle(&generator)
    }

    public init(identityOf count: Int) { shown = Array(0..<count) }

    /// The bank's letter of each displayed option ("C", "A", "D", "B"): a letter names one option on every screen,
    /// whatever order a phone shows them in, so "答案是 C" means the same option in the whole hall and the exports.
    public var letters: [String] {
        shown.map { Question.optionLetters.indices.contains($0) ? String(Question.optionLetters[$0]) : String($0 + 1) }
    }

    /// Canonical indices of the displayed positions a player tapped; nil if a position does not exist.
    public func canonical(_ positions: [Int]) -> [Int]? {
        var result: [Int] = []
        for position in positions {
            guard shown.indices.contains(position) else { return nil }
            result.append(shown[position])
        }
        return result.sorted()
    }

    /// Displayed positions of canonical indices (to show a player the key in their own order at the reveal).
    public func displayed(_ canonical: [Int]) -> [Int] {
        canonical.compactMap { shown.firstIndex(of: $0) }.sorted()
    }
}

extension OptionOrder {
    /// What a player's screen submitted — the positions they tapped, true/false, or text — in the question's
    /// canonical terms; nil when the shape does not fit the question.
    public func canonicalAnswer(to question: Question, picks: [Int]?, truth: Bool?, text: String?) -> PlayerAnswer? {
        switch question.type {
        case .single, .multiple:
            guard let picks, picks.count <= question.options.count else { return nil }
            return canonical(picks).map { .choices($0) }
        case .trueFalse:
            return truth.map { .truth($0) }
        case .fill:
            return text.map { .text($0) }
        }
    }
}
