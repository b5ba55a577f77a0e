import DengaoCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Stores `questions` as a new version of the bank `name`, creating the bank if needed; one transaction.
    /// A new bank gets `owner` (nil: the whole organization's) and `shared`; an existing one keeps its own.
    public func importBank(
        named name: String, questions: [Question], format: BankFormat, sourceName: String?,
        owner: UnitID? = nil, shared: Bool = false, at date: Date = Date()
    ) async throws -> BankVersionSummary {
        let name = try StorageRules.validatedBankName(name)
        return try await transaction { sql in
            // Creates the bank or locks its row: two imports of one name at once number their versions one after the
            // other, as they do behind SQLite's single writer.
            try await sql.execute(
                """
                INSERT INTO bank (name, createdAt, ownerUnitId, shared) VALUES (\(name), \(StoredDate.text(date)), \(owner), \(shared))
                ON CONFLICT (name) DO NOTHING
                """)
            guard
                let bankId = try await sql.value("SELECT id FROM bank WHERE name = \(name) FOR UPDATE", as: BankID.self)
            else {
                throw StorageError.bankNotFound(name)
            }
            let latest =
                try await sql.value("SELECT max(version) FROM bankVersion WHERE bankId = \(bankId)", as: Int?.self)
                ?? nil
            let version = (latest ?? 0) + 1
            guard
                let versionId = try await sql.value(
                    """
                    INSERT INTO bankVersion (bankId, version, sourceFormat, sourceName, questionCount, importedAt)
                    VALUES (\(bankId), \(version), \(format.rawValue), \(sourceName), \(questions.count), \(StoredDate.text(date)))
                    RETURNING id
                    """, as: BankVersionID.self)
            else { throw StorageError.corrupt("bank version insert returned no id") }
            // One statement per 1,000 questions (column arrays unnested), not one round trip per question.
            for start in stride(from: 0, to: questions.count, by: 1000) {
                let chunk = questions[start..<min(start + 1000, questions.count)]
                try await sql.execute(
                    """
                    INSERT INTO question
                        (bankVersionId, position, type, stem, options, answer, explanation, difficulty, category, tags)
                    SELECT \(versionId), * FROM unnest(
                        \(chunk.indices.map { Int64($0 + 1) }), \(chunk.map(\.type.rawValue)), \(chunk.map(\.stem)),
                        \(chunk.map { QuestionColumns.array($0.options) }), \(chunk.map { QuestionColumns.answer($0.answer) }),
                        \(chunk.map(\.explanation)), \(chunk.map { Int64($0.difficulty) }), \(chunk.map(\.category)),
                        \(chunk.map { QuestionColumns.array($0.tags) }))
                    """)
            }
            return BankVersionSummary(
                version: version, questionCount: questions.count, sourceFormat: format.rawValue, sourceName: sourceName,
                importedAt: StoredDate.date(StoredDate.text(date)) ?? date)
        }
    }

    /// Every bank with its latest version's counts, by name.
    public func banks() async throws -> [BankSummary] {
        try await read { sql in
            let tree = try await Self.orgTree(sql)
            var summaries: [BankSummary] = []
            for row in try await sql.rows(
                "SELECT \(unescaped: BankRow.columns) FROM bank ORDER BY name COLLATE \"C\"", as: BankRow.Columns.self)
            {
                summaries.append(try await Self.summary(of: BankRow(row), tree: tree, sql))
            }
            return summaries
        }
    }

    /// One bank's summary.
    public func bank(named name: String) async throws -> BankSummary {
        try await read { sql in try await Self.summary(of: Self.bankRow(named: name, sql), tree: Self.orgTree(sql), sql)
        }
    }

    /// Every version of a bank, newest first.
    public func versions(ofBank name: String) async throws -> [BankVersionSummary] {
        try await read { sql in
            let bank = try await Self.bankRow(named: name, sql)
            return try await sql.rows(
                "SELECT \(unescaped: VersionRow.columns) FROM bankVersion WHERE bankId = \(bank.id) ORDER BY version DESC",
                as: VersionRow.Columns.self
            ).map { try VersionRow($0).summary() }
        }
    }

    /// A page of a bank's questions (the latest version unless the query names one), filtered, in bank order.
    /// Text search is case-insensitive like SQLite's `LIKE` (`ILIKE`), with `%` and `_` taken literally.
    public func questions(ofBank name: String, matching query: QuestionQuery = QuestionQuery()) async throws
        -> QuestionPage
    {
        try await read { sql in
            let version = try await Self.versionRow(ofBank: Self.bankRow(named: name, sql), version: query.version, sql)
            var condition = PostgresQuery(unsafeSQL: "WHERE bankVersionId = $1")
            condition.binds.append(version.id)
            func add(_ clause: String, _ value: some PostgresDynamicTypeEncodable) {
                condition.binds.append(value)
                condition.sql += " AND " + clause.replacingOccurrences(of: "?", with: "$\(condition.binds.count)")
            }
            if let type = query.type { add("type = ?", type.rawValue) }
            if let category = query.category { add("category = ?", category) }
            if let range = query.difficulty {
                add("difficulty >= ?", Int64(range.lowerBound))
                add("difficulty <= ?", Int64(range.upperBound))
            }
            if let tag = query.tag {
                // Tags are a JSON array; jsonb_array_elements_text looks inside it (SQLite: json_each).
                add("EXISTS (SELECT 1 FROM jsonb_array_elements_text(tags::jsonb) AS t(value) WHERE t.value = ?)", tag)
            }
            if let text = query.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                let pattern = Self.containsPattern(text)
                add(
                    "(stem ILIKE ? ESCAPE '\\' OR options ILIKE $\(condition.binds.count + 1) ESCAPE '\\' OR explanation ILIKE $\(condition.binds.count + 1) ESCAPE '\\')",
                    pattern)
            }
            let total =
                try await sql.value(
                    PostgresQuery(unsafeSQL: "SELECT count(*) FROM question " + condition.sql, binds: condition.binds),
                    as: Int.self) ?? 0
            var page = condition
            page.sql =
                "SELECT \(QuestionText.Row.columns), position FROM question " + condition.sql
                + " ORDER BY position LIMIT \(max(0, query.limit)) OFFSET \(max(0, query.offset))"
            let rows = try await sql.rows(
                page, as: (QuestionID, String, String, String, String, String, Int, String, String, Int).self)
            return QuestionPage(
                version: version.version, total: total,
                questions: try rows.map { row in
                    let stored = QuestionText.Row((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8))
                    return StoredQuestion(id: row.0, number: row.9, question: try stored.question())
                })
        }
    }

    /// All questions of one version (the latest by default), in bank order; for export.
    public func allQuestions(ofBank name: String, version: Int? = nil) async throws -> (
        version: Int, questions: [Question]
    ) {
        let (number, rows) = try await read { sql in
            let record = try await Self.versionRow(ofBank: Self.bankRow(named: name, sql), version: version, sql)
            return (
                record.version,
                try await sql.rows(
                    "SELECT \(unescaped: QuestionText.Row.columns) FROM question WHERE bankVersionId = \(record.id) ORDER BY position",
                    as: (QuestionID, String, String, String, String, String, Int, String, String).self
                ).map(QuestionText.Row.init)
            )
        }
        return (number, try rows.map { try $0.question() })
    }

    /// Deletes a bank with all its versions and questions.
    public func deleteBank(named name: String) async throws {
        do {
            try await transaction { sql in
                let bank = try await Self.bankRow(named: name, sql)
                try await sql.execute("DELETE FROM bank WHERE id = \(bank.id)")
            }
        } catch let error as PostgresFailure where error.sqlState == "23503" {
            // The only constraint a bank's deletion can break: contests pin the question rows they drew, and
            // their results must keep meaning.
            throw StorageError.bankInUse(name)
        }
    }

    /// Who owns a bank and whether it is shared; nil when there is no such bank.
    public func bankOwnership(named name: String) async throws -> BankOwnership? {
        try await read { sql in
            try await sql.row("SELECT ownerUnitId, shared FROM bank WHERE name = \(name)", as: (UnitID?, Bool).self)
                .map { BankOwnership(ownerUnitId: $0.0, shared: $0.1) }
        }
    }

    /// Changes a bank's owner or sharing.
    public func updateBank(named name: String, ownerUnitId: UnitID?? = nil, shared: Bool? = nil) async throws
        -> BankSummary
    {
        try await transaction { sql in
            var bank = try await Self.bankRow(named: name, sql)
            if let ownerUnitId {
                if let unit = ownerUnitId, try await Self.orgTree(sql).unit(unit) == nil {
                    throw StorageError.unitNotFound(unit)
                }
                bank.ownerUnitId = ownerUnitId
            }
            if let shared { bank.shared = shared }
            try await sql.execute(
                "UPDATE bank SET ownerUnitId = \(bank.ownerUnitId), shared = \(bank.shared) WHERE id = \(bank.id)")
            return try await Self.summary(of: bank, tree: Self.orgTree(sql), sql)
        }
    }

    /// Whether the store holds any bank.
    public func hasBanks() async throws -> Bool {
        try await read { sql in try await sql.value("SELECT EXISTS (SELECT 1 FROM bank)", as: Bool.self) ?? false }
    }

    /// A LIKE pattern (`\` escapes) matching text that contains `text` literally: "100%" and "a_b" are no wildcards.
    static func containsPattern(_ text: String) -> String {
        "%"
            + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    private static func bankRow(named name: String, _ sql: SQL) async throws -> BankRow {
        guard
            let row = try await sql.row(
                "SELECT \(unescaped: BankRow.columns) FROM bank WHERE name = \(name)", as: BankRow.Columns.self)
        else { throw StorageError.bankNotFound(name) }
        return BankRow(row)
    }

    /// The given version of a bank, or its latest.
    private static func versionRow(ofBank bank: BankRow, version: Int?, _ sql: SQL) async throws -> VersionRow {
        let row =
            if let version {
                try await sql.row(
                    "SELECT \(unescaped: VersionRow.columns) FROM bankVersion WHERE bankId = \(bank.id) AND version = \(version)",
                    as: VersionRow.Columns.self)
            } else {
                try await sql.row(
                    "SELECT \(unescaped: VersionRow.columns) FROM bankVersion WHERE bankId = \(bank.id) ORDER BY version DESC LIMIT 1",
                    as: VersionRow.Columns.self)
            }
        guard let row else { throw StorageError.versionNotFound(bank: bank.name, version: version ?? 0) }
        return VersionRow(row)
    }

    private static func summary(of bank: BankRow, tree: OrgTree, _ sql: SQL) async throws -> BankSummary {
        let latest = try await versionRow(ofBank: bank, version: nil, sql)
        func counts(_ column: String) async throws -> [String: Int] {
            let rows = try await sql.rows(
                "SELECT CAST(\(unescaped: column) AS TEXT), count(*) FROM question WHERE bankVersionId = \(latest.id) GROUP BY \(unescaped: column)",
                as: (String, Int).self)
            return Dictionary(uniqueKeysWithValues: rows)
        }
        guard let createdAt = StoredDate.date(bank.createdAt) else {
            throw StorageError.corrupt("bank \(bank.id) has an unreadable date")
        }
        return BankSummary(
            id: bank.id, name: bank.name, createdAt: createdAt,
            owner: try bank.ownerUnitId.map { try unitRef($0, tree: tree) }, shared: bank.shared,
            latest: try latest.summary(),
            versionCount: try await sql.value(
                "SELECT count(*) FROM bankVersion WHERE bankId = \(bank.id)", as: Int.self) ?? 0,
            countsByType: try await counts("type"), countsByCategory: try await counts("category"),
            countsByDifficulty: try await counts("difficulty"))
    }
}

/// A `bank` row.
private struct BankRow {
    static let columns = "id, name, createdAt, ownerUnitId, shared"
    typealias Columns = (BankID, String, String, UnitID?, Bool)
    var id: BankID
    var name: String
    var createdAt: String
    var ownerUnitId: UnitID?
    var shared: Bool

    init(_ row: Columns) { (id, name, createdAt, ownerUnitId, shared) = row }
}

/// A `bankVersion` row.
private struct VersionRow {
    static let columns = "id, version, sourceFormat, sourceName, questionCount, importedAt"
    typealias Columns = (BankVersionID, Int, String, String?, Int, String)
    var id: BankVersionID
    var version: Int
    var sourceFormat: String
    var sourceName: String?
    var questionCount: Int
    var importedAt: String

    init(_ row: Columns) { (id, version, sourceFormat, sourceName, questionCount, importedAt) = row }

    func summary() throws -> BankVersionSummary {
        guard let date = StoredDate.date(importedAt) else {
            throw StorageError.corrupt("bank version \(id) has an unreadable date")
        }
        return BankVersionSummary(
            version: version, questionCount: questionCount, sourceFormat: sourceFormat, sourceName: sourceName,
            importedAt: date)
    }
}
