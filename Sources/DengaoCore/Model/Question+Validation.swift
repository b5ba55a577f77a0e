extension Question {
    /// Which field of a question a problem concerns, so importers can point at the cell or line.
    public enum Field: String, Sendable {
        case type, stem, options, answer, explanation, difficulty, category, tags
    }

    /// A rule the question breaks, tied to the field that breaks it.
    public struct Problem: Hashable, Sendable {
        public var field: Field
        public var message: String
    }

    /// Every rule the question breaks; empty when it may be stored.
    ///
    /// Importers check their own syntax first; this is the one place the model's invariants live, so a question
    /// from any format (or from the API) is held to the same rules.
    public var problems: [Problem] {
        var problems: [Problem] = []
        func add(_ field: Field, _ message: String) { problems.append(Problem(field: field, message: message)) }

        if stem.isEmpty { add(.stem, "题干为空 (the stem is empty)") }
        // Counting characters walks grapheme clusters; the byte count rules most texts out first.
        for (field, text) in [(Field.stem, stem), (.explanation, explanation), (.category, category)]
        where text.utf8.count > Question.maximumFieldLength && text.count > Question.maximumFieldLength {
            add(
                field,
                "文字有 \(text.count) 个字，上限 \(Question.maximumFieldLength) (text is \(text.count) characters long; the limit is \(Question.maximumFieldLength))"
            )
        }
        if !Question.difficultyRange.contains(difficulty) {
            add(.difficulty, "难度 \(difficulty) 不在 1–5 之间 (difficulty \(difficulty) is outside 1–5)")
        }
        switch type {
        case .single, .multiple:
            if !Question.optionCountRange.contains(options.count) {
                add(
                    .options,
                    "\(type.chineseName)题需要 2–8 个选项，现有 \(options.count) 个 (needs 2–8 options, found \(options.count))")
            }
            if let blank = options.firstIndex(where: \.isEmpty) {
                add(
                    .options,
                    "选项 \(Question.optionLetters[min(blank, 7)]) 为空 (option \(Question.optionLetters[min(blank, 7)]) is empty)"
                )
            }
            guard case .choices(let indices) = answer else {
                add(.answer, "选择题的答案须为选项字母 (a choice question needs option letters as its answer)")
                break
            }
            if let outside = indices.first(where: { $0 < 0 || $0 >= options.count }) {
                let letter = outside >= 0 && outside < 8 ? String(Question.optionLetters[outside]) : "#\(outside + 1)"
                add(
                    .answer,
                    "答案“\(letter)”，但只有选项 \(Question.letterRange(options.count)) (\"\(letter)\" but only options \(Question.letterRange(options.count)))"
                )
            }
            if type == .single && indices.count != 1 {
                add(
                    .answer,
                    "单选题须恰有一个正确选项，现有 \(indices.count) 个 (single choice needs exactly one correct option, found \(indices.count))"
                )
            }
            if type == .multiple && indices.count < 2 {
                add(
                    .answer,
                    "多选题至少要两个正确选项，现有 \(indices.count) 个 (multiple choice needs at least two correct options, found \(indices.count))"
                )
            }
        case .trueFalse:
            if !options.isEmpty { add(.options, "判断题没有选项 (true/false takes no options)") }
            if case .truth = answer {} else { add(.answer, "判断题的答案须为 对 或 错 (true/false needs 对 or 错 as its answer)") }
        case .fill:
            if !options.isEmpty { add(.options, "填空题没有选项 (fill-in takes no options)") }
            if case .texts(let texts) = answer {
                if texts.isEmpty || texts.contains(where: \.isEmpty) {
                    add(.answer, "填空题至少要一个答案，且不能为空 (fill-in needs at least one accepted answer, none may be empty)")
                }
            } else {
                add(.answer, "填空题需要答案文字 (fill-in needs the accepted answer text)")
            }
        }
        return problems
    }

    /// "A–D" for four options, "A" for one, "none" for zero.
    static func letterRange(_ count: Int) -> String {
        switch count {
        case ..<1: "none"
        case 1: "A"
        default: "A–\(optionLetters[min(count, 8) - 1])"
        }
    }
}
