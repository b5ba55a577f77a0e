import Foundation

/// The item analysis as spreadsheets: 题目分析 (a row per question), 选项分析 (a row per option), 试卷统计 (the test's
/// figures) and 薄弱分类 (unit × category against the organization). Statistics are written with one or two
/// decimals; an undefined figure is an empty cell.
extension ItemAnalysis {
    /// What the sheets name a question by: where it is ("题库 v2 第 5 题" or "第 3 题"), its text and options.
    public struct Label: Sendable, Hashable {
        public let place: String
        public let question: Question

        public init(place: String, question: Question) {
            self.place = place
            self.question = question
        }
    }

    public static let flagNames: [ItemFlag: String] = [
        .tooEasy: "过易", .tooHard: "过难", .notDiscriminating: "区分度低", .distractorOverKey: "干扰项多于正确项",
    ]

    /// The text of an option as the bank letters it: "A", …, or 对/错 for true/false.
    public static func optionName(_ option: Int, of question: Question) -> String {
        if question.type == .trueFalse { return option == 0 ? "对" : "错" }
        return Question.optionLetters.indices.contains(option)
            ? String(Question.optionLetters[option]) : String(option + 1)
    }

    /// `play` adds a contest's 抢答 and 风险 columns to 题目分析 (none when empty: campaigns and banks have neither).
    public func sheets(
        labels: [QuestionID: Label], categories: CategoryMatrix, unitNames: [UnitID: String],
        play: [QuestionID: QuestionPlayFigures] = [:]
    ) -> [Spreadsheet.Sheet] {
        func number(_ value: Double?, _ digits: Int = 1) -> Spreadsheet.Cell {
            .text(value.map { String(format: "%.\(digits)f", $0) } ?? "")
        }
        let ordered = questions.sorted {
            (labels[$0.questionId]?.place ?? "", $0.questionId) < (labels[$1.questionId]?.place ?? "", $1.questionId)
        }
        let questionSheet = Spreadsheet.Sheet(
            name: "题目分析",
            header: [
                "题目", "分类", "题干", "正确答案", "作答人次", "通过率(%)", "标准差(%)", "猜测得分(%)", "预期权重(%)", "有效权重(%)",
                "区分度指数", "区分效率(%)", "中位用时(秒)", "最常选错项", "提示",
            ] + (play.isEmpty ? [] : QuestionPlayFigures.header),
            rows: ordered.map { stats in
                let label = labels[stats.questionId]
                let playCells =
                    play.isEmpty ? [] : (play[stats.questionId] ?? QuestionPlayFigures(buzz: nil, stakes: nil)).cells
                let cells: [Spreadsheet.Cell] = [
                    .text(label?.place ?? String(stats.questionId)), .text(label?.question.category ?? ""),
                    .text(label?.question.stem ?? ""),
                    .text(label?.question.answerText ?? ""), .number(stats.count), number(stats.facilityIndex),
                    number(stats.standardDeviation), number(stats.randomGuessScore), number(stats.intendedWeight, 2),
                    number(stats.effectiveWeight, 2), number(stats.discriminationIndex),
                    number(stats.discriminativeEfficiency),
                    number(stats.medianElapsedMilliseconds.map { $0 / 1000 }),
                    .text(
                        stats.mostChosenWrongOption.flatMap { option in
                            label.map { Self.optionName(option, of: $0.question) }
                        } ?? ""),
                    .text(
                        ItemFlag.allCases.filter(stats.flags.contains).compactMap { Self.flagNames[$0] }.joined(
                            separator: "、")),
                ]
                return cells + playCells
            },
            widths: [18, 12, 40, 10, 8, 9, 9, 9, 9, 9, 9, 9, 10, 10, 18]
                + (play.isEmpty ? [] : [8, 8, 10, 12, 24, 8, 8, 8]))
        var optionRows: [[Spreadsheet.Cell]] = []
        for stats in ordered {
            let label = labels[stats.questionId]
            for option in stats.options {
                let text = label.flatMap {
                    $0.question.type == .trueFalse
                        ? nil
                        : $0.question.options.indices.contains(option.option) ? $0.question.options[option.option] : nil
                }
                optionRows.append([
                    .text(label?.place ?? String(stats.questionId)),
                    .text(label.map { Self.optionName(option.option, of: $0.question) } ?? ""),
                    .text(text ?? ""), .text(option.isKey ? "是" : ""), .number(option.count), number(option.share),
                    number(option.pointBiserial, 3),
                ])
            }
        }
        let optionSheet = Spreadsheet.Sheet(
            name: "选项分析", header: ["题目", "选项", "内容", "正确", "人次", "比例(%)", "点二列相关"], rows: optionRows,
            widths: [18, 6, 36, 6, 8, 9, 10])
        let testFigures: [(String, Spreadsheet.Cell)] = [
            ("作答份数", .number(test.count)), ("平均分(%)", number(test.mean)), ("中位数(%)", number(test.median)),
            ("标准差(%)", number(test.standardDeviation)), ("偏度", number(test.skewness, 3)),
            ("峰度", number(test.kurtosis, 3)),
            ("内部一致性系数 CIC(%)", number(test.coefficientOfInternalConsistency)), ("误差比(%)", number(test.errorRatio)),
            ("标准误(%)", number(test.standardError)), ("题位数", .number(test.slotCount)),
        ]
        let testSheet = Spreadsheet.Sheet(
            name: "试卷统计", header: ["指标", "值"], rows: testFigures.map { [.text($0.0), $0.1] }, widths: [24, 12])
        return [questionSheet, optionSheet, testSheet, categories.sheet(unitNames: unitNames)]
    }
}

extension CategoryMatrix {
    /// 薄弱分类: one row per unit and category with answers, against the organization's accuracy there.
    public func sheet(unitNames: [UnitID: String]) -> Spreadsheet.Sheet {
        func number(_ value: Double) -> Spreadsheet.Cell { .text(String(format: "%.1f", value)) }
        return Spreadsheet.Sheet(
            name: "薄弱分类", header: ["支部", "分类", "作答人次", "正确率(%)", "全组织正确率(%)", "差值(百分点)"],
            rows: cells.map { cell in
                [
                    .text(unitNames[cell.unitId] ?? String(cell.unitId)),
                    .text(cell.category.isEmpty ? "未分类" : cell.category), .number(cell.count),
                    number(cell.accuracy), number(cell.organizationAccuracy), number(cell.difference),
                ]
            }, widths: [30, 16, 10, 10, 14, 12])
    }
}
