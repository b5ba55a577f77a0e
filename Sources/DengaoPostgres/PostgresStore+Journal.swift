import DengaoCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Writes journal records in one transaction, in order: what the journal's group commit calls with everything it
    /// had pending. Exactly the SQLite store's `writeJournal`: each contest entry with its status change, its seat
    /// change, its answer row and a reveal's points; each campaign change on its attempt's rows.
    ///
    /// `synchronous_commit` is set on for this transaction whatever the server's default: the journal acknowledges
    /// an answer once this returns, so the commit must be on disk (flushed WAL) by then. If the connection is lost
    /// before the commit, the server rolls the whole transaction back and this throws `PostgresFailure.connectionLost`.
    public func writeJournal(_ records: [JournalRecord]) async throws {
        try await transaction { sql in
            try await sql.execute("SET LOCAL synchronous_commit = on")
            let encoder = JSONEncoder()
            var inserts = JournalInserts()
            for record in records {
                switch record {
                case .contest(let entry):
                    inserts.event(entry, input: String(decoding: try encoder.encode(entry.input), as: UTF8.self))
                    if let row = entry.answerRow {
                        let answer = String(decoding: try encoder.encode(row.answer), as: UTF8.self)
                        try await inserts.answer(row, contestId: entry.contestId, answer: answer, sql)
                    }
                    guard entry.status != nil || entry.revealedPoints != nil || entry.input.changesSeat else {
                        continue
                    }
                    try await inserts.flush(sql)
                    if let status = entry.status {
                        let finishedAt =
                            status == .finished
                            ? StoredDate.text(Date(timeIntervalSince1970: Double(entry.at) / 1000)) : nil
                        try await sql.execute(
                            "UPDATE contest SET status = \(status.rawValue), finishedAt = \(finishedAt) WHERE id = \(entry.contestId)"
                        )
                    }
                    try await Self.writeSeatChange(entry.input, at: entry.at, contestId: entry.contestId, sql)
                    if let points = entry.revealedPoints {
                        try await Self.writeRevealedPoints(points, contestId: entry.contestId, sql)
                    }
                case .campaign(let change):
                    try await Self.write(change, &inserts, sql, encoder: encoder)
                }
            }
            try await inserts.flush(sql)
        }
    }

    /// Keeps `contestSeat` with the journal: a join (journaled only when the rules seat it) adds the seat, a kick
    /// (journaled only when it takes effect) marks it. Other inputs change no seat.
    static func writeSeatChange(_ input: ContestInput, at time: ContestTime, contestId: Int64, _ sql: SQL) async throws
    {
        switch input {
        case .join(let seat):
            try await sql.execute(
                """
                INSERT INTO contestSeat (contestId, seat, memberId, unitId, name, joinedAt)
                VALUES (\(contestId), \(seat.id), \(seat.memberId), \(seat.branchId), \(seat.name), \(time))
                ON CONFLICT (contestId, seat) DO NOTHING
                """)
        case .kick(let seat):
            try await sql.execute(
                "UPDATE contestSeat SET kickedAt = \(time) WHERE contestId = \(contestId) AND seat = \(seat) AND kickedAt IS NULL"
            )
        default:
            break
        }
    }

    /// Writes a reveal's points onto its question's answer rows; answers of seats the reveal did not score (kicked)
    /// get 0. One statement for all the seats (a round trip per seat held the journal for seconds at 10,000).
    static func writeRevealedPoints(_ revealed: RevealedPoints, contestId: Int64, _ sql: SQL) async throws {
        let points = revealed.points.map { (seat: Int64($0.key), points: Int64($0.value)) }
        if !points.isEmpty {
            try await sql.execute(
                """
                UPDATE contestAnswer SET points = given.points
                FROM unnest(\(points.map(\.seat)), \(points.map(\.points))) AS given(seat, points)
                WHERE contestId = \(contestId) AND number = \(revealed.number) AND contestAnswer.seat = given.seat
                """)
        }
        try await sql.execute(
            "UPDATE contestAnswer SET points = 0 WHERE contestId = \(contestId) AND number = \(revealed.number) AND points IS NULL"
        )
    }

    /// Writes one attempt change inside the journal's transaction: its inserts join `inserts`; an update of an
    /// attempt whose row is still among them writes them first.
    static func write(_ change: CampaignChange, _ inserts: inout JournalInserts, _ sql: SQL, encoder: JSONEncoder)
        async throws
    {
        switch change {
        case .started(let attempt):
            inserts.attempt(attempt)
        case .served(let ref, let index, let at):
            try await inserts.flush(before: ref, sql)
            try await sql.execute(
                """
                UPDATE campaignAttempt SET servedIndex = \(index), servedAt = \(at)
                WHERE campaignId = \(ref.campaignId) AND memberId = \(ref.memberId) AND seq = \(ref.seq)
                """)
        case .answered(let ref, let answer, let status, let endedAt):
            let text = try answer.answer.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
            inserts.campaignAnswer(ref, answer, text: text)
            try await inserts.flush(before: ref, sql)
            try await sql.execute(
                """
                UPDATE campaignAttempt SET servedIndex = NULL, servedAt = NULL, status = \(status.rawValue), endedAt = \(endedAt)
                WHERE campaignId = \(ref.campaignId) AND memberId = \(ref.memberId) AND seq = \(ref.seq)
                """)
        case .ended(let ref, let status, let at):
            try await inserts.flush(before: ref, sql)
            try await sql.execute(
                """
                UPDATE campaignAttempt SET servedIndex = NULL, servedAt = NULL, status = \(status.rawValue), endedAt = \(at)
                WHERE campaignId = \(ref.campaignId) AND memberId = \(ref.memberId) AND seq = \(ref.seq)
                """)
        }
    }
}
