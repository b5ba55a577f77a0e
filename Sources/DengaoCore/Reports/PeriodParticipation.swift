import Foundation

/// Participation of the organization, or of one unit's subtree, period by period over a range of dates: who was on
/// the roster, who took part in anything (a campaign attempt, an answer in a live contest), who did not.
///
/// It is `Participation`'s rule (docs/participation.md), applied to a period instead of a campaign's day: the
/// roster is read at the period's last moment in the organization's time zone, each member counts once in the
/// branch they end the period in (or their unit's 直属 group), and took part if they did anything on any day of
/// the period. The figures of the whole range are the rule applied once more, to the range as one period.
public struct PeriodParticipation: Sendable {
    /// One period: its groups (branches and 直属 groups) and the tallies rolled up the tree.
    public struct Figures: Sendable {
        public let period: ReportPeriod
        /// Every listed branch, then every unit above the branches with members placed directly on it.
        public let rows: [Participation.Row]
        public let units: [Int64: Participation.Tally]
        public let total: Participation.Tally
    }

    public let periods: [Figures]
    /// The whole range as one period.
    public let overall: Figures

    /// `activity` holds who did something on which day (a day in the activity's own calendar: a campaign's days
    /// are in its zone, a contest's answers are dated in `timeZone`); `owner` nil reports the whole organization,
    /// and `branches` are the groups the report lists (the units at the bottom of the subtree).
    public init(
        periods: [ReportPeriod], timeZone: TimeZone, history: Participation.History,
        activity: [(memberId: Int64, day: CampaignDay)], owner: Int64?, branches: [Int64], tree: OrgTree
    ) {
        guard let first = periods.first?.first, let last = periods.last?.last else {
            let empty = ReportPeriod(length: .day, first: CampaignDay(year: 1970, month: 1, day: 1), last: CampaignDay(year: 1970, month: 1, day: 1))
            self.periods = []
            overall = Figures(period: empty, rows: [], units: [:], total: Participation.Tally())
            return
        }
        let calendar = CampaignCalendar(timeZone: timeZone, first: first, last: last)
        let subtree = owner.map { tree.subtreeIds(of: $0) }
        let whole = ReportPeriod(length: periods[0].length, first: first, last: last)

        // A period is counted as its last day: the day its roster is read at, and the day all of its activity is
        // filed under. Then `Participation.daily` counts every period by the campaigns' own rule.
        var lastDayOf: [CampaignDay: CampaignDay] = [:]
        for period in periods {
            for day in ReportPeriod.days(period.first, period.last) { lastDayOf[day] = period.last }
        }
        var filed: [(memberId: Int64, day: CampaignDay)] = []
        filed.reserveCapacity(activity.count)
        for entry in activity {
            if let day = lastDayOf[entry.day] { filed.append((entry.memberId, day)) }
        }
        let rows = Participation.daily(
            days: periods.map(\.last), calendar: calendar, history: history, within: subtree, attempts: filed, branches: branches, tree: tree)
        var rowsByDay: [CampaignDay: [Participation.Row]] = [:]
        for row in rows { rowsByDay[row.day, default: []].append(row) }
        self.periods = periods.map { period in
            let rows = rowsByDay[period.last] ?? []
            let rolled = Participation.rollUp(rows, tree: tree)
            return Figures(period: period, rows: rows, units: rolled.units, total: rolled.total)
        }

        let inRange = activity.filter { first <= $0.day && $0.day <= last }.map { (memberId: $0.memberId, day: last) }
        let overallRows = Participation.daily(
            days: [last], calendar: calendar, history: history, within: subtree, attempts: inRange, branches: branches, tree: tree)
        let rolled = Participation.rollUp(overallRows, tree: tree)
        overall = Figures(period: whole, rows: overallRows, units: rolled.units, total: rolled.total)
    }
}
