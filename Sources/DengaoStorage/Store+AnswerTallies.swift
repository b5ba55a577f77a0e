import DengaoCore
import Foundation
import GRDB

extension Store {
    /// The organization's answers in a range summed per unit and question. SQL sums doubled credits so they stay
    /// whole numbers: right 2, partly right 1.
    enum AnswerTallySQL {
        /// Answers of the contests members joined around the range, revealed (a key the hall has seen), given in the
        /// range; the contests are found through the seats' (joinedAt) index, their answers by the contest's key.
        static let contests = """
            SELECT unitId, questionId, COUNT(*), SUM(CASE correctness WHEN 'correct' THEN 2 WHEN 'partial' THEN 1 ELSE 0 END)
            FROM contestAnswer
            WHERE contestId IN (
                SELECT DISTINCT contestId FROM contestSeat WHERE memberId IS NOT NULL AND joinedAt >= ? AND joinedAt < ?)
              AND points IS NOT NULL AND receivedAt >= ? AND receivedAt < ?
            GROUP BY unitId, questionId
            """
        /// Every question resolved in the attempts made on the range's campaign days (a timed-out one is wrong).
        /// `CROSS JOIN` keeps SQLite starting from the attempts' (day) index rather than walking every answer.
        static let campaigns = """
            SELECT t.unitId, q.questionId, COUNT(*), SUM(a.correct) * 2
            FROM campaignAttempt t
            CROSS JOIN campaignAnswer a ON a.campaignId = t.campaignId AND a.memberId = t.memberId AND a.seq = t.seq
            JOIN campaignAttemptQuestion q ON q.campaignId = a.campaignId AND q.memberId = a.memberId AND q.seq = a.seq AND q.idx = a.idx
            WHERE t.day BETWEEN ? AND ?
            GROUP BY t.unitId, q.questionId
            """
        /// `contests` by member (guests left out) and contest, with the first answer's time.
        static let memberContests = """
            SELECT memberId, MIN(receivedAt), unitId, questionId, COUNT(*),
                SUM(CASE correctness WHEN 'correct' THEN 2 WHEN 'partial' THEN 1 ELSE 0 END)
            FROM contestAnswer
            WHERE contestId IN (
                SELECT DISTINCT contestId FROM contestSeat WHERE memberId IS NOT NULL AND joinedAt >= ? AND joinedAt < ?)
              AND points IS NOT NULL AND receivedAt >= ? AND receivedAt < ? AND memberId IS NOT NULL
            GROUP BY memberId, contestId, unitId, questionId
            """
        /// `campaigns` by attempt, with its start.
        static let memberCampaigns = """
            SELECT t.memberId, t.startedAt, t.unitId, q.questionId, COUNT(*), SUM(a.correct) * 2
            FROM campaignAttempt t
            CROSS JOIN campaignAnswer a ON a.campaignId = t.campaignId AND a.memberId = t.memberId AND a.seq = t.seq
            JOIN campaignAttemptQuestion q ON q.campaignId = a.campaignId AND q.memberId = a.memberId AND q.seq = a.seq AND q.idx = a.idx
            WHERE t.day BETWEEN ? AND ?
            GROUP BY t.campaignId, t.memberId, t.seq, t.unitId, q.questionId
            """
    }

    /// `answerTallies` by member and contest or campaign attempt, guests left out.
    public func memberAnswerTallies(
        campaignDays first: CampaignDay, through last: CampaignDay, contestsFrom start: Int64, until end: Int64
    ) throws -> [MemberAnswerTally] {
        try pool.read { db in
            var tallies: [MemberAnswerTally] = []
            func collect(_ sql: String, _ arguments: StatementArguments) throws {
                let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                while let row = try rows.next() {
                    let doubled: Int64 = row[5]
                    tallies.append(
                        MemberAnswerTally(
                            memberId: row[0], at: row[1],
                            tally: AnswerTally(
                                unitId: row[2], questionId: row[3], count: row[4], credit: Double(doubled) / 2)))
                }
            }
            try collect(AnswerTallySQL.memberContests, [start - 86_400_000, end, start, end])
            try collect(AnswerTallySQL.memberCampaigns, [first.description, last.description])
            return tallies
        }
    }

    /// Answers per unit and question from campaign days `first` through `last` and contest answers from `start`
    /// (inclusive) to `end` (exclusive) epoch milliseconds; a pair answered in both comes as two tallies.
    public func answerTallies(
        campaignDays first: CampaignDay, through last: CampaignDay, contestsFrom start: Int64, until end: Int64
    ) throws -> [AnswerTally] {
        try pool.read { db in
            var tallies: [AnswerTally] = []
            func collect(_ sql: String, _ arguments: StatementArguments) throws {
                let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                while let row = try rows.next() {
                    let doubled: Int64 = row[3]
                    tallies.append(
                        AnswerTally(unitId: row[0], questionId: row[1], count: row[2], credit: Double(doubled) / 2))
                }
            }
            // A contest joined late the evening before the range may be answered in it: seats of the day before count.
            try collect(AnswerTallySQL.contests, [start - 86_400_000, end, start, end])
            try collect(AnswerTallySQL.campaigns, [first.description, last.description])
            return tallies
        }
    }
}
