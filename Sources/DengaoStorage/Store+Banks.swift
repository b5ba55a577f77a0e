import DengaoCore
import Foundation
import GRDB

extension Store {
    /// Stores `questions` as a new version of the bank `name`, creating the bank if needed; one transaction.
    /// A new bank gets `owner` (nil: the whole organization's) and `shared`; an existing one keeps its own.
    public func importBank(
        named name: String, questions: [Question], format: BankFormat, sourceName: String?,
        owner: UnitID? = nil, shared: Bool = false, at date: Date = Date()
    ) throws -> BankVersionSummary {
        let name = try Store.validatedBankName(name)
        return try pool.write { db in
            let version = try newVersion(
                ofBank: name, format: format, sourceName: sourceName, owner: owner, shared: shared, at: date,
                questionCount: questions.count, db)
            try QuestionInsert(db, versionId: version.id!).append(questions)
            return version.summary
        }
    }

    /// Every bank with its latest version's counts, by name.
    public func banks() throws -> [BankSummary] {
        try pool.read { db in
            let tree = try Store.orgTree(db)
            return try BankRecord.order(BankRecord.Columns.name).fetchAll(db).map {
                try summary(of: $0, tree: tree, db)
            }
        }
    }

    /// One bank's summary.
    public func bank(named name: String) throws -> BankSummary {
        try pool.read { db in try summary(of: bankRecord(named: name, db), tree: Store.orgTree(db), db) }
    }

    /// Every version of a bank, newest first.
    public func versions(ofBank name: String) throws -> [BankVersionSummary] {
        try pool.read { db in
            let bank = try bankRecord(named: name, db)
            return try BankVersionRecord.filter(BankVersionRecord.Columns.bankId == bank.id!)
                .order(BankVersionRecord.Columns.version.desc).fetchAll(db).map(\.summary)
        }
    }

    /// A page of a bank's questions (the latest version unless the query names one), filtered, in bank order.
    public func questions(ofBank name: String, matching query: QuestionQuery = QuestionQuery()) throws -> QuestionPage {
        try pool.read { db in
            let version = try versionRecord(ofBank: name, version: query.version, db)
            var request = QuestionRecord.filter(QuestionRecord.Columns.bankVersionId == version.id!)
            if let type = query.type { request = request.filter(QuestionRecord.Columns.type == type.rawValue) }
            if let category = query.category { request = request.filter(QuestionRecord.Columns.category == category) }
            if let range = query.difficulty {
                request = request.filter(range.contains(QuestionRecord.Columns.difficulty))
            }
            if let tag = query.tag {
                // Tags are a JSON array; json_each looks inside it.
                request = request.filter(
                    sql: "EXISTS (SELECT 1 FROM json_each(question.tags) WHERE value = ?)", arguments: [tag])
            }
            if let text = query.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                let pattern = Store.containsPattern(text)
                let columns = [
                    QuestionRecord.Columns.stem, QuestionRecord.Columns.options, QuestionRecord.Columns.explanation,
                ]
                request = request.filter(columns.map { $0.like(pattern, escape: "\\") }.joined(operator: .or))
            }
            let total = try request.fetchCount(db)
            let rows = try request.order(QuestionRecord.Columns.position)
                .limit(max(0, query.limit), offset: max(0, query.offset)).fetchAll(db)
            return QuestionPage(
                version: version.version, total: total,
                questions: try rows.map { StoredQuestion(id: $0.id, number: $0.position, question: try $0.question()) })
        }
    }

    /// All questions of one version (the latest by default), in bank order; for export.
    public func allQuestions(ofBank name: String, version: Int? = nil) throws -> (version: Int, questions: [Question]) {
        try pool.read { db in
            let record = try versionRecord(ofBank: name, version: version, db)
            let rows = try QuestionRecord.filter(QuestionRecord.Columns.bankVersionId == record.id!)
                .order(QuestionRecord.Columns.position).fetchAll(db)
            return (record.version, try rows.map { try $0.question() })
        }
    }

    /// Deletes a bank with all its versions and questions.
    public func deleteBank(named name: String) throws {
        do {
            try pool.write { db in
                let bank = try bankRecord(named: name, db)
                _ = try bank.delete(db)
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            // The only constraint a bank's deletion can break: contests pin the question rows they drew, and
            // their results must keep meaning.
            throw StorageError.bankInUse(name)
        }
    }

    /// Whether the store holds any bank.
    /// Who owns a bank and whether it is shared; nil when there is no such bank.
    public func bankOwnership(named name: String) throws -> BankOwnership? {
        try pool.read { db in
            try BankRecord.filter(BankRecord.Columns.name == name).fetchOne(db)
                .map { BankOwnership(ownerUnitId: $0.ownerUnitId, shared: $0.shared) }
        }
    }

    /// Changes a bank's owner or sharing.
    public func updateBank(named name: String, ownerUnitId: UnitID?? = nil, shared: Bool? = nil) throws -> BankSummary {
        try pool.write { db in
            var bank = try bankRecord(named: name, db)
            if let ownerUnitId {
                if let unit = ownerUnitId, try Store.orgTree(db).unit(unit) == nil {
                    throw StorageError.unitNotFound(unit)
                }
                bank.ownerUnitId = ownerUnitId
            }
            if let shared { bank.shared = shared }
            try bank.update(db)
            return try summary(of: bank, tree: Store.orgTree(db), db)
        }
    }

    public func hasBanks() throws -> Bool {
        try pool.read { db in try BankRecord.fetchCount(db) > 0 }
    }

    /// A bank name as stored (`StorageRules.validatedBankName`).
    public static func validatedBankName(_ name: String) throws -> String {
        try StorageRules.validatedBankName(name)
    }

    private func bankRecord(named name: String, _ db: Database) throws -> BankRecord {
        guard let bank = try BankRecord.filter(BankRecord.Columns.name == name).fetchOne(db) else {
            throw StorageError.bankNotFound(name)
        }
        return bank
    }

    private func versionRecord(ofBank name: String, version: Int?, _ db: Database) throws -> BankVersionRecord {
        try versionRecord(of: bankRecord(named: name, db), version: version, db)
    }

    /// The given version of a bank, or its latest.
    private func versionRecord(of bank: BankRecord, version: Int?, _ db: Database) throws -> BankVersionRecord {
        var request = BankVersionRecord.filter(BankVersionRecord.Columns.bankId == bank.id!)
        if let version { request = request.filter(BankVersionRecord.Columns.version == version) }
        guard let record = try request.order(BankVersionRecord.Columns.version.desc).fetchOne(db) else {
            throw StorageError.versionNotFound(bank: bank.name, version: version ?? 0)
        }
        return record
    }

    private func summary(of bank: BankRecord, tree: OrgTree, _ db: Database) throws -> BankSummary {
        let latest = try versionRecord(of: bank, version: nil, db)
        func counts(_ column: String) throws -> [String: Int] {
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT CAST(\(column) AS TEXT) AS k, COUNT(*) AS n FROM question
                    WHERE bankVersionId = ? GROUP BY \(column)
                    """,
                arguments: [latest.id])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["k"] as String, $0["n"] as Int) })
        }
        return BankSummary(
            id: bank.id!, name: bank.name, createdAt: bank.createdAt,
            owner: try bank.ownerUnitId.map { try Store.unitRef($0, tree: tree) }, shared: bank.shared,
            latest: latest.summary,
            versionCount: try BankVersionRecord.filter(BankVersionRecord.Columns.bankId == bank.id!).fetchCount(db),
            countsByType: try counts("type"), countsByCategory: try counts("category"),
            countsByDifficulty: try counts("difficulty"))
    }
}

extension BankVersionRecord {
    var summary: BankVersionSummary {
        BankVersionSummary(
            version: version, questionCount: questionCount, sourceFormat: sourceFormat, sourceName: sourceName,
            importedAt: importedAt)
    }
}
