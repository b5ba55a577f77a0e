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

        if stem.isEmpty { add(.stem, "the stem is empty") }
        // Counting characters walks grapheme clusters; the byte count rules most texts out first.
        for (field, text) in [(Field.stem, stem), (.explanation, explanation), (.category, category)]
        where text.utf8.count > Question.maximumFieldLength && text.count > Question.maximumFieldLength {
            add(field, "text is \(text.count) characters long; the limit is \(Question.maximumFieldLength)")
        }
        if !Question.difficultyRange.contains(difficulty) {
            add(.difficulty, "difficulty \(difficulty) is outside 1–5")
        }
        switch type {
        case .single, .multiple:
            if !Question.optionCountRange.contains(options.count) {
                add(.options, "\(type.chineseName) needs 2–8 options, found \(options.count)")
            }
            if let blank = options.firstIndex(where: \.isEmpty) {
                add(.options, "option \(Question.optionLetters[min(blank, 7)]) is empty")
            }
            guard case .choices(let indices) = answer else {
                add(.answer, "a choice question needs option letters as its answer")
                break
            }
            if let outside = indices.first(where: { $0 < 0 || $0 >= options.count }) {
                let letter = outside >= 0 && outside < 8 ? String(Question.optionLetters[outside]) : "#\(outside + 1)"
                add(.answer, "\"\(letter)\" but only options \(Question.letterRange(options.count))")
            }
            if type == .single && indices.count != 1 {
                add(.answer, "单选 needs exactly one correct option, found \(indices.count)")
            }
            if type == .multiple && indices.count < 2 {
                add(.answer, "多选 needs at least two correct options, found \(indices.count)")
            }
        case .trueFalse:
            if !options.isEmpty { add(.options, "判断 takes no options") }
            if case .truth = answer {} else { add(.answer, "判断 needs 对 or 错 as its answer") }
        case .fill:
            if !options.isEmpty { add(.options, "填空 takes no options") }
            if case .texts(let texts) = answer {
                if texts.isEmpty || texts.contains(where: \.isEmpty) {
                    add(.answer, "填空 needs at least one accepted answer, none may be empty")
                }
            } else {
                add(.answer, "填空 needs the accepted answer text")
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
