import Foundation

/// Writes the Word layout: a heading per run of one type ("一、单选题"), numbered stems, labelled lines.
enum PlainTextBankWriter {
    private static let numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]

    static func write(_ questions: [Question]) -> Data {
        // No title line: the reader would report it as text before the first question.
        var output = ""
        var sectionType: QuestionType?
        var sections = 0
        for (offset, question) in questions.enumerated() {
            if question.type != sectionType {
                let numeral = sections < numerals.count ? numerals[sections] : String(sections + 1)
                output += "\(numeral)、\(question.type.chineseName)题\n\n"
                sections += 1
                sectionType = question.type
            }
            output += "\(offset + 1). \(question.stem)\n"
            for (index, option) in question.options.enumerated() {
                output += "\(Question.optionLetters[index]). \(option)\n"
            }
            output += "答案：\(question.answerText)\n"
            if !question.explanation.isEmpty { output += "解析：\(question.explanation)\n" }
            output += "难度：\(question.difficulty)\n"
            if !question.category.isEmpty { output += "分类：\(question.category)\n" }
            if !question.tags.isEmpty { output += "标签：\(question.tags.joined(separator: "、"))\n" }
            output += "\n"
        }
        return Data(output.utf8)
    }
}
