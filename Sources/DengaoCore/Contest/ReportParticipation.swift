/// Participation per unit as both reports show it: every counted member in exactly one group (a branch, or the
/// members placed directly on a unit above the branches), the units above the branches as sums of the groups
/// below them, and the total as the sum of the groups — `Participation`'s rule, so nothing counts twice.
public struct ReportParticipation: Sendable, Hashable, Encodable {
    /// A group or a unit: its roster, how many of them took part, and the share (0…1; 0 for an empty roster).
    public struct Line: Sendable, Hashable, Encodable {
        public let id: UnitID?
        public let name: String
        /// For a group: members placed directly on a unit above the branches.
        public let direct: Bool
        /// For a unit: its depth below the owner (the owner, or each root of the whole organization, is 0).
        public let depth: Int
        public let roster: Int
        public let participants: Int
        public let rate: Double

        init(id: UnitID?, name: String, direct: Bool = false, depth: Int = 0, tally: Participation.Tally) {
            self.id = id
            self.name = name
            self.direct = direct
            self.depth = depth
            roster = tally.roster
            participants = tally.participants
            rate = tally.rate
        }
    }

    /// The branches (in the order given, even when empty), then the direct groups that have anyone.
    public let groups: [Line]
    /// The units above the branches in depth-first order, each the sum of the groups below it.
    public let units: [Line]
    public let total: Line

    /// `groups` maps each group (unit id, direct) to its tally; `names` names the units.
    init(
        groups tallies: [Participation.Grouping.Group: Participation.Tally], branches: [UnitID], owner: UnitID?,
        tree: OrgTree,
        names: [UnitID: String]
    ) {
        // The owner (or, for the whole organization, each root) is at depth 0.
        let topDepth = owner.map { tree.lineage(of: $0).count } ?? 1
        let above = Participation.unitsAboveBranches(owner: owner, branches: branches, tree: tree)
        var groups = branches.map { branch in
            Line(
                id: branch, name: names[branch] ?? tree.path(of: branch),
                tally: tallies[.init(unitId: branch, direct: false)] ?? .init())
        }
        for unit in above {
            guard let tally = tallies[.init(unitId: unit, direct: true)],
                tally.roster > 0 || tally.participants > 0
            else { continue }
            groups.append(
                Line(id: unit, name: (names[unit] ?? tree.path(of: unit)) + "（直属）", direct: true, tally: tally))
        }
        var rolled: [UnitID: Participation.Tally] = [:]
        var total = Participation.Tally()
        for (group, tally) in tallies {
            total = total + tally
            for unit in tree.lineage(of: group.unitId) {
                rolled[unit.id] = (rolled[unit.id] ?? .init()) + tally
            }
        }
        self.groups = groups
        units = above.map { unit in
            Line(
                id: unit, name: names[unit] ?? tree.path(of: unit), depth: tree.lineage(of: unit).count - topDepth,
                tally: rolled[unit] ?? .init())
        }
        self.total = Line(id: owner, name: "合计", tally: total)
    }
}
