import DengaoCore
import Foundation
import PostgresNIO

/// A `campaign` row with its set-aside reason, as one `SELECT` reads it.
private enum CampaignRow {
    static let select = """
        SELECT c.id, c.title, c.ownerUnitId, c.settings, c.seed, c.createdAt,
            (SELECT reason FROM roomSetAside r WHERE r.kind = 'campaign' AND r.entityId = c.id)
        FROM campaign c
        """
    typealias Columns = (CampaignID, String, UnitID?, String, Int64, String, String?)

    /// The row as the console sees it, as the SQLite store's `CampaignRecord.summary`: settings that cannot be read
    /// (or name no valid calendar) leave the campaign listed but set aside, with the reason.
    static func summary(_ row: Columns) throws -> CampaignSummary {
        let (id, title, ownerUnitId, settingsText, seed, createdAt, reason) = row
        var setAside = reason
        var settings = CampaignSettings(title: title, startDate: "", endDate: "", banks: [], levels: [])
        if let decoded = try? JSONDecoder().decode(CampaignSettings.self, from: Data(settingsText.utf8)) {
            settings = decoded
            if decoded.calendar == nil { setAside = setAside ?? "活动日期或时区无法读取 (the campaign's dates are unreadable)" }
        } else {
            setAside = setAside ?? "活动设置无法读取 (the campaign's settings are unreadable)"
        }
        guard let created = StoredDate.date(createdAt) else {
            throw StorageError.corrupt("campaign \(id) has an unreadable date")
        }
        return CampaignSummary(
            id: id, title: title, ownerUnitId: ownerUnitId, settings: settings, seed: UInt64(bitPattern: seed),
            createdAt: created, setAside: setAside)
    }
}

extension PostgresStore {
    static func campaignSummaries(where condition: PostgresQuery, _ sql: SQL) async throws -> [CampaignSummary] {
        let query = PostgresQuery(unsafeSQL: CampaignRow.select + " " + condition.sql, binds: condition.binds)
        return try await sql.rows(query, as: CampaignRow.Columns.self).map(CampaignRow.summary)
    }

    public func createCampaign(_ new: NewCampaign, now: Date = Date()) async throws -> CampaignSummary {
        let settingsJSON = String(decoding: try JSONEncoder().encode(new.settings), as: UTF8.self)
        return try await transaction { sql in
            guard
                let id = try await sql.value(
                    """
                    INSERT INTO campaign (title, ownerUnitId, createdById, settings, seed, displayTokenHash, createdAt)
                    VALUES (\(new.settings.title.trimmingCharacters(in: .whitespaces)), \(new.ownerUnitId), \(new.createdById),
                        \(settingsJSON), \(Int64(bitPattern: new.seed)), \(new.displayTokenHash), \(StoredDate.text(now)))
                    RETURNING id
                    """, as: CampaignID.self)
            else { throw StorageError.corrupt("campaign insert returned no id") }
            return try await Self.campaignSummaries(where: "WHERE c.id = \(id)", sql)[0]
        }
    }

    public func campaign(id: CampaignID) async throws -> CampaignSummary? {
        try await read { sql in try await Self.campaignSummaries(where: "WHERE c.id = \(id)", sql).first }
    }

    /// The campaign a display token opens.
    public func campaign(displayTokenHash hash: String) async throws -> CampaignSummary? {
        try await read { sql in try await Self.campaignSummaries(where: "WHERE c.displayTokenHash = \(hash)", sql).first
        }
    }

    /// Campaigns owned by any of `units` (all campaigns when nil), newest first.
    public func campaigns(ownedBy units: Set<UnitID>?) async throws -> [CampaignSummary] {
        try await read { sql in
            if let units {
                return try await Self.campaignSummaries(
                    where: "WHERE c.ownerUnitId = ANY(\(Array(units))) ORDER BY c.id DESC", sql)
            }
            return try await Self.campaignSummaries(where: "ORDER BY c.id DESC", sql)
        }
    }

    public func replaceDisplayToken(ofCampaign id: CampaignID, hash: String) async throws {
        try await transaction { sql in
            let changed = try await sql.count(
                "UPDATE campaign SET displayTokenHash = \(hash) WHERE id = \(id) RETURNING 1")
            if changed == 0 { throw StorageError.campaignNotFound(id) }
        }
    }

    /// Every member's placements and active spans over time, with their numbers and names (unless `people` is
    /// false: counting needs no names), read in one snapshot: what a campaign's roster on any day is computed from.
    public func rosterHistory(people readPeople: Bool = true) async throws -> Participation.History {
        func milliseconds(_ text: String) throws -> Int64 {
            guard let date = StoredDate.date(text) else {
                throw StorageError.corrupt("a roster date is unreadable: \(text)")
            }
            return Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        }
        let (people, placementRows, spanRows, categoryRows) = try await read { sql in
            (
                readPeople
                    ? try await sql.rows("SELECT id, number, name FROM member", as: (MemberID, String, String).self)
                    : [],
                try await sql.rows(
                    "SELECT memberId, unitId, since, until FROM memberPlacement",
                    as: (MemberID, UnitID, String, String?).self),
                try await sql.rows(
                    "SELECT memberId, since, until FROM memberActiveSpan", as: (MemberID, String, String?).self),
                try await sql.rows(
                    "SELECT memberId, categoryId, since, until FROM memberCategorySpan",
                    as: (MemberID, MemberCategoryID, String, String?).self)
            )
        }
        var byId: [MemberID: Participation.History.Person] = [:]
        for (id, number, name) in people { byId[id] = Participation.History.Person(number: number, name: name) }
        let placements = try placementRows.map { memberId, unitId, since, until in
            Participation.Placement(
                memberId: memberId, unitId: unitId, since: try milliseconds(since), until: try until.map(milliseconds))
        }
        let spans = try spanRows.map { memberId, since, until in
            Participation.ActiveSpan(
                memberId: memberId, since: try milliseconds(since), until: try until.map(milliseconds))
        }
        let categories = try categoryRows.map { memberId, categoryId, since, until in
            Participation.CategorySpan(
                memberId: memberId, categoryId: categoryId, since: try milliseconds(since),
                until: try until.map(milliseconds))
        }
        return Participation.History(
            people: byId, placements: placements, activeSpans: spans, categorySpans: categories)
    }

    /// Every attempt of a campaign with its answers, in the order members made them.
    public func campaignAttempts(_ campaignId: CampaignID) async throws -> [StoredAttempt] {
        let (answerRows, questionRows, attemptRows) = try await read { sql in
            (
                try await sql.rows(
                    """
                    SELECT memberId, seq, idx, answer, correct, at, elapsedMs FROM campaignAnswer
                    WHERE campaignId = \(campaignId) ORDER BY memberId, seq, idx
                    """, as: (MemberID, Int, Int, String?, Bool, Int64, Int).self),
                try await sql.rows(
                    """
                    SELECT memberId, seq, questionId FROM campaignAttemptQuestion
                    WHERE campaignId = \(campaignId) ORDER BY memberId, seq, idx
                    """, as: (MemberID, Int, QuestionID).self),
                try await sql.rows(
                    """
                    SELECT memberId, seq, unitId, level, day, seed, startedAt, status, endedAt, servedIndex, servedAt,
                        ladder
                    FROM campaignAttempt WHERE campaignId = \(campaignId) ORDER BY startedAt, memberId, seq
                    """, as: (MemberID, Int, UnitID, Int, String, Int64, Int64, String, Int64?, Int?, Int64?, Int).self)
            )
        }
        var answers: [AttemptRef: [AttemptAnswer]] = [:]
        for (memberId, seq, index, text, correct, at, elapsed) in answerRows {
            let ref = AttemptRef(campaignId: campaignId, memberId: memberId, seq: seq)
            // NULL: the question's time ran out.
            var answer: PlayerAnswer? = nil
            if let text {
                guard let decoded = try? JSONDecoder().decode(PlayerAnswer.self, from: Data(text.utf8)) else {
                    throw StorageError.corrupt("campaign \(campaignId) has an unreadable answer")
                }
                answer = decoded
            }
            answers[ref, default: []].append(
                AttemptAnswer(
                    index: index, answer: answer, correctness: correct ? .correct : .wrong, at: at,
                    elapsedMilliseconds: elapsed))
        }
        var questions: [AttemptRef: [QuestionID]] = [:]
        for (memberId, seq, questionId) in questionRows {
            questions[AttemptRef(campaignId: campaignId, memberId: memberId, seq: seq), default: []].append(questionId)
        }
        return try attemptRows.map { row in
            let (
                memberId, seq, unitId, level, dayText, seed, startedAt, statusText, endedAt, servedIndex, servedAt,
                ladder
            ) = row
            let ref = AttemptRef(campaignId: campaignId, memberId: memberId, seq: seq)
            guard let day = CampaignDay(dayText), let status = AttemptStatus(rawValue: statusText) else {
                throw StorageError.corrupt("campaign \(campaignId) attempt \(memberId)/\(seq)")
            }
            let started = StartedAttempt(
                ref: ref, unitId: unitId, level: level, day: day, seed: UInt64(bitPattern: seed),
                questionIds: questions[ref] ?? [],
                startedAt: startedAt, ladder: ladder)
            return StoredAttempt(
                started: started, status: status, endedAt: endedAt, servedIndex: servedIndex, servedAt: servedAt,
                answers: answers[ref] ?? [])
        }
    }

    /// Questions by row id, keys included: for the campaign's actor only.
    public func questions(ids: Set<QuestionID>) async throws -> [QuestionID: Question] {
        let rows = try await read { sql in
            try await sql.rows(
                "SELECT \(unescaped: QuestionText.Row.columns) FROM question WHERE id = ANY(\(Array(ids)))",
                as: (QuestionID, String, String, String, String, String, Int, String, String).self
            ).map(QuestionText.Row.init)
        }
        var found: [QuestionID: Question] = [:]
        for row in rows { found[row.id] = try row.question() }
        return found
    }
}
