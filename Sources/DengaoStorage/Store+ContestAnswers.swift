import DengaoCore
import Foundation
import GRDB

extension Store {
    /// Writes an accepted answer's row inside the journal's transaction. A seat's later answer to the same question
    /// (the machine allows none today) replaces the row and clears its points, rather than failing the commit.
    static func writeAnswerRow(_ row: ContestAnswerRow, contestId: ContestID, _ db: Database, encoder: JSONEncoder)
        throws
    {
        let answer = String(decoding: try encoder.encode(row.answer), as: UTF8.self)
        try db.cachedStatement(
            sql: """
                INSERT INTO contestAnswer
                    (contestId, number, seat, memberId, unitId, questionId, answer, correctness, points, elapsedMs, receivedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (contestId, number, seat) DO UPDATE SET
                    answer = excluded.answer, correctness = excluded.correctness, points = excluded.points,
                    elapsedMs = excluded.elapsedMs, receivedAt = excluded.receivedAt
                """
        ).execute(arguments: [
            contestId, row.number, row.seat, row.memberId, row.unitId, row.questionId, answer, row.correctness.rawValue,
            row.points,
            row.elapsedMilliseconds, row.receivedAt,
        ])
    }

    /// Keeps `contestSeat` with the journal: a join (journaled only when the rules seat it) adds the seat, a kick
    /// (journaled only when it takes effect) marks it. Other inputs change no seat.
    static func writeSeatChange(_ input: ContestInput, at time: ContestTime, contestId: ContestID, _ db: Database)
        throws
    {
        switch input {
        case .join(let seat):
            try db.cachedStatement(
                sql: """
                    INSERT INTO contestSeat (contestId, seat, memberId, unitId, name, joinedAt) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (contestId, seat) DO NOTHING
                    """
            ).execute(arguments: [contestId, seat.id, seat.memberId, seat.branchId, seat.name, time])
        case .kick(let seat):
            try db.cachedStatement(
                sql: "UPDATE contestSeat SET kickedAt = ? WHERE contestId = ? AND seat = ? AND kickedAt IS NULL"
            )
            .execute(arguments: [time, contestId, seat])
        default:
            break
        }
    }

    /// Writes a reveal's points onto its question's answer rows that have none yet, inside the journal's transaction;
    /// answers of seats the reveal did not score (kicked) get 0. Rows already scored are left as they are, and when
    /// none is missing (a room's reload after the points were written) nothing more is done than one lookup.
    static func writeRevealedPoints(_ revealed: RevealedPoints, contestId: ContestID, _ db: Database) throws {
        let missing = try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM contestAnswer WHERE contestId = ? AND number = ? AND points IS NULL)",
            arguments: [contestId, revealed.number])
        guard missing == true else { return }
        let update = try db.cachedStatement(
            sql:
                "UPDATE contestAnswer SET points = ? WHERE contestId = ? AND number = ? AND seat = ? AND points IS NULL"
        )
        for (seat, points) in revealed.points {
            try update.execute(arguments: [points, contestId, revealed.number, seat])
        }
        try db.cachedStatement(
            sql: "UPDATE contestAnswer SET points = 0 WHERE contestId = ? AND number = ? AND points IS NULL"
        )
        .execute(arguments: [contestId, revealed.number])
    }

    /// Fills `contestAnswer` and `contestSeat` for the contests played before they existed, by replaying each
    /// journal as the room would have written it. A contest whose stored rows cannot be read is skipped (it is set
    /// aside when the server loads it, and its journal stays the record); the migration does not fail for it.
    static func backfillContestAnswers(_ db: Database) throws {
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()
        for contestId in try ContestID.fetchAll(
            db, sql: "SELECT DISTINCT contestId FROM contestEvent ORDER BY contestId")
        {
            guard let (journal, rows) = try? replayedAnswerRows(ofContest: contestId, db, decoder: decoder) else {
                continue
            }
            for (input, at) in journal { try writeSeatChange(input, at: at, contestId: contestId, db) }
            for row in rows { try writeAnswerRow(row, contestId: contestId, db, encoder: encoder) }
        }
    }

    private static func replayedAnswerRows(ofContest id: ContestID, _ db: Database, decoder: JSONDecoder) throws
        -> (journal: [(input: ContestInput, at: ContestTime)], rows: [ContestAnswerRow])
    {
        guard
            let settingsText = try String.fetchOne(
                db, sql: "SELECT settings FROM contest WHERE id = ?", arguments: [id])
        else {
            throw StorageError.contestNotFound(id)
        }
        let settings = try decoder.decode(ContestSettings.self, from: Data(settingsText.utf8))
        let questions = try Row.fetchAll(
            db, sql: "SELECT number, round, questionId FROM contestQuestion WHERE contestId = ? ORDER BY number",
            arguments: [id]
        ).map { row in
            let questionId: QuestionID = row["questionId"]
            guard let record = try QuestionRecord.fetchOne(db, key: questionId),
                settings.rounds.indices.contains(row["round"] as Int)
            else { throw StorageError.corrupt("contest \(id) question \(questionId)") }
            return ContestQuestion(
                number: row["number"], round: row["round"], questionId: questionId, question: try record.question())
        }
        let journal = try Row.fetchAll(
            db, sql: "SELECT at, input FROM contestEvent WHERE contestId = ? ORDER BY seq", arguments: [id]
        )
        .map { row in
            let text: String = row["input"]
            return (input: try decoder.decode(ContestInput.self, from: Data(text.utf8)), at: row["at"] as ContestTime)
        }
        return (journal, ContestAnswerReplay.rows(settings: settings, questions: questions, journal: journal))
    }
}
