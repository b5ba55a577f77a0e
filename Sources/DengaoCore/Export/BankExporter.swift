import Foundation

/// Writes questions in any supported format; what it writes, `BankImporter` reads back as equal questions.
public enum BankExporter {
    /// A bank that the chosen format cannot hold, e.g. 多选 questions for Aiken.
    public struct Unrepresentable: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func export(
        _ questions: [Question], as format: BankFormat, bankName: String = ""
    ) throws(Unrepresentable) -> Data {
        switch format {
        case .xlsx: XLSXBankWriter.write(questions)
        case .csv: CSVBankWriter.write(questions)
        case .json: JSONBankWriter.write(questions, bankName: bankName)
        case .gift: GIFTBankWriter.write(questions, bankName: bankName)
        case .aiken: try AikenBankWriter.write(questions)
        case .text: PlainTextBankWriter.write(questions)
        }
    }
}

/// The template's columns, shared by the XLSX and CSV writers so both produce the same sheet.
enum TemplateColumns {
    /// Header names in template order, with as many option columns as the widest question needs (at least 4).
    static func header(optionCount: Int) -> [String] {
        ["题型", "题干"] + (0..<optionCount).map { "选项\(Question.optionLetters[$0])" }
            + ["答案", "解析", "难度", "分类", "标签"]
    }

    static func optionCount(_ questions: [Question]) -> Int {
        max(4, questions.map(\.options.count).max() ?? 0)
    }

    /// One row of cells, aligned with `header(optionCount:)`; the difficulty is returned apart so XLSX can store
    /// it as a number.
    static func cells(_ question: Question, optionCount: Int) -> (before: [String], difficulty: Int, after: [String]) {
        let options = (0..<optionCount).map { $0 < question.options.count ? question.options[$0] : "" }
        return (
            [question.type.chineseName, question.stem] + options + [question.answerText, question.explanation],
            question.difficulty,
            [question.category, question.tags.joined(separator: "、")]
        )
    }
}
