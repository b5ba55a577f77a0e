import Foundation

/// The columns of a spreadsheet or CSV bank, found by their header names in any order.
struct TabularHeader {
    enum Column: Hashable {
        case type, stem, option(Int), answer, explanation, difficulty, category, tags
    }

    private var row: HeaderRow<Column>
    /// Column index → meaning, for the recognised columns.
    var columns: [Int: Column] { row.columns }
    /// The header text of every column, for locations such as `column 答案`.
    var names: [Int: String] { row.names }
    var ignored: [String] { row.ignored }
    var problems: [String] { row.problems }

    private static let aliases: [String: Column] = {
        var aliases: [String: Column] = [:]
        for (column, names) in [
            (Column.type, ["题型", "题目类型", "试题类型", "类型", "type", "questiontype"]),
            (.stem, ["题干", "题目", "试题", "题目内容", "试题内容", "问题", "stem", "question", "questiontext"]),
            (.answer, ["答案", "正确答案", "标准答案", "参考答案", "answer", "key", "correctanswer", "correct"]),
            (.explanation, ["解析", "答案解析", "试题解析", "题目解析", "解释", "explanation", "analysis", "feedback"]),
            (.difficulty, ["难度", "难易度", "难度等级", "难易程度", "difficulty", "level"]),
            (.category, ["分类", "类别", "题目分类", "所属分类", "知识分类", "category"]),
            (.tags, ["标签", "知识点", "tags", "tag", "keywords"]),
        ] {
            for name in names { aliases[name] = column }
        }
        for (index, letter) in Question.optionLetters.enumerated() {
            let lower = letter.lowercased()
            for name in [
                "选项\(lower)", "option\(lower)", "opt\(lower)", "\(lower)", "选项\(index + 1)", "option\(index + 1)",
            ] {
                aliases[name] = .option(index)
            }
        }
        return aliases
    }()

    /// The column a header cell names, ignoring case, spaces, "*" and "（必填）".
    static func column(named header: String) -> Column? {
        aliases[HeaderRow<Column>.key(header)]
    }

    /// Whether a CSV's first line reads like a bank header, for format sniffing.
    static func looksLikeHeader(_ line: String) -> Bool {
        let cells = line.split(whereSeparator: { $0 == "," || $0 == "\t" || $0 == ";" })
            .map { $0.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\""))) }
        let found = Set(cells.compactMap(column(named:)))
        return found.contains(.stem) && found.contains(.answer)
    }

    /// Reads a header row; `isHeader` is false when the row names neither a stem nor an answer column.
    init(cells: [Int: String]) {
        row = HeaderRow(cells: cells, field: Self.column(named:))
        row.require(.stem, "缺少“题干”列 (no 题干 column)")
        row.require(.answer, "缺少“答案”列 (no 答案 column)")
    }

    var isHeader: Bool { row.present.contains(.stem) || row.present.contains(.answer) }

    /// The raw question one data row spells, with each field located at its cell; nil if a cell is unusable.
    func rawQuestion(
        cells: [Int: String], rowLocation: SourceLocation, cellLocation: (_ column: String) -> SourceLocation,
        issues: inout IssueCollector
    ) -> RawQuestion? {
        var raw = RawQuestion(location: rowLocation)
        var options: [Int: RawField] = [:]
        var usable = true
        for (index, text) in cells {
            guard let column = columns[index] else { continue }
            let field = RawField(text: text, location: cellLocation(names[index] ?? "#\(index + 1)"))
            // Checked on bytes first so the common short cell costs no character count.
            if text.utf8.count > Question.maximumFieldLength, text.count > Question.maximumFieldLength {
                issues.error(
                    field.location,
                    "单元格有 \(text.count) 个字，上限 \(Question.maximumFieldLength) "
                        + "(cell text is \(text.count) characters long; the limit is \(Question.maximumFieldLength))")
                usable = false
                continue
            }
            switch column {
            case .type: raw.type = field
            case .stem: raw.stem = field
            case .option(let letter): options[letter] = field
            case .answer: raw.answer = field
            case .explanation: raw.explanation = field
            case .difficulty: raw.difficulty = field
            case .category: raw.category = field
            case .tags: raw.tags = field
            }
        }
        let given = options.filter { !FieldParsing.trimmed($0.value.text).isEmpty }
        if let last = given.keys.max() {
            for letter in 0..<last where given[letter] == nil {
                let name = names.first(where: { columns[$0.key] == .option(letter) })?.value
                let location = name.map(cellLocation) ?? rowLocation
                issues.error(
                    location,
                    "选项 \(Question.optionLetters[letter]) 为空，但有选项 \(Question.optionLetters[last]) "
                        + "(option \(Question.optionLetters[letter]) is empty but option \(Question.optionLetters[last]) is given)"
                )
            }
            raw.options = (0...last).compactMap { given[$0] }
        }
        return usable ? raw : nil
    }
}
