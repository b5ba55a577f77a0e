/// Who counts in a campaign's participation — one rule for the live board, the participation endpoint and every
/// export (docs/participation.md has it in full):
///
/// - A day's roster is read at the day's last moment in the campaign's time zone (for today: now, the latest
///   known): a member counts if they are active then and placed in a unit of the campaign's subtree.
/// - They count once, in one group: the branch their unit is or lies under, or — placed on a unit above the
///   branches — that unit's own group of members placed directly (`direct`).
/// - They took part that day if they made an attempt in the campaign that day, from whatever unit: a member moved
///   on a day they climbed counts as a participant in the branch they end the day in; one who ends the day
///   inactive or outside the subtree does not count that day at all.
/// - Every counted member is in exactly one group, so per group roster = participants + absent, and a unit's
///   figures are the sum of the groups below it: nothing counts twice up the tree.
/// - Overall, the roster is the one of the campaign's last day (while it runs: today's), and a member on it took
///   part if they made any attempt in the campaign.
public enum Participation {
    /// A member's placement in a unit over a span of time (milliseconds since the epoch; `until` nil = still).
    public struct Placement: Sendable, Hashable {
        public let memberId: MemberID
        public let unitId: UnitID
        public let since: Int64
        public let until: Int64?

        public init(memberId: MemberID, unitId: UnitID, since: Int64, until: Int64?) {
            self.memberId = memberId
            self.unitId = unitId
            self.since = since
            self.until = until
        }

        func covers(_ instant: Int64) -> Bool { since <= instant && (until.map { instant < $0 } ?? true) }
    }

    /// A span of time a member was active (not 停用), in milliseconds since the epoch; `until` nil = still.
    public struct ActiveSpan: Sendable, Hashable {
        public let memberId: MemberID
        public let since: Int64
        public let until: Int64?

        public init(memberId: MemberID, since: Int64, until: Int64?) {
            self.memberId = memberId
            self.since = since
            self.until = until
        }

        func covers(_ instant: Int64) -> Bool { since <= instant && (until.map { instant < $0 } ?? true) }
    }

    /// A span of time a member held a member category (分层分类), in milliseconds since the epoch; `until` nil = still.
    public struct CategorySpan: Sendable, Hashable {
        public let memberId: MemberID
        public let categoryId: MemberCategoryID
        public let since: Int64
        public let until: Int64?

        public init(memberId: MemberID, categoryId: MemberCategoryID, since: Int64, until: Int64?) {
            self.memberId = memberId
            self.categoryId = categoryId
            self.since = since
            self.until = until
        }
    }

    /// Every member's placements, active spans and categories over time, with their numbers and names: the roster
    /// of any moment is read from it.
    public struct History: Sendable {
        public struct Person: Sendable, Hashable {
            public let number: String
            public let name: String

            public init(number: String, name: String) {
                self.number = number
                self.name = name
            }
        }

        public var people: [MemberID: Person]
        public var placements: [Placement]
        public var activeSpans: [ActiveSpan]
        public var categorySpans: [CategorySpan]

        public init(
            people: [MemberID: Person], placements: [Placement], activeSpans: [ActiveSpan],
            categorySpans: [CategorySpan] = []
        ) {
            self.people = people
            self.placements = placements
            self.activeSpans = activeSpans
            self.categorySpans = categorySpans
        }

        /// The same history in which a member counts as active only while they also hold one of `categories`: a
        /// campaign for 农村党员 reads every roster (and so every denominator) from it, and a member who joins or
        /// leaves the category mid-campaign counts on the days they hold it, as a move between units does.
        public func restricted(toCategories categories: Set<MemberCategoryID>) -> History {
            var held: [MemberID: [(since: Int64, until: Int64?)]] = [:]
            for span in categorySpans where categories.contains(span.categoryId) {
                held[span.memberId, default: []].append((span.since, span.until))
            }
            var spans: [ActiveSpan] = []
            for active in activeSpans {
                for category in held[active.memberId] ?? [] {
                    let since = max(active.since, category.since)
                    let until: Int64? =
                        switch (active.until, category.until) {
                        case (nil, nil): nil
                        case (let a?, nil): a
                        case (nil, let b?): b
                        case (let a?, let b?): min(a, b)
                        }
                    if until.map({ since < $0 }) ?? true {
                        spans.append(ActiveSpan(memberId: active.memberId, since: since, until: until))
                    }
                }
            }
            // Two categories held at once give overlapping spans; `roster(at:)` only asks whether any covers.
            return History(
                people: people, placements: placements, activeSpans: spans, categorySpans: categorySpans)
        }

        /// The member categories each member holds at `instant` (members holding none are left out).
        public func categories(at instant: Int64) -> [MemberID: Set<MemberCategoryID>] {
            var held: [MemberID: Set<MemberCategoryID>] = [:]
            for span in categorySpans where span.since <= instant && (span.until.map { instant < $0 } ?? true) {
                held[span.memberId, default: []].insert(span.categoryId)
            }
            return held
        }

        /// Members active at `instant` and placed then in a unit of `subtree` (nil: anywhere), with that unit.
        public func roster(at instant: Int64, within subtree: Set<UnitID>?) -> [MemberID: UnitID] {
            var active = Set<MemberID>()
            for span in activeSpans where span.covers(instant) { active.insert(span.memberId) }
            var roster: [MemberID: UnitID] = [:]
            for placement in placements where placement.covers(instant) && active.contains(placement.memberId) {
                guard subtree?.contains(placement.unitId) ?? true else { continue }
                roster[placement.memberId] = placement.unitId
            }
            return roster
        }
    }

    /// The moment a day's roster is read at: the day's last millisecond in the campaign's time zone, so a change
    /// made at any time that day counts for it and one made at the next midnight does not.
    public static func moment(of day: CampaignDay, in calendar: CampaignCalendar) -> Int64 { calendar.end(of: day) - 1 }

    /// The moment the campaign's overall roster is read at: the end of its last day, or of today while it runs.
    public static func overallMoment(today: CampaignDay, in calendar: CampaignCalendar) -> Int64 {
        moment(of: min(today, calendar.last), in: calendar)
    }

    /// Where a unit's members count: the nearest of the listed branches on its path from the root, or — for a unit
    /// above the branches — the unit itself, as its group of members placed directly.
    public struct Grouping: Sendable {
        public struct Group: Sendable, Hashable {
            public let unitId: UnitID
            /// Members placed on `unitId`, a unit that is not a branch and lies under none.
            public let direct: Bool
        }

        let branches: Set<UnitID>
        let tree: OrgTree

        public init(branches: [UnitID], tree: OrgTree) {
            self.branches = Set(branches)
            self.tree = tree
        }

        public func group(of unit: UnitID) -> Group {
            if let branch = tree.lineage(of: unit).reversed().first(where: { branches.contains($0.id) }) {
                return Group(unitId: branch.id, direct: false)
            }
            return Group(unitId: unit, direct: true)
        }
    }

    /// One group on one day: a branch, or the members placed directly on a unit above the branches.
    public struct Row: Sendable, Hashable {
        public let day: CampaignDay
        public let unitId: UnitID
        /// Members placed on `unitId` itself, a unit above the branches.
        public let direct: Bool
        /// Everyone counted for the group that day, participants included.
        public let roster: Set<MemberID>
        public let participants: Set<MemberID>

        public var rate: Double { roster.isEmpty ? 0 : Double(participants.count) / Double(roster.count) }
        public var absent: Set<MemberID> { roster.subtracting(participants) }
    }

    /// Rows for every day: each listed branch (in the order given, even when empty), then each unit above the
    /// branches with members placed directly on it that day (in the tree's depth-first order).
    public static func daily(
        days: [CampaignDay], calendar: CampaignCalendar, history: History, within subtree: Set<UnitID>?,
        attempts: [(memberId: MemberID, day: CampaignDay)], branches: [UnitID], tree: OrgTree
    ) -> [Row] {
        let grouping = Grouping(branches: branches, tree: tree)
        let order = Dictionary(
            tree.depthFirst().enumerated().map { ($1.unit.id, $0) }, uniquingKeysWith: { first, _ in first })
        var attempted: [CampaignDay: Set<MemberID>] = [:]
        for attempt in attempts { attempted[attempt.day, default: []].insert(attempt.memberId) }

        var groupOfUnit: [UnitID: Grouping.Group] = [:]
        var rows: [Row] = []
        for day in days {
            var rosters: [Grouping.Group: Set<MemberID>] = [:]
            for (member, unit) in history.roster(at: moment(of: day, in: calendar), within: subtree) {
                let group = groupOfUnit[unit] ?? grouping.group(of: unit)
                groupOfUnit[unit] = group
                rosters[group, default: []].insert(member)
            }
            let took = attempted[day] ?? []
            func row(_ group: Grouping.Group) -> Row {
                let roster = rosters[group] ?? []
                return Row(
                    day: day, unitId: group.unitId, direct: group.direct, roster: roster,
                    participants: roster.intersection(took))
            }
            rows += branches.map { row(Grouping.Group(unitId: $0, direct: false)) }
            rows += rosters.keys.filter(\.direct).sorted {
                (order[$0.unitId] ?? .max, $0.unitId) < (order[$1.unitId] ?? .max, $1.unitId)
            }
            .map(row)
        }
        return rows
    }
}
