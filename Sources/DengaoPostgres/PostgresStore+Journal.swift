import DengaoCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Writes journal records in one transaction, in order: what the journal's group commit calls with everything it
    /// had pending. Exactly the SQLite store's `writeJournal`: each contest entry with its status change, its seat
    /// change, its answer row and a reveal's points; each campaign change on its attempt's rows.
    ///
    /// `synchronous_commit` is on for every connection of the store whatever the server's default (a startup
    /// parameter, `PostgresStore.init`): the journal acknowledges an answer once this returns, so the commit must be
    /// on disk (flushed WAL) by then. If the connection is lost before the commit, the server rolls the whole
    /// transaction back and this throws `StorageError.unavailable`.
    ///
    /// A batch of plain inserts and attempt changes (every climbing batch, a contest's answers and joins) is one
    /// statement, which PostgreSQL runs as a transaction of its own: one round trip where `BEGIN`, the statement and
    /// `COMMIT` were three. Only a batch with a status change, a kick, a reveal or one seat's second answer to a
    /// question needs statements in order, and gets a transaction around them.
    public func writeJournal(_ records: [JournalRecord]) async throws {
        if Self.fitsOneStatement(records) {
            try await statement(readOnly: false) { sql in try await Self.write(records, sql) }
        } else {
            try await transaction(keepsSessions: true) { sql in try await Self.write(records, sql) }
        }
    }

    /// Whether `write` sends `records` as one statement: nothing in them changes a row gathered before it.
    static func fitsOneStatement(_ records: [JournalRecord]) -> Bool {
        var answerKeys: Set<[Int64]> = []
        for record in records {
            let entry: JournalEntry
            switch record {
            case .contest(let contestEntry): entry = contestEntry
            case .campaign: continue
            case .revealedPoints: return false
            }
            if entry.status != nil || entry.revealedPoints != nil || entry.input.isKick { return false }
            if let row = entry.answerRow,
                !answerKeys.insert([entry.contestId.rawValue, Int64(row.number), Int64(row.seat)]).inserted
            {
                return false
            }
        }
        return true
    }

    /// Writes `records` in order on `sql`: gathered into one statement, with the entries that change rows gathered
    /// earlier run after those rows are written.
    static func write(_ records: [JournalRecord], _ sql: SQL) async throws {
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
                if case .join(let seat) = entry.input {
                    inserts.seat(seat, contestId: entry.contestId, joinedAt: entry.at)
                }
                guard entry.status != nil || entry.revealedPoints != nil || entry.input.isKick else { continue }
                try await inserts.flush(sql)
                if let status = entry.status {
                    let finishedAt =
                        status == .finished
                        ? StoredDate.text(Date(timeIntervalSince1970: Double(entry.at) / 1000)) : nil
                    try await sql.execute(
                        "UPDATE contest SET status = \(status.rawValue), finishedAt = \(finishedAt) WHERE id = \(entry.contestId)"
                    )
                }
                if case .kick(let seat) = entry.input {
                    try await sql.execute(
                        """
                        UPDATE contestSeat SET kickedAt = \(entry.at)
                        WHERE contestId = \(entry.contestId) AND seat = \(seat) AND kickedAt IS NULL
                        """)
                }
                if let points = entry.revealedPoints {
                    try await Self.writeRevealedPoints(points, contestId: entry.contestId, sql)
                }
            case .campaign(let change):
                try Self.write(change, &inserts, encoder: encoder)
            case .revealedPoints(let contestId, let points):
                try await inserts.flush(sql)
                try await Self.writeRevealedPoints(points, contestId: contestId, sql)
            }
        }
        try await inserts.flush(sql)
    }

    /// Writes a reveal's points onto its question's answer rows that have none yet; answers of seats the reveal did
    /// not score (kicked) get 0, and rows already scored (a room's reload after the points were written) are left as
    /// they are. One statement for all the seats (a round trip per seat held the journal for seconds at 10,000).
    static func writeRevealedPoints(_ revealed: RevealedPoints, contestId: ContestID, _ sql: SQL) async throws {
        let points = revealed.points.map { (seat: Int64($0.key), points: Int64($0.value)) }
        if !points.isEmpty {
            try await sql.execute(
                """
                UPDATE contestAnswer SET points = given.points
                FROM unnest(\(points.map(\.seat)), \(points.map(\.points))) AS given(seat, points)
                WHERE contestId = \(contestId) AND number = \(revealed.number) AND contestAnswer.seat = given.seat
                  AND contestAnswer.points IS NULL
                """)
        }
        try await sql.execute(
            "UPDATE contestAnswer SET points = 0 WHERE contestId = \(contestId) AND number = \(revealed.number) AND points IS NULL"
        )
    }

    /// Gathers one attempt change into the journal's transaction: its inserts and its row's update join `inserts`
    /// (written together at the next flush, the update after the inserts).
    static func write(_ change: CampaignChange, _ inserts: inout JournalInserts, encoder: JSONEncoder) throws {
        switch change {
        case .started(let attempt):
            inserts.attempt(attempt)
        case .served(let ref, let index, let at):
            inserts.update(ref, served: (Int64(index), at), ended: nil)
        case .answered(let ref, let answer, let status, let endedAt):
            let text = try answer.answer.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
            inserts.campaignAnswer(ref, answer, text: text)
            inserts.update(ref, served: nil, ended: AttemptUpdate.Ending(status: status, at: endedAt))
        case .ended(let ref, let status, let at):
            inserts.update(ref, served: nil, ended: AttemptUpdate.Ending(status: status, at: at))
        }
    }
}
