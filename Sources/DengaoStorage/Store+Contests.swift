import DengaoCore
import Foundation
import GRDB

/// A row of `contest`.
struct ContestRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "contest"
    var id: ContestID?
    var title: String
    var ownerUnitId: UnitID?
    var createdById: AccountID?
    var settings: String
    var seed: Int64
    var pin: String
    var displayTokenHash: String
    var status: String
    var createdAt: Date
    var finishedAt: Date?

    enum Columns {
        static let pin = Column(CodingKeys.pin)
        static let status = Column(CodingKeys.status)
        static let displayTokenHash = Column(CodingKeys.displayTokenHash)
        static let ownerUnitId = Column(CodingKeys.ownerUnitId)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = ContestID(inserted.rowID) }

    /// The row as the console sees it. Settings that cannot be read do not hide the contest (or break the list it
    /// is in): it is listed, set aside, with the reason.
    func summary(questionCount: Int, setAside: String?) -> ContestSummary {
        var setAside = setAside
        let settings: ContestSettings
        do {
            settings = try JSONDecoder().decode(ContestSettings.self, from: Data(self.settings.utf8))
        } catch {
            settings = ContestSettings(title: title, rounds: [])
            setAside = setAside ?? "比赛设置无法读取 (the contest's settings are unreadable)"
        }
        let status = ContestStatus(rawValue: self.status) ?? .finished
        if ContestStatus(rawValue: self.status) == nil {
            setAside = setAside ?? "比赛状态无法读取 (unknown status \(self.status))"
        }
        return ContestSummary(
            id: id!, title: title, ownerUnitId: ownerUnitId, pin: pin, status: status, settings: settings,
            seed: UInt64(bitPattern: seed), questionCount: questionCount + settings.pollQuestionCount,
            createdAt: createdAt, finishedAt: finishedAt,
            setAside: setAside)
    }
}

extension Store {
    /// The latest version's questions of each named bank, with their row ids: the pool a round draws from.
    public func latestQuestions(ofBanks names: [String]) throws -> [(id: QuestionID, question: Question)] {
        try pool.read { db in
            var pool: [(id: QuestionID, question: Question)] = []
            for name in Set(names).sorted() {
                let bankId = try BankID.fetchOne(db, sql: "SELECT id FROM bank WHERE name = ?", arguments: [name])
                guard let bankId else { throw StorageError.bankNotFound(name) }
                let rows = try QuestionRecord.fetchAll(
                    db,
                    sql: """
                        SELECT question.* FROM question
                        WHERE bankVersionId = (SELECT id FROM bankVersion WHERE bankId = ? ORDER BY version DESC LIMIT 1)
                        ORDER BY position
                        """, arguments: [bankId])
                for row in rows { pool.append((row.id, try row.question())) }
            }
            return pool
        }
    }

    /// Creates a contest with a fresh 6-digit PIN not used by any unfinished contest.
    public func createContest(_ new: NewContest, now: Date = Date()) throws -> ContestSummary {
        let settingsJSON = String(decoding: try JSONEncoder().encode(new.settings), as: UTF8.self)
        return try pool.write { db in
            var record = ContestRecord(
                id: nil, title: new.settings.title.trimmingCharacters(in: .whitespaces), ownerUnitId: new.ownerUnitId,
                createdById: new.createdById, settings: settingsJSON, seed: Int64(bitPattern: new.seed),
                pin: try Self.freshPIN(db), displayTokenHash: new.displayTokenHash,
                status: ContestStatus.ready.rawValue,
                createdAt: now, finishedAt: nil)
            try record.insert(db)
            for slot in new.settings.questionSlots(drawn: new.questionIds) {
                try db.execute(
                    sql: "INSERT INTO contestQuestion (contestId, number, round, questionId) VALUES (?, ?, ?, ?)",
                    arguments: [record.id!, slot.number, slot.round, slot.questionId])
            }
            return try summary(of: record, db)
        }
    }

    private static func freshPIN(_ db: Database) throws -> String {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let pin = String(Int.random(in: 100_000...999_999, using: &generator))
            let taken =
                try ContestRecord.filter(ContestRecord.Columns.pin == pin)
                .filter(ContestRecord.Columns.status != ContestStatus.finished.rawValue).fetchCount(db) > 0
            if !taken { return pin }
        }
        throw StorageError.noFreeContestPIN
    }

    public func contest(id: ContestID) throws -> ContestSummary? {
        try pool.read { db in try ContestRecord.fetchOne(db, key: id).map { try summary(of: $0, db) } }
    }

    /// The unfinished contest a PIN names.
    public func contest(pin: String) throws -> ContestSummary? {
        try pool.read { db in
            try ContestRecord.filter(ContestRecord.Columns.pin == pin)
                .filter(ContestRecord.Columns.status != ContestStatus.finished.rawValue)
                .fetchOne(db).map { try summary(of: $0, db) }
        }
    }

    /// The contest a display token opens.
    public func contest(displayTokenHash hash: String) throws -> ContestSummary? {
        try pool.read { db in
            try ContestRecord.filter(ContestRecord.Columns.displayTokenHash == hash).fetchOne(db).map {
                try summary(of: $0, db)
            }
        }
    }

    /// Contests owned by any of `units` (all contests when nil), newest first.
    public func contests(ownedBy units: Set<UnitID>?) throws -> [ContestSummary] {
        try pool.read { db in
            var request = ContestRecord.order(Column("id").desc)
            if let units { request = request.filter(units.contains(ContestRecord.Columns.ownerUnitId)) }
            return try request.fetchAll(db).map { try summary(of: $0, db) }
        }
    }

    /// Contests played but not finished: the ones a restarted server resumes.
    public func liveContests() throws -> [ContestSummary] {
        try pool.read { db in
            try ContestRecord.filter(ContestRecord.Columns.status == ContestStatus.live.rawValue).fetchAll(db)
                .map { try summary(of: $0, db) }
        }
    }

    /// A contest's questions with their keys, for the contest's actor only.
    public func contestQuestions(_ id: ContestID) throws -> [ContestQuestion] {
        try pool.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT number, round, questionId FROM contestQuestion WHERE contestId = ? ORDER BY number",
                arguments: [id])
            let settings = try ContestRecord.fetchOne(db, key: id).map { try summary(of: $0, db).settings }
            let rounds = settings?.rounds.count ?? 0
            let drawn = try rows.map { row in
                let questionId: QuestionID = row["questionId"]
                guard let record = try QuestionRecord.fetchOne(db, key: questionId) else {
                    throw StorageError.corrupt("contest \(id) names missing question \(questionId)")
                }
                // The rules index the settings' rounds by this number: a row that disagrees with them is damage.
                guard (0..<rounds).contains(row["round"] as Int) else {
                    throw StorageError.corrupt(
                        "contest \(id) question \(row["number"] as Int) is in a round its settings do not have")
                }
                return ContestQuestion(
                    number: row["number"], round: row["round"], questionId: questionId, question: try record.question())
            }
            return settings?.questions(drawn: drawn) ?? drawn
        }
    }

    /// A contest's journal in order; replaying it rebuilds the contest.
    public func journal(ofContest id: ContestID) throws -> [JournalEntry] {
        try pool.read { db in
            let decoder = JSONDecoder()
            return try Row.fetchAll(
                db, sql: "SELECT seq, at, input, tokenHash FROM contestEvent WHERE contestId = ? ORDER BY seq",
                arguments: [id]
            ).map { row in
                let text: String = row["input"]
                guard let input = try? decoder.decode(ContestInput.self, from: Data(text.utf8)) else {
                    throw StorageError.corrupt("contest \(id) journal entry \(row["seq"] as Int64) is unreadable")
                }
                return JournalEntry(
                    contestId: id, seq: row["seq"], at: row["at"], input: input, tokenHash: row["tokenHash"])
            }
        }
    }

    /// Writes journal entries in one transaction; the journal's group commit calls this.
    /// One transaction for everything the journal had pending, in order.
    public func writeJournal(_ records: [JournalRecord]) async throws {
        try await pool.write { db in
            let encoder = JSONEncoder()
            for record in records {
                switch record {
                case .contest(let entry):
                    let input = String(decoding: try encoder.encode(entry.input), as: UTF8.self)
                    try db.cachedStatement(
                        sql: "INSERT INTO contestEvent (contestId, seq, at, input, tokenHash) VALUES (?, ?, ?, ?, ?)"
                    )
                    .execute(arguments: [entry.contestId, entry.seq, entry.at, input, entry.tokenHash])
                    if let status = entry.status {
                        let finishedAt =
                            status == .finished ? Date(timeIntervalSince1970: Double(entry.at) / 1000) : nil
                        try db.cachedStatement(sql: "UPDATE contest SET status = ?, finishedAt = ? WHERE id = ?")
                            .execute(arguments: [status.rawValue, finishedAt, entry.contestId])
                    }
                    try Self.writeSeatChange(entry.input, at: entry.at, contestId: entry.contestId, db)
                    if let row = entry.answerRow {
                        try Self.writeAnswerRow(row, contestId: entry.contestId, db, encoder: encoder)
                    }
                    if let points = entry.revealedPoints {
                        try Self.writeRevealedPoints(points, contestId: entry.contestId, db)
                    }
                case .campaign(let change):
                    try Self.write(change, db, encoder: encoder)
                case .revealedPoints(let contestId, let points):
                    try Self.writeRevealedPoints(points, contestId: contestId, db)
                }
            }
        }
    }

    private func summary(of record: ContestRecord, _ db: Database) throws -> ContestSummary {
        let count =
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM contestQuestion WHERE contestId = ?", arguments: [record.id!]) ?? 0
        return record.summary(
            questionCount: count, setAside: try Self.setAsideReason(.contest, id: record.id!.rawValue, db))
    }
}

extension Store {
    /// Replaces the display link's token (the old link stops working).
    public func replaceDisplayToken(ofContest id: ContestID, hash: String) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE contest SET displayTokenHash = ? WHERE id = ?", arguments: [hash, id])
            if db.changesCount == 0 { throw StorageError.contestNotFound(id) }
        }
    }
}

extension Store {
    /// A contest with its questions, its results recomputed from its journal and the moment it started (its first
    /// question brought on; nil before that). Refuses a set-aside contest.
    public func contestResults(_ id: ContestID) throws
        -> (contest: ContestSummary, questions: [ContestQuestion], results: ContestResults, startedAt: Int64?)
    {
        guard let contest = try contest(id: id) else { throw StorageError.contestNotFound(id) }
        if let reason = contest.setAside { throw StorageError.setAside(reason) }
        let questions = try contestQuestions(id)
        let journal = try journal(ofContest: id).map { (input: $0.input, at: $0.at) }
        let startedAt = journal.first { $0.input == .command(.next) }?.at
        return (
            contest, questions, ContestResults(settings: contest.settings, questions: questions, journal: journal),
            startedAt
        )
    }

    /// A contest's results as workbook sheets (standings, every answer, branches), recomputed from its journal;
    /// times are written local to `timeZone`, the organization's.
    public func contestResultSheets(_ id: ContestID, timeZone: TimeZone) throws -> (
        contest: ContestSummary, sheets: [Spreadsheet.Sheet]
    ) {
        let replay = try contestResults(id)
        return (replay.contest, try contestResultSheets(of: replay, timeZone: timeZone))
    }

    /// The same sheets from a replay the caller already holds (the results download also reads bands from it).
    public func contestResultSheets(
        of replay: (contest: ContestSummary, questions: [ContestQuestion], results: ContestResults, startedAt: Int64?),
        timeZone: TimeZone
    ) throws -> [Spreadsheet.Sheet] {
        let (contest, questions, results, _) = replay
        let tree = try orgTree()
        var branchNames: [UnitID: String] = [:]
        var memberNumbers: [MemberID: String] = [:]
        for row in results.standings {
            branchNames[row.seat.branchId] = tree.path(of: row.seat.branchId)
            if let memberId = row.seat.memberId { memberNumbers[memberId] = try? member(id: memberId).number }
        }
        return results.sheets(
            questions: questions, branchNames: branchNames, memberNumbers: memberNumbers,
            branchScoring: contest.settings.branchScoring, timeZone: timeZone)
    }
}

extension Store {
    /// The contest a contest's rank table is compared with: the same owner's (the whole organization's for nil)
    /// most recently finished contest that finished before `moment`, other than `id`; set-aside contests are passed
    /// over. nil when there is none.
    public func previousFinishedContest(of id: ContestID, owner: UnitID?, finishedBefore moment: Date) throws
        -> ContestSummary?
    {
        let candidates = try pool.read { db in
            try ContestID.fetchAll(
                db,
                sql: """
                    SELECT id FROM contest WHERE status = 'finished' AND id != ? AND ownerUnitId IS ? AND finishedAt < ?
                    ORDER BY finishedAt DESC, id DESC LIMIT 20
                    """, arguments: [id, owner, moment])
        }
        for candidate in candidates {
            if let contest = try contest(id: candidate), contest.setAside == nil { return contest }
        }
        return nil
    }

    /// What an organizer is told when a contest that was played (or joined) is to be changed or deleted.
    public static let contestPlayed = StorageError.contestPlayed

    /// Replaces an unplayed contest's settings, owner and drawn questions, keeping its PIN and display link (already
    /// handed out). Refuses, changing nothing, once anything was journaled for it: results would then lie.
    public func replaceUnplayedContest(_ id: ContestID, with new: NewContest) throws -> ContestSummary {
        let settingsJSON = String(decoding: try JSONEncoder().encode(new.settings), as: UTF8.self)
        return try pool.write { db in
            var record = try Self.unplayedContest(id, db)
            record.title = new.settings.title.trimmingCharacters(in: .whitespaces)
            record.ownerUnitId = new.ownerUnitId
            record.settings = settingsJSON
            record.seed = Int64(bitPattern: new.seed)
            try record.update(db)
            try db.execute(sql: "DELETE FROM contestQuestion WHERE contestId = ?", arguments: [id])
            for slot in new.settings.questionSlots(drawn: new.questionIds) {
                try db.execute(
                    sql: "INSERT INTO contestQuestion (contestId, number, round, questionId) VALUES (?, ?, ?, ?)",
                    arguments: [id, slot.number, slot.round, slot.questionId])
            }
            return try summary(of: record, db)
        }
    }

    /// Deletes a contest nobody joined yet, with its drawn questions. Refuses, changing nothing, once played.
    public func deleteUnplayedContest(_ id: ContestID) throws {
        try pool.write { db in
            _ = try Self.unplayedContest(id, db)
            try db.execute(sql: "DELETE FROM contest WHERE id = ?", arguments: [id])
        }
    }

    /// The contest's row, if it is still as created: ready, with an empty journal.
    private static func unplayedContest(_ id: ContestID, _ db: Database) throws -> ContestRecord {
        guard let record = try ContestRecord.fetchOne(db, key: id) else { throw StorageError.contestNotFound(id) }
        let events =
            try Int.fetchOne(db, sql: "SELECT count(*) FROM contestEvent WHERE contestId = ?", arguments: [id]) ?? 0
        guard record.status == ContestStatus.ready.rawValue, events == 0 else { throw contestPlayed }
        return record
    }
}
