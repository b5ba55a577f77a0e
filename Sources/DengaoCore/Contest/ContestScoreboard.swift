/// The live contest's leaderboards, kept up to date one score change at a time: individuals in an order-statistic
/// set (a player's rank and the top N without sorting everyone), branches as running totals (there are tens of
/// branches, not thousands, so ordering them per push is cheap). Ranks are competition ranks: equal scores share
/// a rank, and the next rank skips (1, 2, 2, 4).
public struct ContestScoreboard: Sendable {
    /// Smaller is better: higher score first, then the earlier seat (who joined first) among equals. The score is
    /// compared the other way round rather than negated: `-Int.min` does not exist.
    struct RankKey: Comparable, Sendable, Hashable {
        let score: Int
        let seat: Int
        static func < (a: RankKey, b: RankKey) -> Bool {
            a.score != b.score ? a.score > b.score : a.seat < b.seat
        }
    }

    public struct Standing: Sendable, Hashable {
        public let rank: Int
        public let seat: Int
        public let score: Int
    }

    public struct BranchStanding: Sendable, Hashable {
        public let rank: Int
        public let branchId: UnitID
        public let score: Int
        public let players: Int
    }

    private var ranked = RankedSet<Int, RankKey>()
    private var branchOfSeat: [Int: UnitID] = [:]
    private var branchTotals: [UnitID: (score: Int, players: Int)] = [:]
    public let branchScoring: BranchScoring

    public init(branchScoring: BranchScoring) { self.branchScoring = branchScoring }

    public var playerCount: Int { ranked.count }

    public mutating func add(seat: Int, branchId: UnitID, score: Int = 0) {
        guard branchOfSeat[seat] == nil else { return }
        branchOfSeat[seat] = branchId
        ranked.update(seat, to: RankKey(score: score, seat: seat))
        change(branchId, score: score, players: 1)
    }

    /// A kicked seat leaves the boards (its answers stay in the results).
    public mutating func remove(seat: Int) {
        guard let branch = branchOfSeat.removeValue(forKey: seat), let key = ranked.remove(seat) else { return }
        change(branch, score: key.score.saturatingNegated, players: -1)
    }

    public mutating func add(points: Int, to seat: Int) {
        guard points != 0, let branch = branchOfSeat[seat], let key = ranked.key(of: seat) else { return }
        ranked.update(seat, to: RankKey(score: key.score.saturatingAdding(points), seat: seat))
        change(branch, score: points, players: 0)
    }

    /// Adds to a branch's running total, held at the limits like every score.
    private mutating func change(_ branch: UnitID, score: Int, players: Int) {
        let total = branchTotals[branch] ?? (0, 0)
        branchTotals[branch] = (total.score.saturatingAdding(score), total.players + players)
    }

    public func score(of seat: Int) -> Int? { ranked.key(of: seat).map(\.score) }

    /// The seat's competition rank: one more than the number of seats with a strictly higher score.
    public func rank(of seat: Int) -> Int? {
        guard let key = ranked.key(of: seat) else { return nil }
        return ranked.countBefore(RankKey(score: key.score, seat: Int.min)) + 1
    }

    public func top(_ n: Int) -> [Standing] {
        ranked.top(n).map { entry in
            Standing(
                rank: ranked.countBefore(RankKey(score: entry.key.score, seat: Int.min)) + 1,
                seat: entry.id, score: entry.key.score)
        }
    }

    /// Every branch with at least one player, best first; the mean is rounded to whole points.
    public func branches() -> [BranchStanding] {
        let scored = branchTotals.filter { $0.value.players > 0 }.map { branch, total in
            let score =
                branchScoring == .sum ? total.score : Int(saturating: Double(total.score) / Double(total.players))
            return (branch: branch, score: score, players: total.players)
        }.sorted { ($0.score, $1.branch) > ($1.score, $0.branch) }
        var standings: [BranchStanding] = []
        for (index, entry) in scored.enumerated() {
            let rank = index > 0 && standings[index - 1].score == entry.score ? standings[index - 1].rank : index + 1
            standings.append(
                BranchStanding(rank: rank, branchId: entry.branch, score: entry.score, players: entry.players))
        }
        return standings
    }
}
