import Foundation

/// A question as every backend stores it: options and tags as JSON arrays of strings, the key as `{"choices":[1]}`,
/// `{"truth":true}` or `{"texts":["a"]}`. One encoding, so a database copied from one backend to another is the
/// same text and either reads the other's rows.
public enum QuestionColumns {
    /// JSON text for an array of strings, written directly: an import of 100k questions writes 300k small arrays,
    /// and `JSONEncoder` per array costs more than the whole insert.
    public static func array(_ strings: [String]) -> String {
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

    /// The stored answer column.
    public static func answer(_ answer: AnswerKey) -> String {
        switch answer {
        case .choices(let indices): "{\"choices\":[\(indices.map(String.init).joined(separator: ","))]}"
        case .truth(let truth): "{\"truth\":\(truth)}"
        case .texts(let texts): "{\"texts\":\(array(texts))}"
        }
    }

    private struct StoredAnswer: Decodable {
        var choices: [Int]?
        var truth: Bool?
        var texts: [String]?
    }

    /// The domain question of a stored row; a row that does not decode is a damaged database, reported as such.
    public static func question(
        id: Int64, type: String, stem: String, options: String, answer: String, explanation: String, difficulty: Int,
        category: String, tags: String
    ) throws -> Question {
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
