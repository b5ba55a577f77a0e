import Foundation
import Testing

@testable import DengaoCore

/// A survey's questions are checked before it is sent, and every response is checked against them: a bad answer
/// is refused with a located Chinese-first message.
@Suite struct SurveySettingsTests {
    let survey = SurveySettings(
        title: "需求调研",
        questions: [
            SurveyQuestion(prompt: "类别", form: .single(options: ["农村", "机关", "离退休"])),
            SurveyQuestion(prompt: "方式", form: .multiple(options: ["集中", "线上", "上门", "讲座"], maxPicks: 2)),
            SurveyQuestion(prompt: "满意度", form: .rating(scale: 5)),
            SurveyQuestion(prompt: "内容", form: .ranking(topics: ["理论", "党史", "政策", "技能"], picks: 2)),
            SurveyQuestion(prompt: "建议", form: .text(maxLength: 10), required: false),
        ])

    @Test func theTrainingNeedsTemplateIsASendableSurvey() {
        #expect(SurveyTemplate.trainingNeeds.problems() == [])
        #expect(SurveyTemplate.all["training-needs"] == SurveyTemplate.trainingNeeds)
    }

    @Test func aWellFormedResponseIsAccepted() {
        let response = SurveyResponse(answers: [
            .choice(2), .choices([0, 3]), .rating(5), .ranking([3, 0]), nil,
        ])
        #expect(survey.problem(with: response) == nil)
        #expect(
            survey.problem(
                with: SurveyResponse(answers: [
                    .choice(0), .choices([1]), .rating(1), .ranking([1, 2]), .text(" 多下乡 "),
                ])) == nil)
    }

    @Test(arguments: [
        (SurveyAnswer?.none, 0, "第1题：此题必答"),
        (.choice(3), 0, "第1题：没有这个选项"),
        (.choice(-1), 0, "第1题：没有这个选项"),
        (.rating(2), 0, "第1题：答案形式与题型不符"),
        (.choices([0, 1, 2]), 1, "第2题：最多选择 2 项"),
        (.choices([1, 1]), 1, "第2题：选项重复"),
        (.choices([]), 1, "第2题：请至少选择一项"),
        (.choices([4]), 1, "第2题：没有这个选项"),
        (.rating(0), 2, "第3题：评分须为 1–5"),
        (.rating(6), 2, "第3题：评分须为 1–5"),
        (.rating(Int.max), 2, "第3题：评分须为 1–5"),
        (.ranking([0]), 3, "第4题：请排出前 2 项"),
        (.ranking([0, 0]), 3, "第4题：主题重复"),
        (.ranking([0, 9]), 3, "第4题：没有这个主题"),
        (.text("一二三四五六七八九十十一"), 4, "第5题：最多 10 字"),
    ])
    func aBadAnswerIsRefusedWhereItIs(answer: SurveyAnswer?, at index: Int, message: String) throws {
        var answers: [SurveyAnswer?] = [.choice(0), .choices([1]), .rating(3), .ranking([0, 1]), nil]
        answers[index] = answer
        let problem = try #require(survey.problem(with: SurveyResponse(answers: answers)))
        #expect(problem.hasPrefix(message), "\(problem)")
        #expect(problem.contains("("), "an English gloss follows: \(problem)")
    }

    @Test func aResponseWithTheWrongNumberOfAnswersIsRefused() throws {
        let problem = try #require(survey.problem(with: SurveyResponse(answers: [.choice(0)])))
        #expect(problem.hasPrefix("答案数与题目数不符"))
    }

    @Test func aBadSurveyIsRefusedWithEveryReason() {
        let bad = SurveySettings(
            title: "  ",
            questions: [
                SurveyQuestion(prompt: "", form: .single(options: ["只有一个"])),
                SurveyQuestion(prompt: "重复", form: .multiple(options: ["甲", "甲 "], maxPicks: 3)),
                SurveyQuestion(prompt: "评分", form: .rating(scale: 11)),
                SurveyQuestion(prompt: "排序", form: .ranking(topics: ["甲", "乙"], picks: 3)),
                SurveyQuestion(prompt: "填空", form: .text(maxLength: 0)),
            ])
        let problems = bad.problems()
        for expected in [
            "问卷标题须为 1–100", "第1题：题干须为 1–500", "第1题：选项数须为 2–20", "第2题：选项重复", "第2题：最多可选须为 1–2",
            "第3题：评分档数须为 2–10", "第4题：排序项数须为 1–2", "第5题：填空字数上限须为 1–2000",
        ] {
            #expect(problems.contains { $0.hasPrefix(expected) }, "missing \(expected) in \(problems)")
        }
        #expect(SurveySettings(title: "空", questions: []).problems().contains { $0.hasPrefix("题目数须为 1–60") })
    }

    @Test func theWireFormIsFlatAndRoundTrips() throws {
        let data = try JSONEncoder().encode(survey)
        #expect(try JSONDecoder().decode(SurveySettings.self, from: data) == survey)
        let written = try #require(String(data: data, encoding: .utf8))
        #expect(written.contains(#""kind":"ranking""#))
        let sent =
            #"{"title":"t","questions":[{"kind":"rating","prompt":"p"},{"kind":"text","prompt":"q","required":false}]}"#
        let decoded = try JSONDecoder().decode(SurveySettings.self, from: Data(sent.utf8))
        #expect(decoded.questions.map(\.form) == [.rating(scale: 5), .text(maxLength: 500)])
        #expect(decoded.anonymous == false)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SurveyQuestion.self, from: Data(#"{"kind":"essay","prompt":"p"}"#.utf8))
        }
    }

    @Test func anAnswerNamesExactlyOneForm() throws {
        let answers = try JSONDecoder().decode(
            [SurveyAnswer?].self,
            from: Data(#"[{"choice":1},{"choices":[0,2]},{"rating":4},{"ranking":[1,0]},{"text":"好"},null]"#.utf8))
        #expect(answers == [.choice(1), .choices([0, 2]), .rating(4), .ranking([1, 0]), .text("好"), nil])
        for bad in [#"{}"#, #"{"choice":1,"rating":2}"#, #"{"rating":1e30}"#, #"{"choice":"1"}"#] {
            #expect(throws: DecodingError.self, "\(bad)") {
                try JSONDecoder().decode(SurveyAnswer.self, from: Data(bad.utf8))
            }
        }
    }

    /// Settings stored before surveys could be sent to categories are for everyone; targeted ones only for holders.
    @Test func categoriesNarrowWhoASurveyIsFor() throws {
        let stored = #"{"title": "旧问卷", "questions": [{"kind": "rating", "prompt": "满意度"}]}"#
        var settings = try JSONDecoder().decode(SurveySettings.self, from: Data(stored.utf8))
        #expect(settings.memberCategoryIds.isEmpty && settings.isFor(memberHolding: []))
        settings.memberCategoryIds = [2, 4]
        #expect(settings.isFor(memberHolding: [4]) && !settings.isFor(memberHolding: [1, 3]))
        #expect(!settings.isFor(memberHolding: []))
        let again = try JSONDecoder().decode(SurveySettings.self, from: try JSONEncoder().encode(settings))
        #expect(again.memberCategoryIds == [2, 4])
    }
}
