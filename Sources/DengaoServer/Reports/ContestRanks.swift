import DengaoCore
import Foundation

/// A contest's branches ranked by mean score against the same owner's previous finished contest (the results
/// page's rank table and the 支部排名 sheet).
public enum ContestRanks {
    static let measure = "平均分 (mean score)"

    /// Ranks `results`' branches; `names` names them (others are named by their path in `tree`).
    static func read(
        contest: ContestSummary, results: ContestResults, names: [Int64: String], tree: OrgTree, storage: any Storage,
        now: Date
    ) async throws -> ReportRanks {
        let current = results.branchMeanScores()
        var previousMeans: [Int64: Double]?
        var label: String?
        if let previous = try await storage.previousFinishedContest(
            of: contest.id, owner: contest.ownerUnitId, finishedBefore: contest.finishedAt ?? now)
        {
            previousMeans = try await storage.contestResults(previous.id).results.branchMeanScores()
            label = "上一场比赛「\(previous.title)」(#\(previous.id))"
        }
        var allNames = names
        for branch in current.keys where allNames[branch] == nil { allNames[branch] = tree.path(of: branch) }
        return ReportRanks(
            measure: measure, current: current, previous: previousMeans, previousLabel: label, names: allNames)
    }

    /// The results download's sheets: the journal's three, then 等级分布 and 支部排名.
    public static func sheets(contest id: Int64, storage: any Storage, timeZone: TimeZone, now: Date = Date())
        async throws
        -> (contest: ContestSummary, sheets: [Spreadsheet.Sheet])
    {
        // One replay of the journal for the three sheets and the bands.
        let replay = try await storage.contestResults(id)
        let (contest, questions, results, _) = replay
        let sheets = try await storage.contestResultSheets(of: replay, timeZone: timeZone)
        let tree = try await storage.orgTree()
        let units = Branches(of: contest.ownerUnitId, in: tree)
        let names = units.names
        // The bands need no roster: an empty one leaves them as they are.
        let report = try await reportWork {
            ContestReport(
                results: results, questionCount: questions.count - contest.settings.pollQuestionCount, roster: [:],
                branches: units.pickable.map(\.id),
                owner: contest.ownerUnitId, tree: tree, names: names)
        }
        let ranks = try await read(
            contest: contest, results: results, names: names, tree: tree, storage: storage, now: now)
        // The 投票 sheet comes last, and only when there were polls: the sheets are addressed by position.
        return (contest, sheets + [report.bands.sheet(), ranks.sheet()] + [results.pollSheet()].compactMap { $0 })
    }
}
