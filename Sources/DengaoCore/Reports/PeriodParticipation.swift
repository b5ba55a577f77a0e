import Foundation

/// Participation of the organization, or of one unit's subtree, period by period over a range of dates: who was on
/// the roster, who took part in anything (a campaign attempt, an answer in a live contest), who did not.
///
/// It is `Participation`'s rule (docs/participation.md), applied to a period instead of a campaign's day: the
/// roster is read at the period's last moment in the organization's time zone, each member counts once in the
/// branch they end the period in (or their unit's 直属 group), and took part if they did anything on any day of
/// the period. The figures of the whole range are the rule applied once more, to the range as one period.
///
/// Counted with arrays rather than `Participation.daily`'s sets, because an organization's report reads a hundred
/// thousand members over dozens of periods in one request; a property test holds it to `Participation.daily`.
public struct PeriodParticipation: Sendable {
    /// One group (a branch, or the members placed directly on a unit above the branches) in one period.
    public struct Group: Sendable, Hashable {
        public let unitId: UnitID
        /// Members placed on `unitId` itself, a unit above the branches.
        public let direct: Bool
        public let tally: Participation.Tally
    }

    /// One period: its groups, and their tallies rolled up the tree.
    public struct Figures: Sendable {
        public let period: ReportPeriod
        /// Every listed branch (in the order given, even when empty), then each unit above the branches with members
        /// placed directly on it (in the tree's depth-first order).
        public let groups: [Group]
        public let units: [UnitID: Participation.Tally]
        public let total: Participation.Tally
        /// Per member (in `PeriodParticipation.members` order): the index of their group in `groups`, or -1 when
        /// they are not counted this period; and whether they took part.
        let groupOfMember: [Int32]
        let tookPart: [Bool]
    }

    public let periods: [Figures]
    /// The whole range as one period.
    public let overall: Figures
    /// Every member the history knows, in ascending id order: the index space of `Figures`' per-member arrays.
    let members: [MemberID]

    /// `activity` holds who did something on which day (a day in the activity's own calendar: a campaign's days
    /// are in its zone, a contest's answers are dated in `timeZone`); `owner` nil reports the whole organization,
    /// and `branches` are the groups the report lists (branches never lie under one another). With
    /// `listingPeriods` false only the whole range keeps who is where (for its 未参与名单): a year of days over a
    /// hundred thousand members would otherwise hold tens of millions of entries no one lists.
    public init(
        periods: [ReportPeriod], timeZone: TimeZone, history: Participation.History,
        activity: [(memberId: MemberID, day: CampaignDay)], owner: UnitID?, branches: [UnitID], tree: OrgTree,
        listingPeriods: Bool = true
    ) {
        let timeline = RosterTimeline(history)
        members = timeline.members
        guard let first = periods.first?.first, let last = periods.last?.last else {
            let day = CampaignDay(year: 1970, month: 1, day: 1)
            self.periods = []
            overall = Figures(
                period: ReportPeriod(length: .day, first: day, last: day), groups: [], units: [:],
                total: Participation.Tally(),
                groupOfMember: [], tookPart: [])
            return
        }
        let calendar = CampaignCalendar(timeZone: timeZone, first: first, last: last)
        let counter = Counter(timeline: timeline, owner: owner, branches: branches, tree: tree)

        var periodOfDay: [CampaignDay: Int] = [:]
        for (index, period) in periods.enumerated() {
            for day in ReportPeriod.days(period.first, period.last) { periodOfDay[day] = index }
        }
        var took = [[Bool]](repeating: [Bool](repeating: false, count: timeline.members.count), count: periods.count)
        var tookInRange = [Bool](repeating: false, count: timeline.members.count)
        for entry in activity {
            guard let period = periodOfDay[entry.day], let member = timeline.index[entry.memberId] else { continue }
            took[period][member] = true
            tookInRange[member] = true
        }
        self.periods = periods.enumerated().map { index, period in
            counter.figures(
                of: period, at: Participation.moment(of: period.last, in: calendar), took: took[index],
                listing: listingPeriods)
        }
        overall = counter.figures(
            of: ReportPeriod(length: periods[0].length, first: first, last: last),
            at: Participation.moment(of: last, in: calendar),
            took: tookInRange, listing: true)
    }

    /// The members of a group in a period: all of them, or only those who took part or did not. Ascending ids.
    /// Empty for a period counted without its listing (`listingPeriods` false).
    public func members(of group: Int, in figures: Figures, tookPart: Bool? = nil) -> [MemberID] {
        guard figures.groupOfMember.count == members.count else { return [] }
        var found: [MemberID] = []
        for (index, member) in members.enumerated() where figures.groupOfMember[index] == group {
            if tookPart.map({ $0 == figures.tookPart[index] }) ?? true { found.append(member) }
        }
        return found
    }

    /// Counts one period: reads every member's unit at the period's moment and files them in their group.
    private struct Counter {
        let timeline: RosterTimeline
        let subtree: Set<UnitID>?
        let branches: [UnitID]
        let grouping: Participation.Grouping
        let order: [UnitID: Int]
        let tree: OrgTree

        init(timeline: RosterTimeline, owner: UnitID?, branches: [UnitID], tree: OrgTree) {
            self.timeline = timeline
            self.branches = branches
            self.tree = tree
            subtree = owner.map { Set(tree.subtreeIds(of: $0)) }
            grouping = Participation.Grouping(branches: branches, tree: tree)
            order = Dictionary(
                tree.depthFirst().enumerated().map { ($1.unit.id, $0) },
                uniquingKeysWith: { first, _ in first })
        }

        func figures(of period: ReportPeriod, at moment: Int64, took: [Bool], listing: Bool) -> Figures {
            // Groups are numbered as they are met; the listed branches first, so every branch has a row.
            var keys = branches.map { Participation.Grouping.Group(unitId: $0, direct: false) }
            var indexOfKey = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            var groupOfUnit: [UnitID: Int] = [:]
            var groupOfMember = [Int32](repeating: -1, count: timeline.members.count)
            var roster = [Int](repeating: 0, count: keys.count), participants = roster
            for member in timeline.members.indices {
                guard let unit = timeline.unit(of: member, at: moment), subtree?.contains(unit) ?? true else {
                    continue
                }
                let group: Int
                if let known = groupOfUnit[unit] {
                    group = known
                } else {
                    let key = grouping.group(of: unit)
                    if let existing = indexOfKey[key] {
                        group = existing
                    } else {
                        group = keys.count
                        keys.append(key)
                        indexOfKey[key] = group
                        roster.append(0)
                        participants.append(0)
                    }
                    groupOfUnit[unit] = group
                }
                groupOfMember[member] = Int32(group)
                roster[group] += 1
                if took[member] { participants[group] += 1 }
            }
            // Listed branches in the order given, then direct groups in the tree's order.
            let directOrder = keys.indices.dropFirst(branches.count).sorted {
                (order[keys[$0].unitId] ?? .max, keys[$0].unitId) < (order[keys[$1].unitId] ?? .max, keys[$1].unitId)
            }
            let shown = Array(keys.indices.prefix(branches.count)) + directOrder
            var position = [Int32](repeating: -1, count: keys.count)
            for (at, group) in shown.enumerated() { position[group] = Int32(at) }
            let groups = shown.map {
                Group(
                    unitId: keys[$0].unitId, direct: keys[$0].direct,
                    tally: Participation.Tally(roster: roster[$0], participants: participants[$0]))
            }
            var units: [UnitID: Participation.Tally] = [:]
            var total = Participation.Tally()
            for group in groups {
                total = total + group.tally
                for unit in tree.lineage(of: group.unitId).map(\.id) {
                    units[unit, default: Participation.Tally()] =
                        units[unit, default: Participation.Tally()] + group.tally
                }
            }
            return Figures(
                period: period, groups: groups, units: units, total: total,
                groupOfMember: listing ? groupOfMember.map { $0 < 0 ? -1 : position[Int($0)] } : [],
                tookPart: listing ? took : [])
        }
    }
}

/// The roster history regrouped by member, so the roster of a moment is one pass over arrays rather than a
/// rebuild of sets: each member's placements and active spans lie side by side.
struct RosterTimeline: Sendable {
    /// Every member with a placement or a span, ascending.
    let members: [MemberID]
    let index: [MemberID: Int]
    /// `placements[placementStart[i]..<placementStart[i + 1]]` are member i's (unit, since, until).
    private let placementStart: [Int]
    private let placements: [(unit: UnitID, since: Int64, until: Int64)]
    private let spanStart: [Int]
    private let spans: [(since: Int64, until: Int64)]

    init(_ history: Participation.History) {
        let sortedPlacements = history.placements.sorted { ($0.memberId, $0.since) < ($1.memberId, $1.since) }
        let sortedSpans = history.activeSpans.sorted { ($0.memberId, $0.since) < ($1.memberId, $1.since) }
        var members = Array(Set(sortedPlacements.map(\.memberId)).union(sortedSpans.map(\.memberId)))
        members.sort()
        self.members = members
        index = Dictionary(members.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var placementStart = [Int](repeating: 0, count: members.count + 1), spanStart = placementStart
        var cursor = 0
        for (i, member) in members.enumerated() {
            placementStart[i] = cursor
            while cursor < sortedPlacements.count, sortedPlacements[cursor].memberId == member { cursor += 1 }
        }
        placementStart[members.count] = cursor
        cursor = 0
        for (i, member) in members.enumerated() {
            spanStart[i] = cursor
            while cursor < sortedSpans.count, sortedSpans[cursor].memberId == member { cursor += 1 }
        }
        spanStart[members.count] = cursor
        self.placementStart = placementStart
        self.spanStart = spanStart
        placements = sortedPlacements.map { ($0.unitId, $0.since, $0.until ?? .max) }
        spans = sortedSpans.map { ($0.since, $0.until ?? .max) }
    }

    /// Every instant at which member `i`'s unit or activity may change: where a placement or span begins or ends.
    func boundaries(of i: Int) -> [Int64] {
        var instants: [Int64] = []
        for placement in placements[placementStart[i]..<placementStart[i + 1]] {
            instants.append(placement.since)
            if placement.until != .max { instants.append(placement.until) }
        }
        for span in spans[spanStart[i]..<spanStart[i + 1]] {
            instants.append(span.since)
            if span.until != .max { instants.append(span.until) }
        }
        return instants
    }

    /// The unit member `i` is placed in at `instant`, if they are active then (as `History.roster(at:within:)`).
    func unit(of i: Int, at instant: Int64) -> UnitID? {
        var active = false
        for span in spans[spanStart[i]..<spanStart[i + 1]] where span.since <= instant && instant < span.until {
            active = true
            break
        }
        guard active else { return nil }
        // Placements of one member never overlap, so at most one covers the instant.
        for placement in placements[placementStart[i]..<placementStart[i + 1]]
        where placement.since <= instant && instant < placement.until {
            return placement.unit
        }
        return nil
    }
}
