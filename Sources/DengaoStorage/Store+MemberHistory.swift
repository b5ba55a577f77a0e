import DengaoCore
import Foundation
import GRDB

extension Store {
    /// Through `contestSeat_member`, `campaignAttempt_member` and `contestAnswer_member`, then primary keys: no scan.
    enum MemberHistorySQL {
        static let contests = """
            SELECT s.contestId, c.title, s.joinedAt, s.kickedAt, s.seat
            FROM contestSeat s JOIN contest c ON c.id = s.contestId
            WHERE s.memberId = ? ORDER BY s.joinedAt
            """
        static let campaigns = """
            SELECT t.campaignId, c.title, COUNT(*), COALESCE(MAX(CASE WHEN t.status = 'passed' THEN t.level END), 0), MIN(t.day), MAX(t.day),
                (SELECT COUNT(*) FROM campaignAnswer a WHERE a.campaignId = t.campaignId AND a.memberId = t.memberId),
                (SELECT COUNT(*) FROM campaignAnswer a WHERE a.campaignId = t.campaignId AND a.memberId = t.memberId AND a.correct)
            FROM campaignAttempt t JOIN campaign c ON c.id = t.campaignId
            WHERE t.memberId = ? GROUP BY t.campaignId ORDER BY MIN(t.startedAt)
            """
        /// The member's own answers (a contest's seats are summed from them, not from the contest's every answer).
        static let contestAnswers = """
            SELECT q.category, a.correctness, a.receivedAt, a.contestId, a.seat, a.points
            FROM contestAnswer a JOIN question q ON q.id = a.questionId
            WHERE a.memberId = ?
            """
        static let campaignAnswers = """
            SELECT qu.category, a.correct, a.at FROM campaignAttempt t
            JOIN campaignAnswer a ON a.campaignId = t.campaignId AND a.memberId = t.memberId AND a.seq = t.seq
            JOIN campaignAttemptQuestion d ON d.campaignId = a.campaignId AND d.memberId = a.memberId AND d.seq = a.seq AND d.idx = a.idx
            JOIN question qu ON qu.id = d.questionId
            WHERE t.memberId = ?
            """
    }

    /// Everything one member did, for their history (an organizer in scope, or the member themself).
    public func memberHistory(memberId: MemberID) throws -> MemberHistoryRows {
        try pool.read { db in
            var answers: [MemberHistoryRows.Answer] = []
            var seatTotals: [String: (score: Int, answered: Int, correct: Int)] = [:]
            for row in try Row.fetchAll(db, sql: MemberHistorySQL.contestAnswers, arguments: [memberId]) {
                let correctness = Correctness(rawValue: row[1]) ?? .wrong
                answers.append(.init(category: row[0], correctness: correctness, at: row[2]))
                let seat = "\(row[3] as Int64) \(row[4] as Int)"
                let total = seatTotals[seat] ?? (0, 0, 0)
                seatTotals[seat] = (
                    total.score.saturatingAdding((row[5] as Int?) ?? 0), total.answered + 1,
                    total.correct + (correctness == .correct ? 1 : 0)
                )
            }
            let contests = try Row.fetchAll(db, sql: MemberHistorySQL.contests, arguments: [memberId]).map { row in
                let total = seatTotals["\(row[0] as Int64) \(row[4] as Int)"] ?? (0, 0, 0)
                return MemberHistoryRows.Contest(
                    contestId: row[0], title: row[1], joinedAt: row[2], kicked: (row[3] as Int64?) != nil,
                    score: total.score,
                    answered: total.answered, correct: total.correct)
            }
            let campaigns = try Row.fetchAll(db, sql: MemberHistorySQL.campaigns, arguments: [memberId]).map { row in
                MemberHistoryRows.Campaign(
                    campaignId: row[0], title: row[1], attempts: row[2], height: row[3],
                    firstDay: (row[4] as String?).flatMap(CampaignDay.init),
                    lastDay: (row[5] as String?).flatMap(CampaignDay.init), answered: row[6], correct: row[7])
            }
            for row in try Row.fetchAll(db, sql: MemberHistorySQL.campaignAnswers, arguments: [memberId]) {
                answers.append(.init(category: row[0], correctness: (row[1] as Bool) ? .correct : .wrong, at: row[2]))
            }
            return MemberHistoryRows(contests: contests, campaigns: campaigns, answers: answers)
        }
    }
}
