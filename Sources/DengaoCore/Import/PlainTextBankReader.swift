import Foundation

/// Reads the layout people paste from Word documents:
///
///     一、单选题
///     1. 中国共产党第一次全国代表大会于（ ）年召开。
///     A. 1919    B. 1921
///     答案：B
///     解析：……
///
/// Numbered stems (`1.` `1、` `（1）`), options `A.` `A、` `A．` (one per line or several on a line), `答案：`,
/// `解析：`, and optional `难度：` `分类：` `标签：` `题型：` lines; blank lines are optional. Section headings such
/// as "二、多选题" set the type of the questions under them; without one the type is inferred from the answer.
enum PlainTextBankReader {
    static func read(_ data: Data, maximumQuestions: Int = ImportLimits.questions) throws(ImportFailure) -> ParsedBank {
        let text = try TextDecoding.decode(data)
        var parser = Parser(maximumQuestions: maximumQuestions)
        for (number, line) in TextLines(text) where !parser.full {
            parser.read(FieldParsing.trimmed(line), at: number)
        }
        parser.finishQuestion()
        return try parser.issues.finish(.text, parser.questions)
    }

    private enum Field { case stem, option, answer, explanation, other }

    private struct Parser {
        let maximumQuestions: Int
        var issues = IssueCollector()
        var questions: [LocatedQuestion] = []
        var sectionType: QuestionType?
        var current: RawQuestion?
        var lastField = Field.other
        var ignoredPreamble: Int?
        /// The file holds more questions than a bank may; the rest is not read.
        var full = false

        mutating func read(_ line: String, at lineNumber: Int) {
            let location = SourceLocation.line(lineNumber)
            if line.isEmpty { return }
            if let type = PlainTextBankReader.sectionHeading(line) {
                finishQuestion()
                sectionType = type
                return
            }
            if let stem = PlainTextBankReader.numberedStem(line) {
                finishQuestion()
                var question = RawQuestion(location: location)
                question.impliedType = sectionType
                question.stem = RawField(text: stem, location: location)
                current = question
                lastField = .stem
                return
            }
            guard var question = current else {
                // Titles and instructions above the first question ("党章知识测试题（共50题）") are normal.
                if ignoredPreamble == nil {
                    ignoredPreamble = lineNumber
                    issues.warning(location, "第一道带题号的题目之前的文字已忽略 (text before the first numbered question ignored)")
                }
                return
            }
            defer { current = question }
            let field = { (text: String) in RawField(text: text, location: location) }
            if let answer = LinePatterns.labelled(line, labels: ["答案", "正确答案", "参考答案", "标准答案"]) {
                question.answer = field(answer)
                lastField = .answer
            } else if let explanation = LinePatterns.labelled(line, labels: ["解析", "答案解析", "试题解析"]) {
                question.explanation = field(explanation)
                lastField = .explanation
            } else if let value = LinePatterns.labelled(line, labels: ["难度"]) {
                question.difficulty = field(value)
                lastField = .other
            } else if let value = LinePatterns.labelled(line, labels: ["分类", "类别"]) {
                question.category = field(value)
                lastField = .other
            } else if let value = LinePatterns.labelled(line, labels: ["标签", "知识点"]) {
                question.tags = field(value)
                lastField = .other
            } else if let value = LinePatterns.labelled(line, labels: ["题型"]) {
                question.type = field(value)
                lastField = .other
            } else if lastField == .stem || lastField == .option, let options = LinePatterns.options(line) {
                for option in options {
                    if option.index != question.options.count {
                        // Past H there is no letter: repeated option lines can run a question past eight options
                        // (fuzz-text found the lookup of a ninth letter stopping the process).
                        let previous = question.options.count - 1
                        let before =
                            previous < 0
                            ? "nothing"
                            : previous < Question.optionLetters.count
                                ? String(Question.optionLetters[previous]) : "number \(previous + 1)"
                        let letter = Question.optionLetters[option.index]
                        issues.error(location, "选项 \(letter) 顺序不对 (option \(letter) follows option \(before))")
                    }
                    question.options.append(field(option.text))
                }
                lastField = .option
            } else {
                switch lastField {
                case .stem: question.stem?.text += "\n" + line
                case .option: question.options[question.options.count - 1].text += "\n" + line
                case .explanation: question.explanation?.text += "\n" + line
                case .answer, .other:
                    issues.error(
                        location,
                        "答案之后多出文字“\(line.prefix(40))”，每道题请以题号开头 "
                            + "(unexpected text \"\(line.prefix(40))\" after the answer; start questions with a number)"
                    )
                }
            }
        }

        mutating func finishQuestion() {
            guard var question = current else { return }
            current = nil
            lastField = .other
            if question.answer == nil, let stem = question.stem,
                let embedded = PlainTextBankReader.embeddedAnswer(in: stem.text)
            {
                question.stem?.text = embedded.stem
                question.answer = RawField(text: embedded.answer, location: stem.location)
            }
            guard questions.count < maximumQuestions else {
                issues.error(question.location, ImportLimits.tooManyQuestions(maximumQuestions))
                full = true
                return
            }
            if let built = QuestionBuilder.build(question, issues: &issues) {
                questions.append(LocatedQuestion(question: built, location: question.location))
            }
        }
    }

    private static var headingPattern: Regex<(Substring, Substring)> {
        /^(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+部分)?\s*(单项选择|单选|多项选择|多选|不定项选择|判断|是非|填空)题?.*$/
    }
    private static var numberPattern: Regex<(Substring, Substring)> {
        /^(?:\d{1,5}\s*[.、．)）](?!\d)|[（(]\d{1,5}[)）])\s*(.+)$/
    }
    private static var embeddedAnswerPattern: Regex<(Substring, Substring)> {
        /[（(]\s*([A-H]{1,8}|[√×✓✗对错])\s*[)）]/
    }

    /// The type a heading such as "二、多选题（每题2分）" announces.
    static func sectionHeading(_ line: String) -> QuestionType? {
        guard line.count <= 40, let match = line.wholeMatch(of: headingPattern) else { return nil }
        return FieldParsing.questionType(String(match.1))
    }

    /// The stem of a line that starts a numbered question.
    static func numberedStem(_ line: String) -> String? {
        line.wholeMatch(of: numberPattern).map { String($0.1) }
    }

    /// Word layouts often put the key in the stem's brackets, "于（B）年召开"; lift it out and leave the blank.
    static func embeddedAnswer(in stem: String) -> (stem: String, answer: String)? {
        guard let match = stem.matches(of: embeddedAnswerPattern).last else { return nil }
        var blanked = stem
        blanked.replaceSubrange(match.range, with: "（ ）")
        return (blanked, String(match.1))
    }
}
