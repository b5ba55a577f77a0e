/// A campaign's participation from its first day to today, by `Participation`'s rule, counted only as far as it is
/// asked: one day's rows (the day view) cost one reading of the roster, and every day's head counts (the report's
/// trend, the workbook) one sweep over the roster history rather than a rebuild of every member's roster per day.
///
/// The sweep reads each member's group at the first day's moment, then at each later day only for the members
/// whose placement or active span begins or ends since the day before (with `RosterTimeline`, as the organization's
/// report does): O(members + changes + attempts + days × groups) instead of O(days × history). A test holds both
/// to `Participation.daily`.
public struct CampaignParticipation: Sendable {
    /// One day's groups (every listed branch in the order given, then each unit above the branches with members
    /// placed directly on it that day, in the tree's depth-first order) with their head counts.
    public struct Day: Sendable {
        public let day: CampaignDay
        public let groups: [Group]
    }

    /// A branch, or the members placed directly on a unit above the branches, with its head counts.
    public struct Group: Sendable, Hashable {
        public let unitId: UnitID
        /// Members placed on `unitId` itself, a unit above the branches.
        public let direct: Bool
        public let tally: Participation.Tally
    }

    /// Every day's groups, and the days each member took part on while counted (ascending).
    public struct Daily: Sendable {
        public let days: [Day]
        public let daysTaken: [MemberID: [CampaignDay]]
    }

    /// The days counted: the campaign's, up to today.
    public let days: [CampaignDay]
    /// The units whose figures are roll-ups: those of the subtree above the branches (depth-first).
    public let unitsAboveBranches: [UnitID]
    let calendar: CampaignCalendar
    let history: Participation.History
    let subtree: Set<UnitID>?
    let branches: [UnitID]
    let tree: OrgTree
    let attempts: [(memberId: MemberID, day: CampaignDay)]

    /// `attempts` need hold only the days that will be asked for; `owner` nil: the whole organization.
    public init(
        calendar: CampaignCalendar, today: CampaignDay, history: Participation.History, owner: UnitID?,
        branches: [UnitID],
        tree: OrgTree, attempts: [(memberId: MemberID, day: CampaignDay)]
    ) {
        self.calendar = calendar
        self.history = history
        self.branches = branches
        self.tree = tree
        self.attempts = attempts
        days = calendar.days(through: today)
        subtree = owner.map { Set(tree.subtreeIds(of: $0)) }
        unitsAboveBranches = Participation.unitsAboveBranches(owner: owner, branches: branches, tree: tree)
    }

    /// One day's rows, members listed; none for a day the campaign has not reached or does not have.
    public func rows(on day: CampaignDay) -> [Participation.Row] {
        guard days.contains(day) else { return [] }
        // One day is one reading of the roster: the rule itself.
        return Participation.daily(
            days: [day], calendar: calendar, history: history, within: subtree,
            attempts: attempts.filter { $0.day == day }, branches: branches, tree: tree)
    }

    /// One day's tally of each unit above the branches (in depth-first order) and of the whole campaign.
    public func rollUp(on day: CampaignDay) -> (units: [(UnitID, Participation.Tally)], total: Participation.Tally) {
        rollUp(rows(on: day))
    }

    /// The same from a day's rows already counted.
    public func rollUp(_ rows: [Participation.Row]) -> (
        units: [(UnitID, Participation.Tally)], total: Participation.Tally
    ) {
        let (units, total) = Participation.rollUp(rows, tree: tree)
        return (unitsAboveBranches.map { ($0, units[$0] ?? Participation.Tally()) }, total)
    }

    /// One day's tally of each unit above the branches and of the whole campaign, from its groups.
    public func rollUp(_ day: Day) -> (units: [(UnitID, Participation.Tally)], total: Participation.Tally) {
        var units: [UnitID: Participation.Tally] = [:]
        var total = Participation.Tally()
        for group in day.groups {
            total = total + group.tally
            for unit in tree.lineage(of: group.unitId).map(\.id) {
                units[unit, default: Participation.Tally()] =
                    units[unit, default: Participation.Tally()] + group.tally
            }
        }
        return (unitsAboveBranches.map { ($0, units[$0] ?? Participation.Tally()) }, total)
    }

    /// Every day's head counts, in one sweep.
    public func everyDay() -> Daily {
        guard !days.isEmpty else { return Daily(days: [], daysTaken: [:]) }
        let timeline = RosterTimeline(history)
        let moments = days.map { Participation.moment(of: $0, in: calendar) }
        let dayIndex = Dictionary(days.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })

        // Who may change group on each day after the first: a span or placement begins or ends after the previous
        // day's moment and at or before this one's (`covers` is since ≤ t < until).
        var changed = [[Int]](repeating: [], count: days.count)
        func firstDay(readingAtOrAfter instant: Int64) -> Int {
            var (low, high) = (0, moments.count)
            while low < high {
                let middle = (low + high) / 2
                if moments[middle] < instant { low = middle + 1 } else { high = middle }
            }
            return low
        }
        for member in timeline.members.indices {
            for instant in timeline.boundaries(of: member) {
                let index = firstDay(readingAtOrAfter: instant)
                if index > 0, index < days.count { changed[index].append(member) }
            }
        }
        var tookOn = [[Int]](repeating: [], count: days.count)
        for attempt in attempts {
            guard let index = dayIndex[attempt.day], let member = timeline.index[attempt.memberId] else { continue }
            tookOn[index].append(member)
        }

        let grouping = Participation.Grouping(branches: branches, tree: tree)
        let order = Dictionary(
            tree.depthFirst().enumerated().map { ($1.unit.id, $0) }, uniquingKeysWith: { first, _ in first })
        // Groups are numbered as they are met, the listed branches first so every branch has a row.
        var keys = branches.map { Participation.Grouping.Group(unitId: $0, direct: false) }
        var indexOfKey = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var groupOfUnit: [UnitID: Int] = [:]
        var roster = [Int](repeating: 0, count: keys.count)
        var groupOfMember = [Int](repeating: -1, count: timeline.members.count)
        func group(of unit: UnitID) -> Int {
            if let known = groupOfUnit[unit] { return known }
            let key = grouping.group(of: unit)
            let found: Int
            if let existing = indexOfKey[key] {
                found = existing
            } else {
                found = keys.count
                keys.append(key)
                indexOfKey[key] = found
                roster.append(0)
            }
            groupOfUnit[unit] = found
            return found
        }
        func place(_ member: Int, at moment: Int64) {
            var now = -1
            if let unit = timeline.unit(of: member, at: moment), subtree?.contains(unit) ?? true {
                now = group(of: unit)
            }
            let before = groupOfMember[member]
            guard now != before else { return }
            if before >= 0 { roster[before] -= 1 }
            if now >= 0 { roster[now] += 1 }
            groupOfMember[member] = now
        }

        var counted: [Day] = []
        counted.reserveCapacity(days.count)
        var daysTaken: [MemberID: [CampaignDay]] = [:]
        var seen = [Int](repeating: -1, count: timeline.members.count)
        for (index, day) in days.enumerated() {
            if index == 0 {
                for member in timeline.members.indices { place(member, at: moments[0]) }
            } else {
                for member in changed[index] { place(member, at: moments[index]) }
            }
            var participants = [Int](repeating: 0, count: keys.count)
            for member in tookOn[index] where seen[member] != index {
                seen[member] = index
                let group = groupOfMember[member]
                guard group >= 0 else { continue }
                participants[group] += 1
                daysTaken[timeline.members[member], default: []].append(day)
            }
            let direct = keys.indices.dropFirst(branches.count).filter { roster[$0] > 0 }.sorted {
                (order[keys[$0].unitId] ?? .max, keys[$0].unitId) < (order[keys[$1].unitId] ?? .max, keys[$1].unitId)
            }
            counted.append(
                Day(
                    day: day,
                    groups: (Array(keys.indices.prefix(branches.count)) + direct).map {
                        Group(
                            unitId: keys[$0].unitId, direct: keys[$0].direct,
                            tally: Participation.Tally(roster: roster[$0], participants: participants[$0]))
                    }))
        }
        return Daily(days: counted, daysTaken: daysTaken)
    }
}
