import Foundation

/// A question as every backend stores it: options and tags as JSON arrays of strings, the key as `{"choices":[1]}`,
/// `{"truth":true}` or `{"texts":["a"]}`. One encoding, so a database copied from one backend to another is the
/// same text and either reads the other's rows.
public enum QuestionColumns {
    /// JSON text for an array of strings, written directly: an import of 100k questions writes 300k small arrays,
    /// and `JSONEncoder` per array costs more than the whole insert.
    public static func array(_ strings: [String]) -> String {
        // Bytes, not `String` appends per scalar: the 100k-question import spent a tenth of its time here.
        var output: [UInt8] = [UInt8(ascii: "[")]
        output.reserveCapacity(strings.reduce(2) { $0 + $1.utf8.count + 3 })
        for (index, string) in strings.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output.append(UInt8(ascii: "\""))
            for byte in string.utf8 {
                switch byte {
                case UInt8(ascii: "\""): output += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
                case UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case UInt8(ascii: "\n"): output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case UInt8(ascii: "\r"): output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case UInt8(ascii: "\t"): output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case 0..<0x20:
                    output += Array("\\u00".utf8)
                    output.append(hexDigits[Int(byte >> 4)])
                    output.append(hexDigits[Int(byte & 0x0F)])
                default: output.append(byte)
                }
            }
            output.append(UInt8(ascii: "\""))
        }
        output.append(UInt8(ascii: "]"))
        return String(decoding: output, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

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
        id: QuestionID, type: String, stem: String, options: String, answer: String, explanation: String,
        difficulty: Int,
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
