/// The live contest's leaderboards, kept up to date one score change at a time: individuals in an order-statistic
/// set (a player's rank and the top N without sorting everyone), branches as running totals (there are tens of
/// branches, not thousands, so ordering them per push is cheap). Ranks are competition ranks: equal scores share
/// a rank, and the next rank skips (1, 2, 2, 4).
public struct ContestScoreboard: Sendable {
    /// Smaller is better: higher score first, then the earlier seat (who joined first) among equals.
    struct RankKey: Comparable, Sendable, Hashable {
        let negatedScore: Int
        let seat: Int
        static func < (a: RankKey, b: RankKey) -> Bool {
            (a.negatedScore, a.seat) < (b.negatedScore, b.seat)
        }
    }

    public struct Standing: Sendable, Hashable {
        public let rank: Int
        public let seat: Int
        public let score: Int
    }

    public struct BranchStanding: Sendable, Hashable {
        public let rank: Int
        public let branchId: Int64
        public let score: Int
        public let players: Int
    }

    private var ranked = RankedSet<Int, RankKey>()
    private var branchOfSeat: [Int: Int64] = [:]
    private var branchTotals: [Int64: (score: Int, players: Int)] = [:]
    public let branchScoring: BranchScoring

    public init(branchScoring: BranchScoring) { self.branchScoring = branchScoring }

    public var playerCount: Int { ranked.count }

    public mutating func add(seat: Int, branchId: Int64, score: Int = 0) {
        guard branchOfSeat[seat] == nil else { return }
        branchOfSeat[seat] = branchId
        ranked.update(seat, to: RankKey(negatedScore: -score, seat: seat))
        branchTotals[branchId, default: (0, 0)].score += score
        branchTotals[branchId, default: (0, 0)].players += 1
    }

    /// A kicked seat leaves the boards (its answers stay in the results).
    public mutating func remove(seat: Int) {
        guard let branch = branchOfSeat.removeValue(forKey: seat), let key = ranked.remove(seat) else { return }
        branchTotals[branch, default: (0, 0)].score -= -key.negatedScore
        branchTotals[branch, default: (0, 0)].players -= 1
    }

    public mutating func add(points: Int, to seat: Int) {
        guard points != 0, let branch = branchOfSeat[seat], let key = ranked.key(of: seat) else { return }
        ranked.update(seat, to: RankKey(negatedScore: key.negatedScore - points, seat: seat))
        branchTotals[branch, default: (0, 0)].score += points
    }

    public func score(of seat: Int) -> Int? { ranked.key(of: seat).map { -$0.negatedScore } }

    /// The seat's competition rank: one more than the number of seats with a strictly higher score.
    public func rank(of seat: Int) -> Int? {
        guard let key = ranked.key(of: seat) else { return nil }
        return ranked.countBefore(RankKey(negatedScore: key.negatedScore, seat: Int.min)) + 1
    }

    public func top(_ n: Int) -> [Standing] {
        ranked.top(n).map { entry in
            Standing(
                rank: ranked.countBefore(RankKey(negatedScore: entry.key.negatedScore, seat: Int.min)) + 1,
                seat: entry.id, score: -entry.key.negatedScore)
        }
    }

    /// Every branch with at least one player, best first; the mean is rounded to whole points.
    public func branches() -> [BranchStanding] {
        let scored = branchTotals.filter { $0.value.players > 0 }.map { branch, total in
            let score = branchScoring == .sum ? total.score : Int((Double(total.score) / Double(total.players)).rounded())
            return (branch: branch, score: score, players: total.players)
        }.sorted { ($0.score, $1.branch) > ($1.score, $0.branch) }
        var standings: [BranchStanding] = []
        for (index, entry) in scored.enumerated() {
            let rank = index > 0 && standings[index - 1].score == entry.score ? standings[index - 1].rank : index + 1
            standings.append(BranchStanding(rank: rank, branchId: entry.branch, score: entry.score, players: entry.players))
        }
        return standings
    }
}
