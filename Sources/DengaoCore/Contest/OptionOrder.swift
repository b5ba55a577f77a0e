/// The order in which one player sees one question's options. Derived from the contest's stored seed, the
/// player's seat and the question's number, so it needs no storage and is the same after a reconnect or a restart.
public struct OptionOrder: Sendable, Hashable {
    /// `shown[i]` is the canonical index of the option displayed at position i.
    public let shown: [Int]

    public init(seed: UInt64, player: Int, question: Int, optionCount: Int) {
        var generator = SeededGenerator(seed: seed, UInt64(player), UInt64(question))
        shown = Array(0..<optionCount).seededShuffle(&generator)
    }

    public init(identityOf count: Int) { shown = Array(0..<count) }

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
