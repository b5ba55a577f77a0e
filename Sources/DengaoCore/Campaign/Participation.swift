/// Who took part in a campaign, per branch and per day, against the roster of that day: a member counts in the
/// branch they were placed in at the day's end (placements are kept with their dates), and a member who
/// made an attempt counts where they were when they made it.
public enum Participation {
    /// A member's placement in a unit over a span of time (milliseconds since the epoch; `until` nil = still).
    public struct Placement: Sendable, Hashable {
        public let memberId: Int64
        public let unitId: Int64
        public let since: Int64
        public let until: Int64?

        public init(memberId: Int64, unitId: Int64, since: Int64, until: Int64?) {
            self.memberId = memberId
            self.unitId = unitId
            self.since = since
            self.until = until
        }

        func covers(_ instant: Int64) -> Bool { since <= instant && (until.map { instant < $0 } ?? true) }
    }

    /// One branch on one day.
    public struct Row: Sendable, Hashable {
        public let day: CampaignDay
        public let branchId: Int64
        /// Everyone counted for the branch that day, participants included.
        public let roster: Set<Int64>
        public let participants: Set<Int64>

        public var rate: Double { roster.isEmpty ? 0 : Double(participants.count) / Double(roster.count) }
        public var absent: Set<Int64> { roster.subtracting(participants) }
    }

    /// Rows for every day and every branch (days in order, branches in the order given). A unit counts under the
    /// first of `branches` on its path from the root down, so members of sub-units roll up into their branch.
    public static func daily(
        days: [CampaignDay], endOfDay: (CampaignDay) -> Int64, placements: [Placement],
        attempts: [(memberId: Int64, unitId: Int64, day: CampaignDay)], branches: [Int64], tree: OrgTree
    ) -> [Row] {
        let listed = Set(branches)
        var branchOfUnit: [Int64: Int64?] = [:]
        func branch(of unit: Int64) -> Int64? {
            if let known = branchOfUnit[unit] { return known }
            let found = tree.lineage(of: unit).first { listed.contains($0.id) }?.id
            branchOfUnit[unit] = found
            return found
        }
        var byDay: [CampaignDay: [(memberId: Int64, unitId: Int64)]] = [:]
        for attempt in attempts { byDay[attempt.day, default: []].append((attempt.memberId, attempt.unitId)) }

        var rows: [Row] = []
        for day in days {
            let end = endOfDay(day)
            var roster: [Int64: Set<Int64>] = [:]
            var took: [Int64: Set<Int64>] = [:]
            for placement in placements where placement.covers(end) {
                if let b = branch(of: placement.unitId) { roster[b, default: []].insert(placement.memberId) }
            }
            for attempt in byDay[day] ?? [] {
                guard let b = branch(of: attempt.unitId) else { continue }
                took[b, default: []].insert(attempt.memberId)
                roster[b, default: []].insert(attempt.memberId)
            }
            for b in branches {
                rows.append(Row(day: day, branchId: b, roster: roster[b] ?? [], participants: took[b] ?? []))
            }
        }
        return rows
    }
}
