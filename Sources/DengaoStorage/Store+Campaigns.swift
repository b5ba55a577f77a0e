import DengaoCore
import Foundation
import GRDB

/// A row of `campaign`.
struct CampaignRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "campaign"
    var id: CampaignID?
    var title: String
    var ownerUnitId: UnitID?
    var createdById: AccountID?
    var settings: String
    var seed: Int64
    var displayTokenHash: String
    var createdAt: Date

    enum Columns {
        static let displayTokenHash = Column(CodingKeys.displayTokenHash)
        static let ownerUnitId = Column(CodingKeys.ownerUnitId)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = CampaignID(inserted.rowID) }

    /// The row as the console sees it; settings that cannot be read (or name no valid calendar) leave the campaign
    /// listed but set aside, with the reason, rather than breaking every list it is in.
    func summary(_ db: Database) throws -> CampaignSummary {
        var setAside = try Store.setAsideReason(.campaign, id: id!.rawValue, db)  // a room load's id is an Int64
        var settings = CampaignSettings(title: title, startDate: "", endDate: "", banks: [], levels: [])
        if let decoded = try? JSONDecoder().decode(CampaignSettings.self, from: Data(self.settings.utf8)) {
            settings = decoded
            if decoded.calendar == nil { setAside = setAside ?? "活动日期或时区无法读取 (the campaign's dates are unreadable)" }
        } else {
            setAside = setAside ?? "活动设置无法读取 (the campaign's settings are unreadable)"
        }
        return CampaignSummary(
            id: id!, title: title, ownerUnitId: ownerUnitId, settings: settings, seed: UInt64(bitPattern: seed),
            createdAt: createdAt,
            setAside: setAside)
    }
}

extension Store {
    public func createCampaign(_ new: NewCampaign, now: Date = Date()) throws -> CampaignSummary {
        let settingsJSON = String(decoding: try JSONEncoder().encode(new.settings), as: UTF8.self)
        return try pool.write { db in
            var record = CampaignRecord(
                id: nil, title: new.settings.title.trimmingCharacters(in: .whitespaces), ownerUnitId: new.ownerUnitId,
                createdById: new.createdById, settings: settingsJSON, seed: Int64(bitPattern: new.seed),
                displayTokenHash: new.displayTokenHash, createdAt: now)
            try record.insert(db)
            return try record.summary(db)
        }
    }

    public func campaign(id: CampaignID) throws -> CampaignSummary? {
        try pool.read { db in try CampaignRecord.fetchOne(db, key: id)?.summary(db) }
    }

    /// The campaign a display token opens.
    public func campaign(displayTokenHash hash: String) throws -> CampaignSummary? {
        try pool.read { db in
            try CampaignRecord.filter(CampaignRecord.Columns.displayTokenHash == hash).fetchOne(db)?.summary(db)
        }
    }

    /// Campaigns owned by any of `units` (all campaigns when nil), newest first.
    public func campaigns(ownedBy units: Set<UnitID>?) throws -> [CampaignSummary] {
        try pool.read { db in
            var request = CampaignRecord.order(Column("id").desc)
            if let units { request = request.filter(units.contains(CampaignRecord.Columns.ownerUnitId)) }
            return try request.fetchAll(db).map { try $0.summary(db) }
        }
    }

    public func replaceDisplayToken(ofCampaign id: CampaignID, hash: String) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE campaign SET displayTokenHash = ? WHERE id = ?", arguments: [hash, id])
            if db.changesCount == 0 { throw StorageError.campaignNotFound(id) }
        }
    }

    /// Every member's placements and active spans over time, with their numbers and names (unless `people` is
    /// false: counting needs no names), read in one transaction: what a campaign's roster on any day is computed
    /// from (`Participation.History.roster(at:within:)`).
    public func rosterHistory(people readPeople: Bool = true) throws -> Participation.History {
        func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
        return try pool.read { db in
            var people: [MemberID: Participation.History.Person] = [:]
            for row in try Row.fetchAll(
                db, sql: readPeople ? "SELECT id, number, name FROM member" : "SELECT 1 WHERE 0")
            {
                people[row["id"]] = Participation.History.Person(number: row["number"], name: row["name"])
            }
            let placements = try Row.fetchAll(db, sql: "SELECT memberId, unitId, since, until FROM memberPlacement").map
            { row in
                Participation.Placement(
                    memberId: row["memberId"], unitId: row["unitId"], since: milliseconds(row["since"]),
                    until: (row["until"] as Date?).map(milliseconds))
            }
            let spans = try Row.fetchAll(db, sql: "SELECT memberId, since, until FROM memberActiveSpan").map { row in
                Participation.ActiveSpan(
                    memberId: row["memberId"], since: milliseconds(row["since"]),
                    until: (row["until"] as Date?).map(milliseconds))
            }
            let categories = try Row.fetchAll(
                db, sql: "SELECT memberId, categoryId, since, until FROM memberCategorySpan"
            )
            .map { row in
                Participation.CategorySpan(
                    memberId: row["memberId"], categoryId: row["categoryId"], since: milliseconds(row["since"]),
                    until: (row["until"] as Date?).map(milliseconds))
            }
            return Participation.History(
                people: people, placements: placements, activeSpans: spans, categorySpans: categories)
        }
    }

    /// Every attempt of a campaign with its answers, in the order members made them.
    public func campaignAttempts(_ campaignId: CampaignID) throws -> [StoredAttempt] {
        try pool.read { db in
            var answers: [AttemptRef: [AttemptAnswer]] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT * FROM campaignAnswer WHERE campaignId = ? ORDER BY memberId, seq, idx",
                arguments: [campaignId])
            {
                let ref = AttemptRef(campaignId: campaignId, memberId: row["memberId"], seq: row["seq"])
                // Parsed in place (`AnswerJSON`): a `JSONDecoder` per answer was half of what a campaign report cost
                // the server while members climbed. NULL: the question's time ran out.
                let read: PlayerAnswer?? = try row.withUnsafeData(named: "answer") { data in
                    guard let data else { return .some(nil) }
                    return AnswerJSON.decode(data).map { .some($0) }
                }
                guard let answer = read else {
                    throw StorageError.corrupt("campaign \(campaignId) has an unreadable answer")
                }
                answers[ref, default: []].append(
                    AttemptAnswer(
                        index: row["idx"], answer: answer, correctness: row["correct"] ? .correct : .wrong,
                        at: row["at"],
                        elapsedMilliseconds: row["elapsedMs"]))
            }
            var questions: [AttemptRef: [QuestionID]] = [:]
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT memberId, seq, questionId FROM campaignAttemptQuestion WHERE campaignId = ? ORDER BY memberId, seq, idx",
                arguments: [campaignId])
            {
                questions[AttemptRef(campaignId: campaignId, memberId: row["memberId"], seq: row["seq"]), default: []]
                    .append(row["questionId"])
            }
            return try Row.fetchAll(
                db, sql: "SELECT * FROM campaignAttempt WHERE campaignId = ? ORDER BY startedAt, memberId, seq",
                arguments: [campaignId]
            ).map { row in
                let ref = AttemptRef(campaignId: campaignId, memberId: row["memberId"], seq: row["seq"])
                let dayText: String = row["day"]
                let statusText: String = row["status"]
                guard let day = CampaignDay(dayText), let status = AttemptStatus(rawValue: statusText) else {
                    throw StorageError.corrupt("campaign \(campaignId) attempt \(ref.memberId)/\(ref.seq)")
                }
                let started = StartedAttempt(
                    ref: ref, unitId: row["unitId"], level: row["level"], day: day,
                    seed: UInt64(bitPattern: row["seed"]),
                    questionIds: questions[ref] ?? [], startedAt: row["startedAt"], ladder: row["ladder"])
                return StoredAttempt(
                    started: started, status: status, endedAt: row["endedAt"], servedIndex: row["servedIndex"],
                    servedAt: row["servedAt"],
                    answers: answers[ref] ?? [])
            }
        }
    }

    /// Questions by row id, keys included: for the campaign's actor only.
    public func questions(ids: Set<QuestionID>) throws -> [QuestionID: Question] {
        try pool.read { db in
            var found: [QuestionID: Question] = [:]
            for record in try QuestionRecord.fetchAll(db, keys: Array(ids)) { found[record.id] = try record.question() }
            return found
        }
    }

    /// Writes one attempt change; the journal calls this inside its transaction.
    static func write(_ change: CampaignChange, _ db: Database, encoder: JSONEncoder) throws {
        switch change {
        case .started(let attempt):
            let ref = attempt.ref
            try db.cachedStatement(
                sql: """
                    INSERT INTO campaignAttempt
                        (campaignId, memberId, seq, unitId, level, day, seed, startedAt, status, ladder)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'answering', ?)
                    """
            ).execute(arguments: [
                ref.campaignId, ref.memberId, ref.seq, attempt.unitId, attempt.level, attempt.day.description,
                Int64(bitPattern: attempt.seed), attempt.startedAt, attempt.ladder,
            ])
            let insert = try db.cachedStatement(
                sql:
                    "INSERT INTO campaignAttemptQuestion (campaignId, memberId, seq, idx, questionId) VALUES (?, ?, ?, ?, ?)"
            )
            for (index, questionId) in attempt.questionIds.enumerated() {
                try insert.execute(arguments: [ref.campaignId, ref.memberId, ref.seq, index, questionId])
            }
        case .served(let ref, let index, let at):
            try db.cachedStatement(
                sql:
                    "UPDATE campaignAttempt SET servedIndex = ?, servedAt = ? WHERE campaignId = ? AND memberId = ? AND seq = ?"
            ).execute(arguments: [index, at, ref.campaignId, ref.memberId, ref.seq])
        case .answered(let ref, let answer, let status, let endedAt):
            let text = try answer.answer.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
            try db.cachedStatement(
                sql: """
                    INSERT INTO campaignAnswer (campaignId, memberId, seq, idx, answer, correct, at, elapsedMs)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                ref.campaignId, ref.memberId, ref.seq, answer.index, text, answer.correctness == .correct, answer.at,
                answer.elapsedMilliseconds,
            ])
            try db.cachedStatement(
                sql: """
                    UPDATE campaignAttempt SET servedIndex = NULL, servedAt = NULL, status = ?, endedAt = ?
                    WHERE campaignId = ? AND memberId = ? AND seq = ?
                    """
            ).execute(arguments: [status.rawValue, endedAt, ref.campaignId, ref.memberId, ref.seq])
        case .ended(let ref, let status, let at):
            try db.cachedStatement(
                sql: """
                    UPDATE campaignAttempt SET servedIndex = NULL, servedAt = NULL, status = ?, endedAt = ?
                    WHERE campaignId = ? AND memberId = ? AND seq = ?
                    """
            ).execute(arguments: [status.rawValue, at, ref.campaignId, ref.memberId, ref.seq])
        }
    }
}
