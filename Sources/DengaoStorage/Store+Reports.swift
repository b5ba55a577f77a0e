import DengaoCore
import Foundation
import GRDB

/// The statements reports run, each served by an index (a test checks their query plans): no request scans a
/// whole table of answers. Public for the benchmarks' bare reference reads.
public enum ReportSQL {
    /// A contest's answers, by the primary key's prefix. Arguments: contest id.
    public static let contest = """
        SELECT seat, number, memberId, unitId, questionId, answer, correctness, points, elapsedMs, receivedAt
        FROM contestAnswer WHERE contestId = ? ORDER BY number, seat
        """

    /// A whole campaign is read as three walks in primary-key order, merged in Swift: at a million answers, two
    /// sequential walks cost less than two B-tree lookups per answer. Arguments: campaign id.
    public static let campaignPlaces = "SELECT memberId, seq, unitId, day FROM campaignAttempt WHERE campaignId = ?"
    public static let campaignDrawn =
        "SELECT memberId, seq, idx, questionId FROM campaignAttemptQuestion WHERE campaignId = ? ORDER BY memberId, seq, idx"
    public static let campaignAnswers = """
        SELECT memberId, seq, idx, answer, correct, elapsedMs, at FROM campaignAnswer WHERE campaignId = ?
        ORDER BY memberId, seq, idx
        """
    /// A campaign's answers with their attempts' unit and day and the question each answered, joined in SQL (what
    /// the merge computes; kept for comparing the two). Arguments: campaign id.
    public static let campaign = campaignSelect(attemptsFirst: false) + " WHERE a.campaignId = ?"
    /// The same on a range of days, starting from the attempts' (campaignId, day) index: SQLite without statistics
    /// would rather walk all the campaign's answers and filter, so `CROSS JOIN` fixes the order. Arguments: campaign
    /// id, first day, last day.
    public static let campaignDays =
        campaignSelect(attemptsFirst: true) + " WHERE t.campaignId = ? AND t.day BETWEEN ? AND ?"

    private static func campaignSelect(attemptsFirst: Bool) -> String {
        """
        SELECT a.campaignId, a.memberId, a.seq, a.idx, t.unitId, q.questionId, a.answer, a.correct, a.elapsedMs, a.at, t.day
        FROM campaignAttempt t
        \(attemptsFirst ? "CROSS JOIN" : "JOIN") campaignAnswer a ON a.campaignId = t.campaignId AND a.memberId = t.memberId AND a.seq = t.seq
        JOIN campaignAttemptQuestion q ON q.campaignId = a.campaignId AND q.memberId = a.memberId AND q.seq = a.seq AND q.idx = a.idx
        """
    }

    /// Contest answers to any version of a bank, by question. Arguments: bank id (and a JSON array of unit ids).
    public static func bankContests(inUnits: Bool) -> String {
        """
        SELECT c.contestId, c.seat, c.number, c.memberId, c.unitId, c.questionId, c.answer, c.correctness, c.points,
            c.elapsedMs, c.receivedAt
        FROM bankVersion v
        JOIN question qu ON qu.bankVersionId = v.id
        JOIN contestAnswer c ON c.questionId = qu.id
        WHERE v.bankId = ?
        """ + (inUnits ? " AND c.unitId IN (SELECT value FROM json_each(?))" : "")
    }

    /// A contest's seats, by the primary key's prefix. Arguments: contest id.
    public static let contestSeats =
        "SELECT seat, memberId, unitId, name, joinedAt, kickedAt FROM contestSeat WHERE contestId = ? ORDER BY seat"

    /// Attempts on a range of days: of one campaign (its (campaignId, day) index; arguments: campaign id, first and
    /// last day) or of every campaign (the day index; arguments: first and last day).
    public static func attempts(ofOneCampaign: Bool) -> String {
        "SELECT campaignId, memberId, seq, unitId, level, day, status, startedAt, endedAt, ladder FROM campaignAttempt WHERE "
            + (ofOneCampaign ? "campaignId = ? AND day BETWEEN ? AND ?" : "day BETWEEN ? AND ?")
    }

    /// Campaign answers to any version of a bank, by the questions drawn. Arguments: bank id (and a JSON array of
    /// unit ids).
    public static func bankCampaigns(inUnits: Bool) -> String {
        """
        SELECT a.campaignId, a.memberId, a.seq, a.idx, t.unitId, q.questionId, a.answer, a.correct, a.elapsedMs, a.at, t.day
        FROM bankVersion v
        JOIN question qu ON qu.bankVersionId = v.id
        JOIN campaignAttemptQuestion q ON q.questionId = qu.id
        JOIN campaignAnswer a ON a.campaignId = q.campaignId AND a.memberId = q.memberId AND a.seq = q.seq AND a.idx = q.idx
        JOIN campaignAttempt t ON t.campaignId = q.campaignId AND t.memberId = q.memberId AND t.seq = q.seq
        WHERE v.bankId = ?
        """ + (inUnits ? " AND t.unitId IN (SELECT value FROM json_each(?))" : "")
    }

    /// Questions by id with their bank and version. Arguments: a JSON array of question ids.
    public static let questions = """
        SELECT qu.*, v.bankId, v.version, b.name AS bankName
        FROM question qu JOIN bankVersion v ON v.id = qu.bankVersionId JOIN bank b ON b.id = v.bankId
        WHERE qu.id IN (SELECT value FROM json_each(?))
        """
}

extension Store {
    /// Every accepted answer of a contest, in question order then seat; points are nil until a question is revealed.
    public func contestResponses(contest id: ContestID) throws -> [ResponseRow] {
        try pool.read { db in
            let reader = ResponseReader()
            var rows: [ResponseRow] = []
            let cursor = try Row.fetchCursor(db, sql: ReportSQL.contest, arguments: [id])
            while let row = try cursor.next() {
                rows.append(try reader.contestRow(row, contestId: id, offset: 0))
            }
            return rows
        }
    }

    /// Every seat a contest has had, kicked ones included, in seat order.
    public func contestSeats(contest id: ContestID) throws -> [ContestSeatRow] {
        try pool.read { db in
            try Row.fetchAll(db, sql: ReportSQL.contestSeats, arguments: [id]).map { row in
                ContestSeatRow(
                    contestId: id, seat: row[0], memberId: row[1], unitId: row[2], name: row[3], joinedAt: row[4],
                    kickedAt: row[5])
            }
        }
    }

    /// The attempts made on `days`, in one campaign or in all of them (the organization's participation over a
    /// period). Rows come in no promised order.
    public func campaignAttempts(days: ClosedRange<CampaignDay>, campaign: CampaignID? = nil) throws -> [AttemptRow] {
        let (first, last) = (days.lowerBound.description, days.upperBound.description)
        let arguments: StatementArguments = campaign.map { [$0, first, last] as StatementArguments } ?? [first, last]
        return try pool.read { db in
            var parsed: [String: CampaignDay] = [:]
            var rows: [AttemptRow] = []
            let cursor = try Row.fetchCursor(
                db, sql: ReportSQL.attempts(ofOneCampaign: campaign != nil), arguments: arguments)
            while let row = try cursor.next() {
                let ref = AttemptRef(campaignId: row[0], memberId: row[1], seq: row[2])
                let dayText: String = row[5]
                let statusText: String = row[6]
                guard let day = parsed[dayText] ?? CampaignDay(dayText),
                    let status = AttemptStatus(rawValue: statusText)
                else {
                    throw StorageError.corrupt("campaign \(ref.campaignId) attempt \(ref.memberId)/\(ref.seq)")
                }
                parsed[dayText] = day
                rows.append(
                    AttemptRow(
                        ref: ref, unitId: row[3], level: row[4], day: day, status: status, startedAt: row[7],
                        endedAt: row[8], ladder: row[9]))
            }
            return rows
        }
    }

    /// Every answer of a campaign (on `days` only, when given), timed-out questions included with a nil answer.
    /// Rows come in no promised order.
    public func campaignResponses(campaign id: CampaignID, days: ClosedRange<CampaignDay>? = nil) throws
        -> [ResponseRow]
    {
        try pool.read { db in
            let reader = ResponseReader()
            var rows: [ResponseRow] = []
            guard let days else { return try Self.mergedCampaignResponses(id, db) }
            let cursor = try Row.fetchCursor(
                db, sql: ReportSQL.campaignDays,
                arguments: [id, days.lowerBound.description, days.upperBound.description])
            while let row = try cursor.next() { rows.append(try reader.campaignRow(row)) }
            return rows
        }
    }

    /// A whole campaign's answers: its answers and drawn questions walked side by side in primary-key order, each
    /// answer given its attempt's unit and day.
    static func mergedCampaignResponses(_ id: CampaignID, _ db: Database) throws -> [ResponseRow] {
        struct Key: Hashable, Comparable {
            let memberId: Int64, seq: Int, index: Int
            static func < (a: Key, b: Key) -> Bool { (a.memberId, a.seq, a.index) < (b.memberId, b.seq, b.index) }
        }
        var places: [Key: (unitId: UnitID, day: CampaignDay)] = [:]
        let attempts = try Row.fetchCursor(db, sql: ReportSQL.campaignPlaces, arguments: [id])
        while let row = try attempts.next() {
            guard let day = try row.withUnsafeData(atIndex: 3, { $0.flatMap(AnswerJSON.day) }) else {
                throw StorageError.corrupt("campaign \(id) has an unreadable day")
            }
            places[Key(memberId: row[0], seq: row[1], index: 0)] = (row[2], day)
        }
        let drawn = try Row.fetchCursor(db, sql: ReportSQL.campaignDrawn, arguments: [id])
        func nextDrawn() throws -> (key: Key, questionId: QuestionID)? {
            try drawn.next().map { (Key(memberId: $0[0], seq: $0[1], index: $0[2]), $0[3]) }
        }
        var question = try nextDrawn()
        var rows: [ResponseRow] = []
        let answers = try Row.fetchCursor(db, sql: ReportSQL.campaignAnswers, arguments: [id])
        while let row = try answers.next() {
            let key = Key(memberId: row[0], seq: row[1], index: row[2])
            while let current = question, current.key < key { question = try nextDrawn() }
            guard let question, question.key == key,
                let place = places[Key(memberId: key.memberId, seq: key.seq, index: 0)]
            else {
                throw StorageError.corrupt(
                    "campaign \(id) answer \(key.memberId)/\(key.seq)/\(key.index) has no question or attempt")
            }
            let answer: PlayerAnswer?? = try row.withUnsafeData(atIndex: 3) { data in
                guard let data else { return .some(nil) }
                return AnswerJSON.decode(data).map { .some($0) }
            }
            guard let answer else { throw StorageError.corrupt("campaign \(id) has an unreadable answer") }
            rows.append(
                ResponseRow(
                    attempt: .campaignAttempt(
                        AttemptRef(campaignId: id, memberId: MemberID(key.memberId), seq: key.seq)),
                    memberId: MemberID(key.memberId), unitId: place.unitId, questionId: question.questionId,
                    slot: key.index,
                    answer: answer, correctness: (row[4] as Bool) ? .correct : .wrong, points: nil,
                    elapsedMilliseconds: row[5], at: row[6], day: place.day))
        }
        return rows
    }

    /// Every answer to any question of any version of a bank, from contests and campaigns alike; only those given in
    /// `units` (the branch at the time) when given, e.g. an organizer's subtree. Rows come in no promised order.
    public func bankResponses(bank id: BankID, within units: Set<UnitID>? = nil) throws -> [ResponseRow] {
        let unitList = units.map { "[" + $0.sorted().map(\.description).joined(separator: ",") + "]" }
        let arguments: StatementArguments = unitList.map { [id, $0] } ?? [id]
        return try pool.read { db in
            let reader = ResponseReader()
            var rows: [ResponseRow] = []
            let contests = try Row.fetchCursor(
                db, sql: ReportSQL.bankContests(inUnits: units != nil), arguments: arguments)
            while let row = try contests.next() {
                rows.append(try reader.contestRow(row, contestId: row[0], offset: 1))
            }
            let campaigns = try Row.fetchCursor(
                db, sql: ReportSQL.bankCampaigns(inUnits: units != nil), arguments: arguments)
            while let row = try campaigns.next() { rows.append(try reader.campaignRow(row)) }
            return rows
        }
    }

    /// The questions named (those that exist), keys included, with their bank and version: what item analysis
    /// needs to grade, label and link each question. For organizers' reports, never for players.
    public func questionsForReport(ids: Set<QuestionID>) throws -> [QuestionID: ReportQuestion] {
        guard !ids.isEmpty else { return [:] }
        let list = "[" + ids.sorted().map(\.description).joined(separator: ",") + "]"
        return try pool.read { db in
            var found: [QuestionID: ReportQuestion] = [:]
            for row in try Row.fetchAll(db, sql: ReportSQL.questions, arguments: [list]) {
                let record = try QuestionRecord(row: row)
                found[record.id] = ReportQuestion(
                    id: record.id, bankId: row["bankId"], bankName: row["bankName"],
                    bankVersionId: record.bankVersionId,
                    bankVersion: row["version"], position: record.position, question: try record.question())
            }
            return found
        }
    }
}

/// Turns report rows into `ResponseRow`s by column position (the statements above fix the order), reading text
/// columns in SQLite's buffer rather than as a `String` per row.
private struct ResponseReader {
    /// Columns from `offset`: seat, number, memberId, unitId, questionId, answer, correctness, points, elapsedMs,
    /// receivedAt.
    func contestRow(_ row: Row, contestId: ContestID, offset: Int) throws -> ResponseRow {
        let answer = try row.withUnsafeData(atIndex: offset + 5) { $0.flatMap(AnswerJSON.decode) }
        let correctness = try row.withUnsafeData(atIndex: offset + 6) { $0.flatMap(AnswerJSON.correctness) }
        guard let answer, let correctness else {
            throw StorageError.corrupt("contest \(contestId) has an unreadable answer")
        }
        return ResponseRow(
            attempt: .contestSeat(contestId: contestId, seat: row[offset]), memberId: row[offset + 2],
            unitId: row[offset + 3], questionId: row[offset + 4], slot: row[offset + 1], answer: answer,
            correctness: correctness, points: row[offset + 7], elapsedMilliseconds: row[offset + 8],
            at: row[offset + 9],
            day: nil)
    }

    /// Columns: campaignId, memberId, seq, idx, unitId, questionId, answer, correct, elapsedMs, at, day.
    func campaignRow(_ row: Row) throws -> ResponseRow {
        let ref = AttemptRef(campaignId: row[0], memberId: row[1], seq: row[2])
        // NULL: the question's time ran out unanswered.
        let answer: PlayerAnswer?? = try row.withUnsafeData(atIndex: 6) { data in
            guard let data else { return .some(nil) }
            return AnswerJSON.decode(data).map { .some($0) }
        }
        let day = try row.withUnsafeData(atIndex: 10) { $0.flatMap(AnswerJSON.day) }
        guard let answer, let day else {
            throw StorageError.corrupt("campaign \(ref.campaignId) has an unreadable answer or day")
        }
        return ResponseRow(
            attempt: .campaignAttempt(ref), memberId: ref.memberId, unitId: row[4], questionId: row[5],
            slot: row[3],
            answer: answer, correctness: (row[7] as Bool) ? .correct : .wrong, points: nil, elapsedMilliseconds: row[8],
            at: row[9], day: day)
    }
}
