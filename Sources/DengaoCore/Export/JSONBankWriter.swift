import Foundation

/// Writes Dengao's JSON schema (docs/formats.md).
enum JSONBankWriter {
    private struct Document: Encodable {
        var format = "dengao-bank"
        var version = 1
        var name: String
        var questions: [Record]
    }

    private struct Record: Encodable {
        var type: QuestionType
        var stem: String
        var options: [String]?
        var answer: Answer
        var explanation: String
        var difficulty: Int
        var category: String
        var tags: [String]
    }

    /// A single letter for 单选, letters for 多选, a boolean for 判断, accepted texts for 填空.
    private enum Answer: Encodable {
        case letter(String), letters([String]), truth(Bool), texts([String])

        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .letter(let letter): try container.encode(letter)
            case .letters(let letters): try container.encode(letters)
            case .truth(let truth): try container.encode(truth)
            case .texts(let texts): try container.encode(texts)
            }
        }
    }

    static func write(_ questions: [Question], bankName: String) -> Data {
        let records = questions.map { question in
            let answer: Answer =
                switch question.answer {
                case .choices(let indices) where question.type == .single:
                    .letter(String(Question.optionLetters[indices[0]]))
                case .choices(let indices): .letters(indices.map { String(Question.optionLetters[$0]) })
                case .truth(let truth): .truth(truth)
                case .texts(let texts): .texts(texts)
                }
            return Record(
                type: question.type, stem: question.stem, options: question.options.isEmpty ? nil : question.options,
                answer: answer, explanation: question.explanation, difficulty: question.difficulty,
                category: question.category, tags: question.tags)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and arrays cannot fail.
        return try! encoder.encode(Document(name: bankName, questions: records))
    }
}
