import DengaoCore
import Foundation
import PostgresNIO

/// A member's history, as the SQLite store's `Store+MemberHistory`: through the member indexes, then primary keys.
extension PostgresStore {
    /// Everything one member did, for their history (an organizer in scope, or the member themself).
    public func memberHistory(memberId: MemberID) async throws -> MemberHistoryRows {
        let (contestAnswers, seats, campaigns, campaignAnswers) = try await reportRead { sql in
            (
                // The member's own answers (a contest's seats are summed from them, not from every answer).
                try await sql.rows(
                    """
                    SELECT q.category, a.correctness, a.receivedAt, a.contestId, a.seat, a.points
                    FROM contestAnswer a JOIN question q ON q.id = a.questionId
                    WHERE a.memberId = \(memberId) ORDER BY a.contestId, a.number, a.seat
                    """, as: (String, String, Int64, Int64, Int, Int?).self),
                try await sql.rows(
                    """
                    SELECT s.contestId, c.title, s.joinedAt, s.kickedAt, s.seat
                    FROM contestSeat s JOIN contest c ON c.id = s.contestId
                    WHERE s.memberId = \(memberId) ORDER BY s.joinedAt, s.contestId, s.seat
                    """, as: (ContestID, String, Int64, Int64?, Int).self),
                try await sql.rows(
                    """
                    SELECT t.campaignId, c.title, count(*),
                        coalesce(max(CASE WHEN t.status = 'passed' THEN t.level END), 0), min(t.day), max(t.day),
                        (SELECT count(*) FROM campaignAnswer a WHERE a.campaignId = t.campaignId AND a.memberId = t.memberId),
                        (SELECT count(*) FROM campaignAnswer a
                            WHERE a.campaignId = t.campaignId AND a.memberId = t.memberId AND a.correct)
                    FROM campaignAttempt t JOIN campaign c ON c.id = t.campaignId
                    WHERE t.memberId = \(memberId) GROUP BY t.campaignId, t.memberId, c.title
                    ORDER BY min(t.startedAt), t.campaignId
                    """, as: (CampaignID, String, Int, Int, String?, String?, Int, Int).self),
                try await sql.rows(
                    """
                    SELECT qu.category, a.correct, a.at FROM campaignAttempt t
                    JOIN campaignAnswer a ON a.campaignId = t.campaignId AND a.memberId = t.memberId AND a.seq = t.seq
                    JOIN campaignAttemptQuestion d
                        ON d.campaignId = a.campaignId AND d.memberId = a.memberId AND d.seq = a.seq AND d.idx = a.idx
                    JOIN question qu ON qu.id = d.questionId
                    WHERE t.memberId = \(memberId) ORDER BY t.campaignId, t.seq, a.idx
                    """, as: (String, Bool, Int64).self)
            )
        }
        var answers: [MemberHistoryRows.Answer] = []
        var seatTotals: [String: (score: Int, answered: Int, correct: Int)] = [:]
        for (category, correctnessText, at, contestId, seat, points) in contestAnswers {
            let correctness = Correctness(rawValue: correctnessText) ?? .wrong
            answers.append(.init(category: category, correctness: correctness, at: at))
            let total = seatTotals["\(contestId) \(seat)"] ?? (0, 0, 0)
            seatTotals["\(contestId) \(seat)"] = (
                total.score.saturatingAdding(points ?? 0), total.answered + 1,
                total.correct + (correctness == .correct ? 1 : 0)
            )
        }
        let contests = seats.map { contestId, title, joinedAt, kickedAt, seat in
            let total = seatTotals["\(contestId) \(seat)"] ?? (0, 0, 0)
            return MemberHistoryRows.Contest(
                contestId: contestId, title: title, joinedAt: joinedAt, kicked: kickedAt != nil, score: total.score,
                answered: total.answered, correct: total.correct)
        }
        let campaignRows = campaigns.map { campaignId, title, attempts, height, firstDay, lastDay, answered, correct in
            MemberHistoryRows.Campaign(
                campaignId: campaignId, title: title, attempts: attempts, height: height,
                firstDay: firstDay.flatMap(CampaignDay.init), lastDay: lastDay.flatMap(CampaignDay.init),
                answered: answered, correct: correct)
        }
        for (category, correct, at) in campaignAnswers {
            answers.append(.init(category: category, correctness: correct ? .correct : .wrong, at: at))
        }
        return MemberHistoryRows(contests: contests, campaigns: campaignRows, answers: answers)
    }
}
