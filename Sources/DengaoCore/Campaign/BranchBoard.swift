/// The branch board of a campaign, kept up to date one change at a time and rolled up the org tree: every unit
/// counts the members of its whole subtree. The roster is the denominator — members who never climbed count, at
/// height 0 — so a branch cannot rise by having few people try.
public struct BranchBoard: Sendable {
    public struct Totals: Sendable, Hashable {
        public internal(set) var rosterCount = 0
        public internal(set) var participants = 0
        public internal(set) var heightSum = 0
    }

    public struct Standing: Sendable, Hashable {
        public let unitId: Int64
        public let rank: Int
        public let rosterCount: Int
        public let participants: Int
        /// participants / roster, 0…1.
        public let participationRate: Double
        /// Sum of heights / roster.
        public let meanHeight: Double
        /// 0…100: the organizer's weights applied to participation and to mean height as a share of the ladder.
        public let composite: Double
    }

    private let tree: OrgTree
    public let levelCount: Int
    public let weights: CompositeWeights
    private(set) var totals: [Int64: Totals] = [:]

    public init(tree: OrgTree, levelCount: Int, weights: CompositeWeights) {
        self.tree = tree
        self.levelCount = max(levelCount, 1)
        self.weights = weights
    }

    public func totals(of unit: Int64) -> Totals { totals[unit] ?? Totals() }

    /// A member on the roster of `unit` (at height 0 until they climb).
    public mutating func addMember(unit: Int64, participated: Bool = false, height: Int = 0) {
        change(unit) { totals in
            totals.rosterCount += 1
            if participated { totals.participants += 1 }
            totals.heightSum += height
        }
    }

    public mutating func removeMember(unit: Int64, participated: Bool, height: Int) {
        change(unit) { totals in
            totals.rosterCount -= 1
            if participated { totals.participants -= 1 }
            totals.heightSum -= height
        }
    }

    /// A member's first attempt in the campaign.
    public mutating func participated(unit: Int64) {
        change(unit) { $0.participants += 1 }
    }

    public mutating func climbed(unit: Int64, by steps: Int) {
        change(unit) { $0.heightSum += steps }
    }

    /// A member moved between branches: their participation and height go with them.
    public mutating func moved(from old: Int64, to new: Int64, participated: Bool, height: Int) {
        removeMember(unit: old, participated: participated, height: height)
        addMember(unit: new, participated: participated, height: height)
    }

    /// The units among `units` ranked by composite (then participation, then mean height, then id).
    public func standings(of units: [Int64]) -> [Standing] {
        let scored = units.map { unit -> Standing in
            let totals = totals(of: unit)
            let roster = Double(max(totals.rosterCount, 0))
            let rate = roster > 0 ? Double(totals.participants) / roster : 0
            let mean = roster > 0 ? Double(totals.heightSum) / roster : 0
            let composite = 100 * (weights.participation * rate + weights.height * mean / Double(levelCount))
            return Standing(
                unitId: unit, rank: 0, rosterCount: totals.rosterCount, participants: totals.participants,
                participationRate: rate,
                meanHeight: mean, composite: composite)
        }.sorted { a, b in
            (a.composite, a.participationRate, a.meanHeight, b.unitId) > (
                b.composite, b.participationRate, b.meanHeight, a.unitId
            )
        }
        var ranked: [Standing] = []
        for (index, standing) in scored.enumerated() {
            let tied = index > 0 && ranked[index - 1].composite == standing.composite
            ranked.append(
                Standing(
                    unitId: standing.unitId, rank: tied ? ranked[index - 1].rank : index + 1,
                    rosterCount: standing.rosterCount,
                    participants: standing.participants, participationRate: standing.participationRate,
                    meanHeight: standing.meanHeight, composite: standing.composite))
        }
        return ranked
    }

    /// Applies a change to the unit and every unit above it: the roll-up, O(depth) per change.
    private mutating func change(_ unit: Int64, _ apply: (inout Totals) -> Void) {
        for ancestor in tree.lineage(of: unit) { apply(&totals[ancestor.id, default: Totals()]) }
    }
}
