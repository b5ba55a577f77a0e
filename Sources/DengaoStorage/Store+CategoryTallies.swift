import DengaoCore
import Foundation
import GRDB

extension Store {
    /// The organization's answers in a range summed per unit (where the member was at the time) and category, for
    /// the weak categories of a period. Counts are doubled credits so SQL sums whole numbers: right 2, partly right 1.
    enum CategoryTallySQL {
        /// Answers of the contests members joined in the range, revealed (a key the hall has seen), given in the
        /// range; the contests are found through the seats' (joinedAt) index, their answers by the contest's key.
        static let contests = """
            SELECT c.unitId, qu.category, COUNT(*),
                   SUM(CASE c.correctness WHEN 'correct' THEN 2 WHEN 'partial' THEN 1 ELSE 0 END)
            FROM contestAnswer c JOIN question qu ON qu.id = c.questionId
            WHERE c.contestId IN (
                SELECT DISTINCT contestId FROM contestSeat WHERE memberId IS NOT NULL AND joinedAt >= ? AND joinedAt < ?)
              AND c.points IS NOT NULL AND c.receivedAt >= ? AND c.receivedAt < ?
            GROUP BY c.unitId, qu.category
            """
        /// Every question resolved in the attempts made on the range's campaign days (a timed-out one is wrong).
        /// `CROSS JOIN` keeps SQLite starting from the attempts' (day) index rather than walking every answer.
        static let campaigns = """
            SELECT t.unitId, qu.category, COUNT(*), SUM(a.correct) * 2
            FROM campaignAttempt t
            CROSS JOIN campaignAnswer a ON a.campaignId = t.campaignId AND a.memberId = t.memberId AND a.seq = t.seq
            JOIN campaignAttemptQuestion q ON q.campaignId = a.campaignId AND q.memberId = a.memberId AND q.seq = a.seq AND q.idx = a.idx
            JOIN question qu ON qu.id = q.questionId
            WHERE t.day BETWEEN ? AND ?
            GROUP BY t.unitId, qu.category
            """
    }

    /// Answers per unit and category from campaign days `first` through `last` and contest answers from `start`
    /// (inclusive) to `end` (exclusive) epoch milliseconds; a unit and category answered in both come as two tallies.
    public func categoryTallies(
        campaignDays first: CampaignDay, through last: CampaignDay, contestsFrom start: Int64, until end: Int64
    ) throws -> [CategoryTally] {
        try pool.read { db in
            var tallies: [CategoryTally] = []
            func collect(_ sql: String, _ arguments: StatementArguments) throws {
                let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                while let row = try rows.next() {
                    let doubled: Int64 = row[3]
                    tallies.append(CategoryTally(unitId: row[0], category: row[1], count: row[2], credit: Double(doubled) / 2))
                }
            }
            // A contest joined late the evening before the range may be answered in it: seats of the day before count.
            try collect(CategoryTallySQL.contests, [start - 86_400_000, end, start, end])
            try collect(CategoryTallySQL.campaigns, [first.description, last.description])
            return tallies
        }
    }
}
