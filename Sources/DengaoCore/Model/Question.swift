/// The four kinds of question a bank can hold.
public enum QuestionType: String, Codable, Sendable, CaseIterable, Comparable {
    case single
    case multiple
    case trueFalse = "truefalse"
    case fill

    /// The Chinese name used in templates and on pages (单选, 多选, 判断, 填空).
    public var chineseName: String {
        switch self {
        case .single: "单选"
        case .multiple: "多选"
        case .trueFalse: "判断"
        case .fill: "填空"
        }
    }

    /// Whether the question is answered by picking among lettered options.
    public var hasOptions: Bool { self == .single || self == .multiple }

    public static func < (lhs: QuestionType, rhs: QuestionType) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The canonical answer of a question, independent of how any file spelled it.
public enum AnswerKey: Hashable, Sendable {
    /// Indices into `options`, ascending; one for single choice, two or more for multiple choice.
    case choices([Int])
    case truth(Bool)
    /// Accepted answers of a fill-in-the-blank question, in the bank's order.
    case texts([String])
}

/// One question as it lives in a bank: what every importer produces and every exporter consumes.
public struct Question: Hashable, Sendable {
    public var type: QuestionType
    public var stem: String
    /// Option texts in letter order (A, B, …); empty for true/false and fill-in-the-blank.
    public var options: [String]
    public var answer: AnswerKey
    public var explanation: String
    /// 1 (easy) … 5 (hard).
    public var difficulty: Int
    public var category: String
    public var tags: [String]

    public init(
        type: QuestionType, stem: String, options: [String] = [], answer: AnswerKey,
        explanation: String = "", difficulty: Int = Question.defaultDifficulty, category: String = "",
        tags: [String] = []
    ) {
        self.type = type
        self.stem = stem
        self.options = options
        self.answer = answer
        self.explanation = explanation
        self.difficulty = difficulty
        self.category = category
        self.tags = tags
    }

    public static let defaultDifficulty = 3
    public static let difficultyRange = 1...5
    public static let optionCountRange = 2...8
    public static let optionLetters: [Character] = ["A", "B", "C", "D", "E", "F", "G", "H"]
    /// Excel's own limit for one cell; any longer text cannot have come from a real template.
    public static let maximumFieldLength = 32_767

    /// The answer written the way Chinese templates write it: "B", "ABD", "对", "遵义会议|遵义".
    public var answerText: String {
        switch answer {
        case .choices(let indices): String(indices.map { Question.optionLetters[$0] })
        case .truth(let value): value ? "对" : "错"
        case .texts(let texts): texts.joined(separator: "|")
        }
    }
}
