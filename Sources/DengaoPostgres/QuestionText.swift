import DengaoCore
import Foundation

/// Questions as the SQLite store writes them (`QuestionRecord`, `JSONText`): options and tags as JSON arrays of
/// strings, the key as `{"choices":[1]}`, `{"truth":true}` or `{"texts":["a"]}`. The same text on both backends keeps
/// a copied database identical and lets either read the other's rows.
enum QuestionText {
    /// The stored answer column.
    static func answer(_ answer: AnswerKey) -> String {
        switch answer {
        case .choices(let indices): "{\"choices\":[\(indices.map(String.init).joined(separator: ","))]}"
        case .truth(let truth): "{\"truth\":\(truth)}"
        case .texts(let texts): "{\"texts\":\(array(texts))}"
        }
    }

    /// JSON text for an array of strings, escaped exactly as the SQLite store's `JSONText.array`.
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

    private struct StoredAnswer: Decodable {
        var choices: [Int]?
        var truth: Bool?
        var texts: [String]?
    }

    /// A question row's columns as read back; `question()` is the domain question.
    struct Row {
        var id: Int64
        var type: String
        var stem: String
        var options: String
        var answer: String
        var explanation: String
        var difficulty: Int
        var category: String
        var tags: String

        /// The columns `Row` reads, in order, for `SELECT`s.
        static let columns = "id, type, stem, options, answer, explanation, difficulty, category, tags"

        init(_ columns: (Int64, String, String, String, String, String, Int, String, String)) {
            (id, type, stem, options, answer, explanation, difficulty, category, tags) = columns
        }

        /// The domain question; a row that does not decode is a damaged database, reported as such.
        func question() throws -> Question {
            let decoder = JSONDecoder()
            guard let stored = try? decoder.decode(StoredAnswer.self, from: Data(answer.utf8)),
                let options = try? decoder.decode([String].self, from: Data(options.utf8)),
                let tags = try? decoder.decode([String].self, from: Data(tags.utf8))
            else { throw StorageError.corrupt("question \(id) has an unreadable answer") }
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
                type: questionType, stem: stem, options: options, answer: key, explanation: explanation,
                difficulty: difficulty, category: category, tags: tags)
        }
    }
}
