import Testing

@testable import DengaoCore

/// Results add up response by response: option counts, the rating distribution and mean, topics by points (ties by
/// firsts, then the organizer's order) and the free-text answers.
@Suite struct SurveyTallyTests {
    let survey = SurveySettings(
        title: "需求调研",
        questions: [
            SurveyQuestion(prompt: "方式", form: .multiple(options: ["集中", "线上", "上门"], maxPicks: nil)),
            SurveyQuestion(prompt: "满意度", form: .rating(scale: 5), required: false),
            SurveyQuestion(prompt: "内容", form: .ranking(topics: ["理论", "党史", "政策", "技能"], picks: 2)),
            SurveyQuestion(prompt: "建议", form: .text(maxLength: 100), required: false),
        ])

    @Test func figuresAddUp() {
        var tally = SurveyTally(settings: survey)
        tally.add(SurveyResponse(answers: [.choices([0, 1]), .rating(5), .ranking([2, 0]), .text(" 多下乡 ")]))
        tally.add(SurveyResponse(answers: [.choices([1]), .rating(2), .ranking([0, 2]), nil]))
        tally.add(SurveyResponse(answers: [.choices([1, 2]), nil, .ranking([3, 1]), .text("   ")]))
        #expect(tally.respondents == 3)

        let ways = tally.questions[0]
        #expect(ways.answered == 3)
        #expect(ways.counts == [1, 3, 1])

        let rating = tally.questions[1]
        #expect(rating.answered == 2)
        #expect(rating.counts == [0, 1, 0, 0, 1])
        #expect(rating.meanRating == 3.5)
        #expect(ways.meanRating == nil)

        // The first of two picks earns 2 points, the second 1: 理论 1 + 2, 党史 1, 政策 2 + 1, 技能 2.
        let topics = tally.questions[2]
        #expect(topics.points == [3, 1, 3, 2])
        #expect(topics.firsts == [1, 0, 1, 1])
        // 理论 and 政策 tie on points and firsts: the organizer's order decides.
        #expect(topics.topicOrder == [0, 2, 3, 1])

        let texts = tally.questions[3]
        #expect(texts.texts == ["多下乡"])
        #expect(texts.answered == 1)
    }

    @Test func aResponseThatDoesNotFitIsNotCounted() {
        var tally = SurveyTally(settings: survey)
        tally.add(SurveyResponse(answers: [.choices([0])]))
        #expect(tally.respondents == 0)
        tally.add(SurveyResponse(answers: [.choices([7]), .rating(9), .ranking([9]), nil]))
        #expect(tally.respondents == 1)
        #expect(tally.questions[0].answered == 0)
        #expect(tally.questions[1].counts == [0, 0, 0, 0, 0])
        #expect(tally.questions[2].points == [0, 0, 0, 0])
    }

    @Test func anEmptyTallyHasNoMean() {
        let tally = SurveyTally(settings: survey)
        #expect(tally.questions[1].meanRating == nil)
        #expect(tally.questions[2].topicOrder == [0, 1, 2, 3])
    }
}
