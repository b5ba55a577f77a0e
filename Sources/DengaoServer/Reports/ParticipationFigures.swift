import DengaoCore
import Foundation

/// What the organization's participation report counts for one request — the range period by period and the
/// range before it (上期) — read from the store: the tree, the roster history and every activity (campaign attempts
/// on their campaign days, contest joins dated in the organization's zone). The endpoint and its benchmark both
/// call this, so the benchmark measures what a request does.
public struct ParticipationFigures: Sendable {
    public let report: PeriodParticipation
    public let previous: PeriodParticipation
    public let tree: OrgTree
    public let history: Participation.History
    /// The whole range's figures for each category of `splitBy` (unfiltered by `category`), in its order.
    public let categories: [CategoryTotal]

    /// One member category's participation over the whole range: what the report shows with `category=ID`.
    public struct CategoryTotal: Sendable {
        public let id: MemberCategoryID
        public let name: String
        public let total: Participation.Tally
    }

    /// `names`: read members' numbers and names too (downloads and 未参与名单 need them; the figures do not).
    /// `category`: count only the members holding that member category (分层分类) on each day, rosters and
    /// participants alike; nil: every member.
    public static func read(
        storage: any Storage, unit: UnitID?, first: CampaignDay, last: CampaignDay, length: ReportPeriod.Length,
        timeZone zone: TimeZone,
        names: Bool, category: MemberCategoryID? = nil, splitBy categories: [(id: MemberCategoryID, name: String)] = []
    ) async throws -> ParticipationFigures {
        let tree = try await storage.orgTree()
        let everyone = try await storage.rosterHistory(people: names)
        let history = category.map { everyone.restricted(toCategories: [$0]) } ?? everyone
        let before = ReportPeriod.previousRange(first, last)
        let calendar = CampaignCalendar(timeZone: zone, first: before.first, last: last)
        let contestJoins = try await storage.contestActivity(
            from: calendar.end(of: ReportPeriod.day(-1, after: before.first)), until: calendar.end(of: last))
        let activity =
            try await storage.campaignActivity(from: before.first, through: last)
            + contestJoins.map { (memberId: $0.memberId, day: calendar.day(of: $0.at)) }
        let branches = Branches(of: unit, in: tree).pickable.map(\.id)
        // Counting every activity against the roster, period by period: report work, off the requests' threads.
        return try await reportWork {
            let report = PeriodParticipation(
                periods: ReportPeriod.split(first, last, by: length), timeZone: zone, history: history,
                activity: activity, owner: unit,
                branches: branches, tree: tree, listingPeriods: false)
            let previous = PeriodParticipation(
                periods: [ReportPeriod(length: length, first: before.first, last: before.last)], timeZone: zone,
                history: history,
                activity: activity, owner: unit, branches: branches, tree: tree, listingPeriods: false)
            // The range as one period, once per category, over the whole roster's history restricted to it.
            let whole = [ReportPeriod(length: length, first: first, last: last)]
            let split = categories.map { category in
                let counted = PeriodParticipation(
                    periods: whole, timeZone: zone, history: everyone.restricted(toCategories: [category.id]),
                    activity: activity, owner: unit, branches: branches, tree: tree, listingPeriods: false)
                return CategoryTotal(id: category.id, name: category.name, total: counted.overall.total)
            }
            return ParticipationFigures(
                report: report, previous: previous, tree: tree, history: history, categories: split)
        }
    }
}
