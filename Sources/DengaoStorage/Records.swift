import DengaoCore
import Foundation
import GRDB

/// A row of `bank`.
struct BankRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "bank"
    var id: BankID?
    var name: String
    var createdAt: Date
    var ownerUnitId: UnitID?
    var shared: Bool

    enum Columns {
        static let name = Column(CodingKeys.name)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = BankID(inserted.rowID) }
}

/// A row of `bankVersion`: one import of a bank.
struct BankVersionRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "bankVersion"
    var id: BankVersionID?
    var bankId: BankID
    var version: Int
    var sourceFormat: String
    var sourceName: String?
    var questionCount: Int
    var importedAt: Date

    enum Columns {
        static let bankId = Column(CodingKeys.bankId)
        static let version = Column(CodingKeys.version)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = BankVersionID(inserted.rowID) }
}

/// A row of `question`, in `QuestionColumns`' encoding.
struct QuestionRecord: Codable, FetchableRecord, TableRecord {
    static let databaseTableName = "question"
    var id: QuestionID
    var bankVersionId: BankVersionID
    var position: Int
    var type: String
    var stem: String
    var options: String
    var answer: String
    var explanation: String
    var difficulty: Int
    var category: String
    var tags: String

    enum Columns {
        static let bankVersionId = Column(CodingKeys.bankVersionId)
        static let position = Column(CodingKeys.position)
        static let type = Column(CodingKeys.type)
        static let stem = Column(CodingKeys.stem)
        static let options = Column(CodingKeys.options)
        static let explanation = Column(CodingKeys.explanation)
        static let difficulty = Column(CodingKeys.difficulty)
        static let category = Column(CodingKeys.category)
    }

    /// The domain question; a row that does not decode is a corrupt database, reported as such.
    func question() throws -> Question {
        try QuestionColumns.question(
            id: id, type: type, stem: stem, options: options, answer: answer, explanation: explanation,
            difficulty: difficulty, category: category, tags: tags)
    }
}
