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

    /// One row of cells, aligned with `header(optionCount:)`; the difficulty is a number cell.
    static func cells(_ question: Question, optionCount: Int) -> [Spreadsheet.Cell] {
        let options = (0..<optionCount).map { $0 < question.options.count ? question.options[$0] : "" }
        let before =
            [question.type.chineseName, question.stem] + options + [question.answerText, question.explanation]
        return before.map(Spreadsheet.Cell.text) + [.number(question.difficulty)]
            + [.text(question.category), .text(question.tags.joined(separator: "、"))]
    }

    /// The whole bank as the template's one sheet, 题库.
    static func sheet(_ questions: [Question]) -> Spreadsheet.Sheet {
        let optionCount = optionCount(questions)
        let header = header(optionCount: optionCount)
        let widths = header.map { name in
            switch name {
            case "题干", "解析": 60
            case "题型", "答案", "难度": 8
            default: 18
            }
        }
        return Spreadsheet.Sheet(
            name: "题库", header: header, rows: questions.map { cells($0, optionCount: optionCount) }, widths: widths)
    }
}
