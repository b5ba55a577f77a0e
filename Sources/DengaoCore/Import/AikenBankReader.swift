import Foundation

/// Reads Aiken: a one-line stem, options "A." or "A)", then "ANSWER: X"; single choice only.
enum AikenBankReader {
    static func read(_ data: Data, maximumQuestions: Int = ImportLimits.questions) throws(ImportFailure) -> ParsedBank {
        let text = try TextDecoding.decode(data)
        var issues = IssueCollector()
        var questions: [LocatedQuestion] = []
        var current: RawQuestion?

        for (number, rawLine) in TextLines(text) {
            let line = FieldParsing.trimmed(rawLine)
            let location = SourceLocation.line(number)
            guard !line.isEmpty else { continue }
            if let answer = LinePatterns.labelled(line, labels: ["ANSWER"]) {
                guard var question = current else {
                    issues.error(location, "ANSWER 行前面没有题目 (ANSWER without a question before it)")
                    continue
                }
                guard questions.count < maximumQuestions else {
                    issues.error(question.location, ImportLimits.tooManyQuestions(maximumQuestions))
                    current = nil
                    break
                }
                question.answer = RawField(text: answer, location: location)
                if let built = QuestionBuilder.build(question, issues: &issues) {
                    questions.append(LocatedQuestion(question: built, location: question.location))
                }
                current = nil
            } else if let option = LinePatterns.option(line), current != nil {
                if option.index != current!.options.count {
                    let letter = Question.optionLetters[option.index]
                    issues.error(location, "选项 \(letter) 顺序不对 (option \(letter) is out of order)")
                }
                current!.options.append(RawField(text: option.text, location: location))
            } else {
                if let unfinished = current {
                    issues.error(unfinished.location, "缺少答案行 ANSWER (question has no ANSWER line)")
                }
                current = RawQuestion(location: location)
                current!.impliedType = .single
                current!.stem = RawField(text: line, location: location)
            }
        }
        if let unfinished = current { issues.error(unfinished.location, "缺少答案行 ANSWER (question has no ANSWER line)") }
        return try issues.finish(.aiken, questions)
    }
}
