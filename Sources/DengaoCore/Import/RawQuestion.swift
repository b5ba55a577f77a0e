/// A piece of text read from a file, with where it was read.
struct RawField {
    var text: String
    var location: SourceLocation
}

/// A question as a line- or cell-oriented file spells it, before any interpretation.
///
/// The tabular (XLSX, CSV), plain-text and Aiken readers fill one of these per question and hand it to
/// `QuestionBuilder`, so all of them interpret answers, types and difficulties by the same rules.
struct RawQuestion {
    var location: SourceLocation
    var type: RawField?
    /// A type implied by the file's structure (a "二、多选题" heading, an Aiken file) when no field names one.
    var impliedType: QuestionType?
    var stem: RawField?
    /// Option texts in letter order, without gaps.
    var options: [RawField] = []
    var answer: RawField?
    var explanation: RawField?
    var difficulty: RawField?
    var category: RawField?
    var tags: RawField?

    init(location: SourceLocation) {
        self.location = location
    }

    func location(of field: Question.Field) -> SourceLocation {
        let raw: RawField? =
            switch field {
            case .type: type
            case .stem: stem
            case .options: options.first
            case .answer: answer
            case .explanation: explanation
            case .difficulty: difficulty
            case .category: category
            case .tags: tags
            }
        return raw?.location ?? location
    }
}

/// Turns raw questions into validated questions, recording located errors instead of stopping at the first.
enum QuestionBuilder {
    static func build(_ raw: RawQuestion, issues: inout IssueCollector) -> Question? {
        let errorsBefore = issues.errors.count
        func fail(_ field: Question.Field, _ message: String) {
            issues.error(raw.location(of: field), message)
        }

        let optionTexts = raw.options.map { FieldParsing.cleaned($0.text) }
        let answerText = raw.answer.map { FieldParsing.trimmed($0.text) } ?? ""
        let stem = raw.stem.map { FieldParsing.cleaned($0.text) } ?? ""

        var type: QuestionType
        if let typeField = raw.type, !FieldParsing.trimmed(typeField.text).isEmpty {
            guard let named = FieldParsing.questionType(FieldParsing.trimmed(typeField.text)) else {
                fail(.type, "未知题型“\(typeField.text)”，请用 单选、多选、判断 或 填空 (unknown question type \"\(typeField.text)\")")
                return nil
            }
            type = named
        } else if let implied = raw.impliedType {
            type = implied
        } else {
            type = inferredType(options: optionTexts, answer: answerText)
        }

        if answerText.isEmpty {
            fail(.answer, "答案为空 (the answer is missing)")
            return nil
        }

        var options = optionTexts
        let answer: AnswerKey
        switch type {
        case .single, .multiple:
            guard let indices = FieldParsing.optionIndices(answerText) else {
                fail(.answer, "“\(answerText)”不是选项字母，请写如 B 或 ABD (\"\(answerText)\" is not option letters)")
                return nil
            }
            answer = .choices(indices)
        case .trueFalse:
            guard let truth = FieldParsing.truth(answerText) ?? truthFromOptionLetter(answerText, options) else {
                fail(
                    .answer,
                    "“\(answerText)”不是判断题答案，请写 对/错、正确/错误、√/× 或 T/F (\"\(answerText)\" is not a true/false answer)")
                return nil
            }
            answer = .truth(truth)
            // Templates often spell 判断 as two options 正确/错误; the key already says which one.
            if options.count == 2, options.allSatisfy({ FieldParsing.truth($0) != nil }) { options = [] }
        case .fill:
            answer = .texts(FieldParsing.acceptedAnswers(answerText))
        }

        var difficulty = Question.defaultDifficulty
        if let field = raw.difficulty, !FieldParsing.trimmed(field.text).isEmpty {
            guard let parsed = FieldParsing.difficulty(FieldParsing.trimmed(field.text)) else {
                fail(.difficulty, "“\(field.text)”不是难度，请写 1–5 或 易/较易/中等/较难/难 (\"\(field.text)\" is not a difficulty)")
                return nil
            }
            difficulty = parsed
        }

        let question = Question(
            type: type, stem: stem, options: options, answer: answer,
            explanation: raw.explanation.map { FieldParsing.cleaned($0.text) } ?? "",
            difficulty: difficulty,
            category: raw.category.map { FieldParsing.trimmed($0.text) } ?? "",
            tags: raw.tags.map { FieldParsing.tags($0.text) } ?? [])
        for problem in question.problems {
            fail(problem.field, problem.message)
        }
        return issues.errors.count == errorsBefore ? question : nil
    }

    /// The type a row means when it names none: options make it a choice, a truth word a 判断, anything else a 填空.
    static func inferredType(options: [String], answer: String) -> QuestionType {
        if !options.isEmpty {
            if options.count == 2, options.allSatisfy({ FieldParsing.truth($0) != nil }),
                FieldParsing.optionIndices(answer)?.count == 1 || FieldParsing.truth(answer) != nil
            {
                return .trueFalse
            }
            return (FieldParsing.optionIndices(answer)?.count ?? 1) > 1 ? .multiple : .single
        }
        return FieldParsing.truth(answer) != nil ? .trueFalse : .fill
    }

    /// "A" when option A reads 正确 means true: how templates that list 判断 as two options give the key.
    private static func truthFromOptionLetter(_ answer: String, _ options: [String]) -> Bool? {
        guard let indices = FieldParsing.optionIndices(answer), indices.count == 1, indices[0] < options.count
        else { return nil }
        return FieldParsing.truth(options[indices[0]])
    }
}
