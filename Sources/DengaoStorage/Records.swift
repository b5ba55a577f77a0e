import DengaoCore
import Foundation
import GRDB

/// A row of `bank`.
struct BankRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "bank"
    var id: Int64?
    var name: String
    var createdAt: Date
    var ownerUnitId: Int64?
    var shared: Bool

    enum Columns {
        static let name = Column(CodingKeys.name)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `bankVersion`: one import of a bank.
struct BankVersionRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "bankVersion"
    var id: Int64?
    var bankId: Int64
    var version: Int
    var sourceFormat: String
    var sourceName: String?
    var questionCount: Int
    var importedAt: Date

    enum Columns {
        static let bankId = Column(CodingKeys.bankId)
        static let version = Column(CodingKeys.version)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `question`. Arrays are stored as JSON text, written by `JSONText` for import speed.
struct QuestionRecord: Codable, FetchableRecord, TableRecord {
    static let databaseTableName = "question"
    var id: Int64
    var bankVersionId: Int64
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

    /// The stored answer column: `{"choices":[1]}`, `{"truth":true}` or `{"texts":["a"]}`.
    static func answerJSON(_ answer: AnswerKey) -> String {
        switch answer {
        case .choices(let indices): "{\"choices\":[\(indices.map(String.init).joined(separator: ","))]}"
        case .truth(let truth): "{\"truth\":\(truth)}"
        case .texts(let texts): "{\"texts\":\(JSONText.array(texts))}"
        }
    }

    private struct StoredAnswer: Decodable {
        var choices: [Int]?
        var truth: Bool?
        var texts: [String]?
    }

    /// The domain question; a row that does not decode is a corrupt database, reported as such.
    func question() throws -> Question {
        let decoder = JSONDecoder()
        let stored = try decoder.decode(StoredAnswer.self, from: Data(answer.utf8))
        let key: AnswerKey
        if let choices = stored.choices {
            key = .choices(choices)
        } else if let truth = stored.truth {
            key = .truth(truth)
        } else if let texts = stored.texts {
            key = .texts(texts)
        } else {
            throw StorageError.corrupt("question \(id) has an unreadable answer")
        }
        guard let questionType = QuestionType(rawValue: type) else {
            throw StorageError.corrupt("question \(id) has unknown type \(type)")
        }
        return Question(
            type: questionType, stem: stem, options: try decoder.decode([String].self, from: Data(options.utf8)),
            answer: key, explanation: explanation, difficulty: difficulty, category: category,
            tags: try decoder.decode([String].self, from: Data(tags.utf8)))
    }
}

/// JSON text for arrays of strings, written directly: an import of 100k questions writes 300k small arrays, and
/// `JSONEncoder` per array costs more than the whole SQLite insert.
enum JSONText {
    static func array(_ strings: [String]) -> String {
        var output = "["
        for (index, string) in strings.enumerated() {
            if index > 0 { output += "," }
            output += "\""
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": output += "\\\""
                case "\\": output += "\\\\"
                case "\n": output += "\\n"
                case "\r": output += "\\r"
                case "\t": output += "\\t"
                case _ where scalar.value < 0x20:
                    output +=
                        "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                default: output.unicodeScalars.append(scalar)
                }
            }
            output += "\""
        }
        return output + "]"
    }
}
