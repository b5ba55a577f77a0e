/// How far a survey reached: per unit of its subtree, the active members in and below the unit against the
/// responses from members in and below it.
public enum SurveyReach {
    public struct Row: Codable, Sendable, Hashable {
        public var unitId: UnitID
        public var name: String
        public var path: String
        public var depth: Int
        public var roster: Int
        public var responded: Int
        /// responded ÷ roster; 0 for a unit with no members. A member who answered and then moved away or left still
        /// counts where they answered, so a unit's rate can exceed 1 for a while.
        public var rate: Double
    }

    /// The rows for `units` (a subtree listing, depth-first, with member counts), counting each response in its unit
    /// and every unit above it. `roster` (member → unit), when given, replaces the units' member counts: a survey for
    /// some member categories counts only the members holding one of them.
    public static func rows(
        units: [UnitSummary], responsesByUnit: [UnitID: Int], tree: OrgTree, roster: [MemberID: UnitID]? = nil
    ) -> [Row] {
        var responded: [UnitID: Int] = [:]
        for (unit, count) in responsesByUnit {
            for ancestor in tree.lineage(of: unit) { responded[ancestor.id, default: 0] += count }
        }
        var targeted: [UnitID: Int] = [:]
        for unit in (roster ?? [:]).values {
            for ancestor in tree.lineage(of: unit) { targeted[ancestor.id, default: 0] += 1 }
        }
        return units.map { unit in
            let answered = responded[unit.id] ?? 0
            let members = roster == nil ? unit.totalMemberCount : targeted[unit.id] ?? 0
            return Row(
                unitId: unit.id, name: unit.name, path: unit.path, depth: unit.depth, roster: members,
                responded: answered, rate: members > 0 ? Double(answered) / Double(members) : 0)
        }
    }
}
