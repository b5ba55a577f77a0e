import DengaoCore
import Foundation
import PostgresNIO

/// The activity the organization's participation report reads, as the SQLite store's `Store+Activity`; the same
/// indexes serve it (campaignAttempt_activity, contestSeat_activity).
extension PostgresStore {
    /// Members who joined a live contest from `start` (inclusive) to `end` (exclusive), in epoch milliseconds, with
    /// the moment they joined.
    public func contestActivity(from start: Int64, until end: Int64) async throws -> [(memberId: MemberID, at: Int64)] {
        try await read { sql in
            try await sql.rows(
                "SELECT memberId, joinedAt FROM contestSeat WHERE memberId IS NOT NULL AND joinedAt >= \(start) AND joinedAt < \(end)",
                as: (MemberID, Int64).self
            ).map { (memberId: $0.0, at: $0.1) }
        }
    }

    /// Who made a campaign attempt on which day from `first` through `last`, each member and day once.
    public func campaignActivity(from first: CampaignDay, through last: CampaignDay) async throws -> [(
        memberId: MemberID, day: CampaignDay
    )] {
        let rows = try await read { sql in
            // Days are stored as "YYYY-MM-DD": text order is date order in any collation, and the range an index range.
            try await sql.rows(
                "SELECT DISTINCT memberId, day FROM campaignAttempt WHERE day BETWEEN \(first.description) AND \(last.description)",
                as: (MemberID, String).self)
        }
        var days: [String: CampaignDay] = [:]
        var activity: [(memberId: MemberID, day: CampaignDay)] = []
        for (memberId, text) in rows {
            guard let day = days[text] ?? CampaignDay(text) else { continue }
            days[text] = day
            activity.append((memberId, day))
        }
        return activity
    }
}

extension PostgresStore {
    /// A contest's results as workbook sheets (standings, every answer, branches), recomputed from its journal;
    /// times are written local to `timeZone`, the organization's.
    public func contestResultSheets(_ id: ContestID, timeZone: TimeZone) async throws -> (
        contest: ContestSummary, sheets: [Spreadsheet.Sheet]
    ) {
        let replay = try await contestResults(id)
        return (replay.contest, try await contestResultSheets(of: replay, timeZone: timeZone))
    }

    /// The same sheets from a replay the caller already holds.
    public func contestResultSheets(
        of replay: (contest: ContestSummary, questions: [ContestQuestion], results: ContestResults, startedAt: Int64?),
        timeZone: TimeZone
    ) async throws -> [Spreadsheet.Sheet] {
        let (contest, questions, results, _) = replay
        let tree = try await orgTree()
        var branchNames: [UnitID: String] = [:]
        var memberNumbers: [MemberID: String] = [:]
        for row in results.standings {
            branchNames[row.seat.branchId] = tree.path(of: row.seat.branchId)
            if let memberId = row.seat.memberId { memberNumbers[memberId] = try? await member(id: memberId).number }
        }
        return results.sheets(
            questions: questions, branchNames: branchNames, memberNumbers: memberNumbers,
            branchScoring: contest.settings.branchScoring, timeZone: timeZone)
    }
}
