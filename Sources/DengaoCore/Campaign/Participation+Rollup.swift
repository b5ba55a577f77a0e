extension Participation {
    /// Head counts of a group, a unit or the whole campaign.
    public struct Tally: Sendable, Hashable {
        public internal(set) var roster = 0
        public internal(set) var participants = 0

        public init(roster: Int = 0, participants: Int = 0) {
            self.roster = roster
            self.participants = participants
        }

        public var absent: Int { roster - participants }
        public var rate: Double { roster > 0 ? Double(participants) / Double(roster) : 0 }

        static func + (a: Tally, b: Tally) -> Tally {
            Tally(roster: a.roster + b.roster, participants: a.participants + b.participants)
        }
    }

    /// One day's figures rolled up the tree: every row is added to its unit and to each unit above it, so a unit's
    /// tally is its direct row plus its children's tallies; `total` is the sum of the rows. Each counted member is
    /// in exactly one row, so nobody counts twice anywhere.
    public static func rollUp(_ rows: some Sequence<Row>, tree: OrgTree) -> (units: [UnitID: Tally], total: Tally) {
        var units: [UnitID: Tally] = [:]
        var total = Tally()
        for row in rows {
            let tally = Tally(roster: row.roster.count, participants: row.participants.count)
            total = total + tally
            for unit in tree.lineage(of: row.unitId).map(\.id) {
                units[unit, default: Tally()] = units[unit, default: Tally()] + tally
            }
        }
        return (units, total)
    }

    /// The units of the campaign's subtree (`owner` nil: the whole tree) that are no branch and lie under none, in
    /// depth-first order: the units whose figures are roll-ups (and whose directly placed members form a group).
    public static func unitsAboveBranches(owner: UnitID?, branches: [UnitID], tree: OrgTree) -> [UnitID] {
        let grouping = Grouping(branches: branches, tree: tree)
        return tree.depthFirst(from: owner).map(\.unit.id).filter {
            grouping.group(of: $0).direct
        }
    }
}
