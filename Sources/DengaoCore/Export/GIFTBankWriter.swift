import Foundation

/// Writes Moodle GIFT; difficulty and tags go into `//` comments above each question, which Moodle ignores.
enum GIFTBankWriter {
    static func write(_ questions: [Question], bankName: String) -> Data {
        var output = bankName.isEmpty ? "" : "// \(bankName) — exported by Dengao\n\n"
        var category: String?
        for (offset, question) in questions.enumerated() {
            if question.category != category {
                output += "$CATEGORY: \(question.category)\n\n"
                category = question.category
            }
            output += "// 难度: \(question.difficulty)\n"
            if !question.tags.isEmpty { output += "// 标签: \(question.tags.joined(separator: ","))\n" }
            output += "::\(offset + 1):: \(escaped(question.stem)) {"
            let feedback = question.explanation.isEmpty ? "" : "####\(escaped(question.explanation))"
            switch question.answer {
            case .truth(let value):
                output += (value ? "TRUE" : "FALSE") + feedback + "}\n\n"
            case .texts(let texts):
                output += texts.map { "=\(escaped($0))" }.joined(separator: " ") + feedback + "}\n\n"
            case .choices(let correct):
                output += "\n"
                for (index, option) in question.options.enumerated() {
                    let isCorrect = correct.contains(index)
                    if question.type == .single {
                        output += (isCorrect ? "=" : "~") + escaped(option) + "\n"
                    } else {
                        let weight = isCorrect ? percentage(100 / Double(correct.count)) : "-100"
                        output += "~%\(weight)%\(escaped(option))\n"
                    }
                }
                output += (feedback.isEmpty ? "" : feedback + "\n") + "}\n\n"
            }
        }
        return Data(output.utf8)
    }

    /// "50", "33.33333": Moodle accepts up to five decimals.
    private static func percentage(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.5f", value)
    }

    /// GIFT's special characters escaped with a backslash, line breaks as `\n`.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "~", "=", "#", "{", "}", ":", "\\": result += "\\\(character)"
            case "\n", "\r\n", "\r": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }
}
