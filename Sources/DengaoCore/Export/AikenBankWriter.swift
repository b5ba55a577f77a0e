import Foundation

/// Writes Aiken, which holds single-choice questions with one-line stems and options only.
enum AikenBankWriter {
    static func write(_ questions: [Question]) throws(BankExporter.Unrepresentable) -> Data {
        let others = questions.filter { $0.type != .single }
        guard others.isEmpty else {
            throw BankExporter.Unrepresentable(
                description: "Aiken holds only 单选 questions; this bank has \(others.count) of other types")
        }
        var output = ""
        for question in questions {
            guard case .choices(let correct) = question.answer else { continue }
            output += oneLine(question.stem) + "\n"
            for (index, option) in question.options.enumerated() {
                output += "\(Question.optionLetters[index]). \(oneLine(option))\n"
            }
            output += "ANSWER: \(Question.optionLetters[correct[0]])\n\n"
        }
        return Data(output.utf8)
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
