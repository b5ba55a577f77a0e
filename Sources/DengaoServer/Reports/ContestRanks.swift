import DengaoCore
import DengaoStorage
import Foundation

/// A contest's branches ranked by mean score against the same owner's previous finished contest (the results
/// page's rank table and the 支部排名 sheet). Blocking (SQLite).
public enum ContestRanks {
    static let measure = "平均分 (mean score)"

    /// Ranks `results`' branches; `names` names them (others are named by their path in `tree`).
    static func read(
        contest: ContestSummary, results: ContestResults, names: [Int64: String], tree: OrgTree, store: Store, now: Date
    ) throws -> ReportRanks {
        let current = results.branchMeanScores()
        var previousMeans: [Int64: Double]?
        var label: String?
        if let previous = try store.previousFinishedContest(
            of: contest.id, owner: contest.ownerUnitId, finishedBefore: contest.finishedAt ?? now)
        {
            previousMeans = try store.contestResults(previous.id).results.branchMeanScores()
            label = "上一场比赛「\(previous.title)」(#\(previous.id))"
        }
        var allNames = names
        for branch in current.keys where allNames[branch] == nil { allNames[branch] = tree.path(of: branch) }
        return ReportRanks(measure: measure, current: current, previous: previousMeans, previousLabel: label, names: allNames)
    }

    /// The results download's sheets: the journal's three, then 等级分布 and 支部排名.
    public static func sheets(contest id: Int64, store: Store, timeZone: TimeZone, now: Date = Date()) throws
        -> (contest: ContestSummary, sheets: [Spreadsheet.Sheet])
    {
        // One replay of the journal for the three sheets and the bands.
        let replay = try store.contestResults(id)
        let (contest, questions, results, _) = replay
        let sheets = try store.contestResultSheets(of: replay, timeZone: timeZone)
        let tree = try store.orgTree()
        let units = Branches(of: contest.ownerUnitId, in: tree)
        let names = units.names
        // The bands need no roster: an empty one leaves them as they are.
        let report = ContestReport(
            results: results, questionCount: questions.count, roster: [:], branches: units.pickable.map(\.id),
            owner: contest.ownerUnitId, tree: tree, names: names)
        let ranks = try read(contest: contest, results: results, names: names, tree: tree, store: store, now: now)
        return (contest, sheets + [report.bands.sheet(), ranks.sheet()])
    }
}
