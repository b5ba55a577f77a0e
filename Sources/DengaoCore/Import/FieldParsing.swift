import Foundation

/// How the spreadsheet and text templates in use in China spell types, answers, difficulties and tags.
///
/// One vocabulary for every importer, so an answer written "A、B、D" or "√" means the same in every format.
enum FieldParsing {
    /// Text without the whitespace templates leave around cells (Foundation's set includes the ideographic space).
    static func trimmed(_ text: some StringProtocol) -> String {
        // Hand-rolled: Foundation's trimming bridges through NSString and dominated 100k-row imports.
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isWhitespace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isWhitespace($0) })!
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex, let string = text as? String {
            return string
        }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20: true
        case ..<0x80, 0x4E00...0x9FFF: false  // ASCII and CJK, the common cases, without a property lookup
        default: scalar.properties.isWhitespace
        }
    }

    /// Trimmed text with every line break as "\n": XML readers turn "\r\n" into "\n", so all formats must agree.
    static func cleaned(_ text: String) -> String {
        var trimmed = trimmed(text)
        // Over the contiguous bytes: `utf8.contains` walks the view generically, 3 % of a 100k-row CSV import.
        guard trimmed.withUTF8({ $0.contains(0x0D) }) else { return trimmed }
        return trimmed.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    private static let typeNames: [String: QuestionType] = {
        var names: [String: QuestionType] = [:]
        for (type, spellings) in [
            (QuestionType.single, ["单选", "单选题", "单项选择", "单项选择题", "单择", "single", "singlechoice", "radio", "sc"]),
            (
                .multiple,
                [
                    "多选", "多选题", "多项选择", "多项选择题", "不定项", "不定项选择题", "multiple", "multi", "multiplechoice", "checkbox",
                    "mc",
                ]
            ),
            (.trueFalse, ["判断", "判断题", "是非题", "对错题", "truefalse", "tf", "true/false", "judge", "boolean"]),
            (.fill, ["填空", "填空题", "fill", "fillin", "blank", "shortanswer", "short"]),
        ] {
            for spelling in spellings { names[spelling] = type }
        }
        return names
    }()

    /// The type named by a template cell such as "单选题" or "Multiple Choice".
    static func questionType(_ text: String) -> QuestionType? {
        let key = text.lowercased().filter { !$0.isWhitespace && $0 != "-" && $0 != "_" }
        return typeNames[key] ?? QuestionType(rawValue: key)
    }

    /// Option indices from "B", "abd", "A,B,D", "A、B、D" or full-width "ＡＢ"; nil if anything else is in the text.
    ///
    /// Letters beyond H are accepted here so that validation can say "E" but only options A–D.
    static func optionIndices(_ text: String) -> [Int]? {
        var indices = Set<Int>()
        for scalar in text.unicodeScalars {
            var value = scalar.value
            if (0xFF21...0xFF3A).contains(value) || (0xFF41...0xFF5A).contains(value) { value -= 0xFEE0 }
            switch value {
            case 0x41...0x5A: indices.insert(Int(value - 0x41))
            case 0x61...0x7A: indices.insert(Int(value - 0x61))
            case _ where separators.contains(scalar) || scalar.properties.isWhitespace: continue
            default: return nil
            }
        }
        return indices.isEmpty ? nil : indices.sorted()
    }

    private static let separators: Set<Unicode.Scalar> = [",", "，", "、", ";", "；", "/", "|", "｜", "."]

    private static let truthWords: [String: Bool] = [
        "对": true, "正确": true, "√": true, "✓": true, "✔": true, "t": true, "true": true, "是": true,
        "y": true, "yes": true, "1": true, "对的": true,
        "错": false, "错误": false, "×": false, "✗": false, "✘": false, "x": false, "f": false, "false": false,
        "否": false, "n": false, "no": false, "0": false, "错的": false,
    ]

    /// True or false from 对/错, 正确/错误, √/×, T/F and their English spellings.
    static func truth(_ text: String) -> Bool? {
        truthWords[text.lowercased().filter { !$0.isWhitespace }]
    }

    private static let difficultyWords: [String: Int] = [
        "易": 1, "容易": 1, "简单": 1, "easy": 1, "较易": 2, "较容易": 2, "较简单": 2,
        "中": 3, "中等": 3, "一般": 3, "适中": 3, "medium": 3, "较难": 4, "难": 5, "困难": 5, "hard": 5,
    ]

    /// 1–5 from "3", "3.0", 易/中等/难 or "★★★"; nil when the text is none of these.
    static func difficulty(_ text: String) -> Int? {
        let key = text.lowercased().filter { !$0.isWhitespace }
        if let word = difficultyWords[key] { return word }
        if !key.isEmpty && key.allSatisfy({ $0 == "★" }) { return key.count }
        if let integer = Int(key) { return integer }
        if let number = Double(key), number == number.rounded(), abs(number) < 1_000 { return Int(number) }
        return nil
    }

    /// Tags from "建党,一大", "建党、一大" or "建党；一大", trimmed, without blanks or repeats.
    static func tags(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var seen = Set<String>()
        return text.unicodeScalars.split(whereSeparator: { tagSeparators.contains($0) })
            .map { trimmed(String(String.UnicodeScalarView($0))) }
            .filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    private static let tagSeparators: Set<Unicode.Scalar> = [",", "，", "、", ";", "；", "|", "｜"]

    /// Accepted answers of a fill-in-the-blank, written "遵义会议|遵义".
    ///
    /// Split at the scalar, not the Character: a "|" followed by a combining mark is one Character, and the export
    /// joins answers with "|" whatever they start with (fuzz-csv found such an answer merged with the one before).
    static func acceptedAnswers(_ text: String) -> [String] {
        text.unicodeScalars.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "|" || $0 == "｜" })
            .map { trimmed(String(String.UnicodeScalarView($0))) }
    }
}
