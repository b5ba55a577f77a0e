import Foundation

/// A survey's results as spreadsheet sheets, for the XLSX and CSV downloads: the figures per question, the reach
/// per unit, and every response (with who answered only when the survey is not anonymous).
public enum SurveySheets {
    public static let names = ["汇总", "各单位", "答卷"]

    public static func sheets(
        settings: SurveySettings, tally: SurveyTally, reach: [SurveyReach.Row], responses: [StoredSurveyResponse],
        zone: TimeZone, unitPath: (UnitID) -> String
    ) -> [Spreadsheet.Sheet] {
        [summary(settings, tally), units(reach), answers(settings, responses, zone: zone, unitPath: unitPath)]
    }

    /// One row per option, rating value or topic, and one per question for free text.
    static func summary(_ settings: SurveySettings, _ tally: SurveyTally) -> Spreadsheet.Sheet {
        var rows: [[Spreadsheet.Cell]] = []
        for (index, (question, figures)) in zip(settings.questions, tally.questions).enumerated() {
            let number = Spreadsheet.Cell.number(index + 1)
            let prompt = Spreadsheet.Cell.text(question.prompt)
            switch question.form {
            case .single(let options), .multiple(let options, _):
                for (option, count) in zip(options, figures.counts) {
                    rows.append([number, prompt, .text(option), .number(count), .text("")])
                }
            case .rating:
                for (value, count) in figures.counts.enumerated() {
                    rows.append([number, prompt, .text("\(value + 1) 分"), .number(count), .text("")])
                }
                let mean = figures.meanRating.map { String(format: "%.2f", $0) } ?? ""
                rows.append([number, prompt, .text("平均分"), .text(mean), .text("")])
            case .ranking(let topics, _):
                for topic in figures.topicOrder {
                    rows.append([
                        number, prompt, .text(topics[topic]), .number(figures.counts[topic]),
                        .number(figures.points[topic]),
                    ])
                }
            case .text:
                rows.append([number, prompt, .text("填写人数"), .number(figures.answered), .text("")])
            }
        }
        return Spreadsheet.Sheet(
            name: "汇总", header: ["题号", "题目", "选项", "人数", "排序得分"], rows: rows, widths: [6, 40, 24, 8, 10])
    }

    static func units(_ reach: [SurveyReach.Row]) -> Spreadsheet.Sheet {
        Spreadsheet.Sheet(
            name: "各单位", header: ["单位", "党员数", "已答", "答卷率"],
            rows: reach.map { row in
                [
                    .text(row.path), .number(row.roster), .number(row.responded),
                    .text(String(format: "%.1f%%", row.rate * 100)),
                ]
            }, widths: [40, 10, 10, 10])
    }

    static func answers(
        _ settings: SurveySettings, _ responses: [StoredSurveyResponse], zone: TimeZone, unitPath: (UnitID) -> String
    ) -> Spreadsheet.Sheet {
        let who = settings.anonymous ? [] : ["编号", "姓名", "提交时间"]
        let header = ["单位"] + who + settings.questions.enumerated().map { "\($0 + 1). \($1.prompt)" }
        let rows: [[Spreadsheet.Cell]] = responses.map { stored in
            var row: [Spreadsheet.Cell] = [.text(unitPath(stored.unitId))]
            if !settings.anonymous {
                row += [
                    .text(stored.member?.number ?? ""), .text(stored.member?.name ?? ""),
                    .text(
                        stored.submittedAt.map {
                            LocalTime.text(milliseconds: Int64($0.timeIntervalSince1970 * 1000), in: zone)
                        } ?? ""),
                ]
            }
            for (question, answer) in zip(settings.questions, stored.response.answers) {
                row.append(.text(text(of: answer, for: question.form)))
            }
            return row
        }
        return Spreadsheet.Sheet(name: "答卷", header: header, rows: rows)
    }

    /// An answer as a person reads it: option labels, "4", topics in order joined by " > ".
    static func text(of answer: SurveyAnswer?, for form: SurveyQuestionForm) -> String {
        func label(_ labels: [String], _ index: Int) -> String { labels.indices.contains(index) ? labels[index] : "?" }
        switch (form, answer) {
        case (_, nil): return ""
        case (.single(let options), .choice(let index)?): return label(options, index)
        case (.multiple(let options, _), .choices(let indices)?):
            return indices.map { label(options, $0) }.joined(separator: "、")
        case (.rating, .rating(let value)?): return String(value)
        case (.ranking(let topics, _), .ranking(let order)?):
            return order.map { label(topics, $0) }.joined(separator: " > ")
        case (.text, .text(let text)?): return text
        default: return ""
        }
    }
}
