import DengaoCore
import Foundation

/// A contest's branches ranked by mean score against the same owner's previous finished contest (the results
/// page's rank table and the 支部排名 sheet).
public enum ContestRanks {
    static let measure = "平均分 (mean score)"

    /// Ranks `results`' branches; `names` names them (others are named by their path in `tree`). With `filter`,
    /// the previous contest counts only the seats of members holding the category at its start, as `results` does.
    static func read(
        contest: ContestSummary, results: ContestResults, names: [UnitID: String], tree: OrgTree, storage: any Storage,
        now: Date, filter: MemberCategoryFilter? = nil
    ) async throws -> ReportRanks {
        let means = results.branchMeanScores()
        var allNames = names
        for branch in means.keys where allNames[branch] == nil { allNames[branch] = tree.path(of: branch) }
        var previousMeans: [UnitID: Double]?
        var label: String?
        if let previous = try await storage.previousFinishedContest(
            of: contest.id, owner: contest.ownerUnitId, finishedBefore: contest.finishedAt ?? now)
        {
            let replay = try await storage.contestResults(previous.id)
            let moment = replay.startedAt ?? Int64(now.timeIntervalSince1970 * 1000)
            previousMeans = restricted(replay.results, filter, at: moment).branchMeanScores()
            label = "上一场比赛「\(previous.title)」(#\(previous.id))"
        }
        return ReportRanks(
            measure: measure, current: means, previous: previousMeans, previousLabel: label, names: allNames)
    }

    /// `results` with only the seats of members holding `filter`'s category at `moment` (all of them for nil).
    static func restricted(_ results: ContestResults, _ filter: MemberCategoryFilter?, at moment: Int64)
        -> ContestResults
    {
        guard let filter else { return results }
        return results.restricted { filter.holds($0.memberId, at: moment) }
    }

    /// The results download's sheets: the journal's three, then 等级分布 and 支部排名, then the split by member
    /// category (党员类别). `filter`: only the seats of members holding that category when the contest started
    /// count (each sheet's name then says which).
    public static func sheets(
        contest id: ContestID, storage: any Storage, timeZone: TimeZone, now: Date = Date(),
        filter: MemberCategoryFilter? = nil
    ) async throws
        -> (contest: ContestSummary, sheets: [Spreadsheet.Sheet])
    {
        // One replay of the journal for the three sheets and the bands.
        let whole = try await storage.contestResults(id)
        let moment = whole.startedAt ?? Int64(now.timeIntervalSince1970 * 1000)
        let replay = (whole.contest, whole.questions, restricted(whole.results, filter, at: moment), whole.startedAt)
        let (contest, questions, results, _) = replay
        let sheets = try await storage.contestResultSheets(of: replay, timeZone: timeZone)
        let tree = try await storage.orgTree()
        let history = try await storage.rosterHistory()
        let categories = try await MemberCategoryReports.categories(storage: storage)
        let units = Branches(of: contest.ownerUnitId, in: tree)
        let names = units.names
        // The bands need no roster: an empty one leaves them as they are.
        let report = try await reportWork {
            ContestReport(
                results: results, questionCount: questions.drawnCount(in: contest.settings), roster: [:],
                branches: units.pickable.map(\.id),
                owner: contest.ownerUnitId, tree: tree, names: names)
        }
        let ranks = try await read(
            contest: contest, results: results, names: names, tree: tree, storage: storage, now: now, filter: filter)
        let split = MemberCategoryReports.contestSplit(
            results: whole.results, history: history, moment: moment,
            subtree: contest.ownerUnitId.map { Set(tree.subtreeIds(of: $0)) }, categories: categories)
        let named = sheets + [report.bands.sheet(), ranks.sheet()]
        // The 投票 sheet comes last, and only when there were polls (not narrowed: a poll's answers are nobody's
        // results): the sheets are addressed by position.
        return (
            contest,
            (filter.map { $0.caption(named) } ?? named) + [split.sheet()]
                + [whole.results.pollSheet()].compactMap { $0 }
        )
    }
}
