import DengaoCore
import Foundation

/// A campaign's results as spreadsheets, read from the store (not from a room in memory), for the console's
/// export and `dengao export-campaign`.
public enum CampaignExport {
    public static let sheetNames = [
        "members", "branches", "daily", "rollup", "participants", "bands", "ranks", "memberCategories",
    ]

    /// The results' sheets, then the report's 等级分布 and 支部排名.
    /// The results' sheets, then the report's 等级分布 and 支部排名, then the split by member category (党员类别).
    /// `filter`: only members holding that member category count (each sheet's name then says which).
    public static func sheets(
        campaign id: CampaignID, storage: any Storage, now: Date = Date(), filter: MemberCategoryFilter? = nil
    ) async throws -> (CampaignSummary, [Spreadsheet.Sheet]) {
        let (campaign, results, units, previous, split) = try await resultsAndPrevious(
            campaign: id, storage: storage, now: now, filter: filter)
        return try await reportWork {
            let names = units.names
            let report = results.report(owner: campaign.ownerUnitId, unitNames: names, previous: previous)
            let sheets = results.sheets(unitNames: names) + [report.bands.sheet(), report.ranks.sheet()]
            return (campaign, (filter.map { $0.caption(sheets) } ?? sheets) + [split.sheet()])
        }
    }

    /// `results`, with the branch board's composites at the end of the day before the latest day counted (the
    /// rank tables' previous period): attempts started by then, on that day's roster. nil before the campaign's
    /// second day. With the split of the whole campaign (unfiltered) by member category.
    static func resultsAndPrevious(
        campaign id: CampaignID, storage: any Storage, now: Date = Date(), filter: MemberCategoryFilter? = nil
    ) async throws
        -> (
            CampaignSummary, CampaignResults, Branches, previous: (label: String, composites: [UnitID: Double])?,
            split: MemberCategorySplit
        )
    {
        let read = try await read(campaign: id, storage: storage, now: now, filter: filter)
        let categories = try await MemberCategoryReports.categories(storage: storage)
        let split = try await reportWork {
            let whole =
                filter == nil
                ? read.results
                : CampaignResults(
                    settings: read.campaign.settings, calendar: read.calendar, summaries: read.allAttempts,
                    history: read.targeted, owner: read.campaign.ownerUnitId,
                    branches: read.units.pickable.map(\.id), tree: read.tree, today: read.today)
            return MemberCategoryReports.campaignSplit(
                results: whole, moment: Participation.overallMoment(today: read.today, in: read.calendar),
                spans: read.targeted.categorySpans, categories: categories)
        }
        let days = read.calendar.days(through: read.today)
        guard days.count >= 2 else { return (read.campaign, read.results, read.units, nil, split) }
        let day = days[days.count - 2]
        let composites = try await reportWork {
            CampaignResults(
                settings: read.campaign.settings, calendar: read.calendar,
                summaries: read.attempts.filter { !(day < $0.day) },
                history: read.history, owner: read.campaign.ownerUnitId,
                branches: read.units.pickable.map(\.id),
                tree: read.tree,
                today: day
            ).composites()
        }
        return (
            read.campaign, read.results, read.units, ("截至 \(day) 日终的排名 (ranks at the end of \(day))", composites),
            split
        )
    }

    /// The campaign's results up to today, counted by `Participation`'s rule, with the units of its subtree (the
    /// board's branches among them) named as the board names them.
    static func results(campaign id: CampaignID, storage: any Storage, now: Date = Date()) async throws
        -> (CampaignSummary, CampaignResults, Branches)
    {
        let read = try await read(campaign: id, storage: storage, now: now)
        return (read.campaign, read.results, read.units)
    }

    /// What both readings share: the campaign, its attempts and roster history, and its results up to today.
    /// `filter`: count only the attempts made on a day the member held the category, against rosters of its holders
    /// (`attempts` and `history` are then the filtered ones; `allAttempts` and `targeted` the campaign's own).
    private static func read(
        campaign id: CampaignID, storage: any Storage, now: Date, filter: MemberCategoryFilter? = nil
    )
        async throws -> (
            campaign: CampaignSummary, calendar: CampaignCalendar, today: CampaignDay,
            attempts: [CampaignResults.AttemptSummary], allAttempts: [CampaignResults.AttemptSummary],
            history: Participation.History, targeted: Participation.History, tree: OrgTree, units: Branches,
            results: CampaignResults
        )
    {
        guard let campaign = try await storage.campaign(id: id) else { throw StorageError.campaignNotFound(id) }
        if let reason = campaign.setAside { throw StorageError.setAside(reason) }
        guard let calendar = campaign.settings.calendar else {
            throw StorageError.corrupt("campaign \(id) has no calendar")
        }
        let tree = try await storage.orgTree()
        let units = Branches(of: campaign.ownerUnitId, in: tree)
        let (allAttempts, targeted) = (
            try await summaries(campaign: id, storage: storage),
            campaign.settings.rosterHistory(try await storage.rosterHistory())
        )
        let attempts =
            filter.map { filter in
                allAttempts.filter {
                    filter.holds($0.memberId, at: Participation.moment(of: $0.day, in: calendar))
                }
            } ?? allAttempts
        let history = filter.map { targeted.restricted(toCategories: [$0.categoryId]) } ?? targeted
        let today = calendar.day(of: Int64(now.timeIntervalSince1970 * 1000))
        // Counting every attempt against the roster: report work, off the requests' threads.
        let results = try await reportWork {
            CampaignResults(
                settings: campaign.settings, calendar: calendar, summaries: attempts, history: history,
                owner: campaign.ownerUnitId, branches: units.pickable.map(\.id), tree: tree,
                today: today)
        }
        return (campaign, calendar, today, attempts, allAttempts, history, targeted, tree, units, results)
    }

    /// Every attempt of a campaign as the results count it, in the order they started:
    /// the attempts' rows and their answers' totals, read by column position (the answer-facts walk the item report
    /// uses) rather than as `StoredAttempt`s with every answer decoded, question ids and columns found by name (more
    /// than half of what a campaign report cost the server while members climbed; BENCHMARKS.md). The attempts are
    /// read before the answers, so an attempt read as finished has all its answers; answers of attempts begun since
    /// are left out.
    static func summaries(campaign id: CampaignID, storage: any Storage) async throws -> [CampaignResults
        .AttemptSummary]
    {
        let rows = try await storage.campaignAttempts(days: everyDay, campaign: id)
            .sorted { ($0.startedAt, $0.ref.memberId, $0.ref.seq) < ($1.startedAt, $1.ref.memberId, $1.ref.seq) }
        var totals: [AttemptRef: (answered: Int, correct: Int, milliseconds: Int64)] = [:]
        try await storage.campaignAnswerFacts(campaign: id) { facts in
            guard case .campaignAttempt(let ref) = facts.attempt else { return }
            var total = totals[ref] ?? (0, 0, 0)
            total.answered += 1
            if facts.correctness == .correct { total.correct += 1 }
            total.milliseconds = total.milliseconds.saturatingAdding(Int64(facts.elapsedMilliseconds))
            totals[ref] = total
        }
        return rows.map { row in
            let total = totals[row.ref] ?? (0, 0, 0)
            return CampaignResults.AttemptSummary(
                memberId: row.ref.memberId, day: row.day, level: row.level, status: row.status, endedAt: row.endedAt,
                answered: total.answered, correct: total.correct, milliseconds: total.milliseconds, ladder: row.ladder)
        }
    }

    /// Every day an attempt can be stored on: the results count every attempt whatever its day, as they always have.
    static let everyDay = CampaignDay(year: 1, month: 1, day: 1)...CampaignDay(year: 9999, month: 12, day: 31)

    /// One day of a campaign's participation, for the day view: only that day's attempts are read and only that
    /// day's roster is counted (the day view used to count every day since the campaign began to show one).
    static func day(
        _ day: CampaignDay?, campaign id: CampaignID, storage: any Storage, now: Date, category: MemberCategoryID? = nil
    ) async throws -> (
        day: CampaignDay, participation: CampaignParticipation, people: [MemberID: Participation.History.Person],
        units: Branches
    ) {
        guard let campaign = try await storage.campaign(id: id) else { throw StorageError.campaignNotFound(id) }
        if let reason = campaign.setAside { throw StorageError.setAside(reason) }
        guard let calendar = campaign.settings.calendar else {
            throw StorageError.corrupt("campaign \(id) has no calendar")
        }
        let tree = try await storage.orgTree()
        let units = Branches(of: campaign.ownerUnitId, in: tree)
        let today = calendar.day(of: Int64(now.timeIntervalSince1970 * 1000))
        let day = day ?? today
        let targeted = campaign.settings.rosterHistory(try await storage.rosterHistory())
        let history = category.map { targeted.restricted(toCategories: [$0]) } ?? targeted
        let attempts = try await storage.campaignAttempts(days: day...day, campaign: id).map {
            (memberId: $0.ref.memberId, day: $0.day)
        }
        let participation = CampaignParticipation(
            calendar: calendar, today: today, history: history, owner: campaign.ownerUnitId,
            branches: units.pickable.map(\.id), tree: tree, attempts: attempts)
        return (day, participation, history.people, units)
    }
}
