/// The branch board of a campaign, kept up to date one change at a time and rolled up the org tree: every unit
/// counts the members of its whole subtree. The roster is the denominator — members who never climbed count, at
/// height 0 — so a branch cannot rise by having few people try. Members on different ladders (`CategoryLadder`)
/// are compared by height as a share of their own ladder: 3 of 5 levels counts as 6 of 10.
public struct BranchBoard: Sendable {
    public struct Totals: Sendable, Hashable {
        public internal(set) var rosterCount = 0
        public internal(set) var participants = 0
        public internal(set) var heightSum = 0
        /// Heights as shares of each member's own ladder, in `BranchBoard.scale`ths of a ladder: exact integers,
        /// so a member's share added and later removed leaves nothing behind.
        public internal(set) var shareSum = 0
    }

    public struct Standing: Sendable, Hashable {
        public let unitId: UnitID
        public let rank: Int
        public let rosterCount: Int
        public let participants: Int
        /// participants / roster, 0…1.
        public let participationRate: Double
        /// Sum of heights / roster.
        public let meanHeight: Double
        /// 0…100: the organizer's weights applied to participation and to mean height as a share of the ladder
        /// (each member's own).
        public let composite: Double
    }

    private let tree: OrgTree
    /// The default ladder's levels.
    public let levelCount: Int
    /// Every ladder's levels, the default's first.
    public let ladderLevels: [Int]
    /// What a whole ladder counts in `Totals.shareSum`: the least common multiple of the ladders' lengths, so
    /// every share is a whole number (one ladder: its length, and the share sum is the height sum); past a million,
    /// a million, shares rounded to the nearest millionth.
    public let scale: Int
    public let weights: CompositeWeights
    private(set) var totals: [UnitID: Totals] = [:]

    public init(tree: OrgTree, levelCount: Int, weights: CompositeWeights) {
        self.init(tree: tree, ladderLevels: [levelCount], weights: weights)
    }

    /// A board whose members climb ladders of these lengths (`CampaignSettings.ladders`).
    public init(tree: OrgTree, ladderLevels: [Int], weights: CompositeWeights) {
        self.tree = tree
        let lengths = ladderLevels.isEmpty ? [1] : ladderLevels.map { max($0, 1) }
        self.ladderLevels = lengths
        levelCount = lengths[0]
        self.weights = weights
        scale = Self.scale(of: lengths)
    }

    static let largestScale = 1_000_000

    private static func scale(of lengths: [Int]) -> Int {
        var multiple = 1
        for length in Set(lengths) {
            var (a, b) = (multiple, length)
            while b != 0 { (a, b) = (b, a % b) }
            multiple = multiple / a * length
            if multiple > largestScale { return largestScale }
        }
        return multiple
    }

    /// The levels of ladder `ladder` (the default's for a number it does not know).
    public func levels(ofLadder ladder: Int) -> Int {
        ladderLevels.indices.contains(ladder) ? ladderLevels[ladder] : levelCount
    }

    /// `height` on `ladder` in `scale`ths of a ladder.
    public func share(_ height: Int, ladder: Int) -> Int {
        let levels = levels(ofLadder: ladder)
        return (height.saturatingMultiplied(by: scale).saturatingAdding(levels / 2)) / levels
    }

    public func totals(of unit: UnitID) -> Totals { totals[unit] ?? Totals() }

    /// A member on the roster of `unit` (at height 0 until they climb).
    public mutating func addMember(unit: UnitID, participated: Bool = false, height: Int = 0, ladder: Int = 0) {
        let share = share(height, ladder: ladder)
        change(unit) { totals in
            totals.rosterCount += 1
            if participated { totals.participants += 1 }
            totals.heightSum += height
            totals.shareSum += share
        }
    }

    public mutating func removeMember(unit: UnitID, participated: Bool, height: Int, ladder: Int = 0) {
        let share = share(height, ladder: ladder)
        change(unit) { totals in
            totals.rosterCount -= 1
            if participated { totals.participants -= 1 }
            totals.heightSum -= height
            totals.shareSum -= share
        }
    }

    /// A member's first attempt in the campaign.
    public mutating func participated(unit: UnitID) {
        change(unit) { $0.participants += 1 }
    }

    /// A member of the default ladder climbed `steps` levels.
    public mutating func climbed(unit: UnitID, by steps: Int) {
        let added = share(steps, ladder: 0)
        change(unit) { totals in
            totals.heightSum += steps
            totals.shareSum += added
        }
    }

    /// A member on `ladder` climbed from `before` to `after`.
    public mutating func climbed(unit: UnitID, from before: Int, to after: Int, ladder: Int) {
        let added = share(after, ladder: ladder) - share(before, ladder: ladder)
        change(unit) { totals in
            totals.heightSum += after - before
            totals.shareSum += added
        }
    }

    /// A member moved between branches: their participation and height go with them.
    public mutating func moved(from old: UnitID, to new: UnitID, participated: Bool, height: Int, ladder: Int = 0) {
        removeMember(unit: old, participated: participated, height: height, ladder: ladder)
        addMember(unit: new, participated: participated, height: height, ladder: ladder)
    }

    /// The units among `units` ranked by composite (then participation, then mean height, then id).
    public func standings(of units: [UnitID]) -> [Standing] {
        let scored = units.map { unit -> Standing in
            let totals = totals(of: unit)
            let roster = Double(max(totals.rosterCount, 0))
            let rate = roster > 0 ? Double(totals.participants) / roster : 0
            let mean = roster > 0 ? Double(totals.heightSum) / roster : 0
            let meanShare = roster > 0 ? Double(totals.shareSum) / roster : 0
            let composite = 100 * (weights.participation * rate + weights.height * meanShare / Double(scale))
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
    private mutating func change(_ unit: UnitID, _ apply: (inout Totals) -> Void) {
        for ancestor in tree.lineage(of: unit) { apply(&totals[ancestor.id, default: Totals()]) }
    }
}
