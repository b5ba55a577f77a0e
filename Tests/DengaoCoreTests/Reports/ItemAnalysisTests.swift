import Testing

@testable import DengaoCore

/// Item analysis on matrices small enough to work out by hand (the arithmetic is in the comments).
@Suite struct ItemAnalysisTests {
    /// Two questions, four attempts covering every right/wrong pattern, one mark each:
    ///   A1 Q1 ✓ (chose 0) Q2 ✓ → 100 %;  A2 Q1 ✓ (0) Q2 ✗ → 50;  A3 Q1 ✗ (chose 1) Q2 ✓ → 50;  A4 Q1 ✗ (1) Q2 ✗ → 0.
    static let balanced: [ReportAttempt] = [
        (1, true, true), (2, true, false), (3, false, true), (4, false, false),
    ].map { id, first, second in
        ReportAttempt(
            id: id, unitId: 10,
            responses: [
                ItemResponse(
                    questionId: 1, slot: 0, credit: first ? 1 : 0, chosen: [first ? 0 : 1],
                    elapsedMilliseconds: Int(id) * 1000),
                ItemResponse(questionId: 2, slot: 1, credit: second ? 1 : 0),
            ])
    }
    static let items = [
        ReportItem(questionId: 1, optionCount: 3, key: [0], category: "党史"),
        ReportItem(questionId: 2, optionCount: 0, key: [], category: "党章"),
    ]

    @Test func questionFiguresOfTheBalancedMatrix() throws {
        let analysis = ItemAnalysis.analyze(
            Self.balanced, items: Self.items, thresholds: ItemFlagThresholds(minimumCount: 1))
        let q1 = analysis.questions[0]
        #expect(q1.count == 4 && q1.answeredCount == 4)
        #expect(q1.facilityIndex == 50)
        // Credits 1,1,0,0: Σ(c − ½)² = 1, over n − 1 = 3 → SD √(1/3) = 0.57735 → 57.735 %.
        #expect(abs(q1.standardDeviation! - 100 * (1.0 / 3).squareRoot()) < 1e-12)
        #expect(abs(q1.randomGuessScore! - 100.0 / 3) < 1e-12)
        #expect(q1.intendedWeight == 50)
        // Mark % x = 50,50,0,0 and rest y = 50,0,50,0: Σ dx·dy = 625 − 625 − 625 + 625 = 0, so no correlation…
        #expect(q1.discriminationIndex == 0)
        // …and sorted pairing (0,0)(0,0)(50,50)(50,50) gives covmax = 2500/3 > 0, so efficiency 0, flagged (< 15).
        #expect(q1.discriminativeEfficiency == 0)
        #expect(q1.flags == [.notDiscriminating])
        // cov(x, total) = Σ dx·total / 3 = (25·100 + 25·50 − 25·50 − 25·0) / 3 = 2500/3 for both questions → 50 % each.
        #expect(abs(q1.effectiveWeight! - 50) < 1e-12 && abs(analysis.questions[1].effectiveWeight! - 50) < 1e-12)
        // Times 1000…4000 ms: median (2000 + 3000) / 2.
        #expect(q1.medianElapsedMilliseconds == 2500)
        // Option 0 chosen by A1, A2: Σ(I − ½)(s − 50) = 25 + 0 − 0 + 25 = 50, Σ(I − ½)² = 1, Σ(s − 50)² = 5000
        // → r = 50 / √5000 = 0.7071; option 1 mirrors it; option 2 never chosen → nil.
        #expect(q1.options.map(\.count) == [2, 2, 0])
        #expect(q1.options.map(\.share) == [50, 50, 0])
        #expect(abs(q1.options[0].pointBiserial! - 0.5.squareRoot()) < 1e-12)
        #expect(abs(q1.options[1].pointBiserial! + 0.5.squareRoot()) < 1e-12)
        #expect(q1.options[2].pointBiserial == nil)
        #expect(q1.mostChosenWrongOption == 1)
        #expect(analysis.questions[1].randomGuessScore == 0 && analysis.questions[1].options.isEmpty)
    }

    @Test func testFiguresOfTheBalancedMatrix() {
        let test = ItemAnalysis.analyze(Self.balanced, items: Self.items).test
        // Scores 100, 50, 50, 0: mean = median = 50; Σd² = 5000, /3 → SD √1666.67 = 40.82.
        #expect(test.count == 4 && test.mean == 50 && test.median == 50)
        #expect(abs(test.standardDeviation! - (5000.0 / 3).squareRoot()) < 1e-12)
        // Symmetric: m3 = 0 → skewness 0. m2 = 1250, m4 = 2·50⁴/4 = 3,125,000, k2 = 4·1250/3 = 1666.67,
        // k4 = 16·(5·3,125,000 − 9·1250²) / 6 = 4,166,666.67 → kurtosis k4 / k2² = 1.5.
        #expect(test.skewness == 0)
        #expect(abs(test.kurtosis! - 1.5) < 1e-12)
        // Slot variances 2500/3 + 2500/3 = k2 → CIC = 100·2/1·(1 − 1) = 0, error ratio 100, standard error = SD.
        #expect(abs(test.coefficientOfInternalConsistency!) < 1e-12)
        #expect(abs(test.errorRatio! - 100) < 1e-9)
        #expect(abs(test.standardError! - test.standardDeviation!) < 1e-9)
    }

    @Test func aDistractorChosenMoreThanTheKeyIsFlaggedAndTooHard() {
        // Six attempts, one question, key 2: five chose option 1, one chose the key → facility 16.7 % < 20.
        let attempts = (0..<6).map { index in
            ReportAttempt(
                id: Int64(index), unitId: 1,
                responses: [
                    ItemResponse(questionId: 7, slot: 0, credit: index == 0 ? 1 : 0, chosen: [index == 0 ? 2 : 1])
                ])
        }
        let question = ItemAnalysis.analyze(attempts, items: [ReportItem(questionId: 7, optionCount: 4, key: [2])])
            .questions[0]
        #expect(question.mostChosenWrongOption == 1)
        #expect(question.flags.isSuperset(of: [.distractorOverKey, .tooHard]))
        #expect(!question.flags.contains(.tooEasy))
        // Five attempts is the default minimum for flags: four attempts give none.
        let fewer = ItemAnalysis.analyze(
            Array(attempts.prefix(4)), items: [ReportItem(questionId: 7, optionCount: 4, key: [2])])
        #expect(fewer.questions[0].flags.isEmpty)
    }

    @Test func trueFalseAnswersAreOptionsZeroTrueAndOneFalse() {
        let attempts = [true, true, false].enumerated().map { index, truth in
            ReportAttempt(
                id: Int64(index), unitId: 1,
                responses: [ItemResponse(questionId: 3, slot: 0, credit: truth ? 1 : 0, truth: truth)])
        }
        let question = ItemAnalysis.analyze(
            attempts, items: [ReportItem(questionId: 3, optionCount: 0, key: [0], isTrueFalse: true)]
        )
        .questions[0]
        #expect(question.options.map(\.count) == [2, 1])
        #expect(question.randomGuessScore == 50)
        #expect(question.mostChosenWrongOption == 1)
    }

    @Test func multipleAnswerQuestionsHaveNoRandomGuessScoreAndUnansweredCountsAsShown() {
        let attempts = [
            ReportAttempt(
                id: 1, unitId: 1, responses: [ItemResponse(questionId: 4, slot: 0, credit: 1, chosen: [0, 2])]),
            ReportAttempt(
                id: 2, unitId: 1, responses: [ItemResponse(questionId: 4, slot: 0, credit: 0, answered: false)]),
        ]
        let question = ItemAnalysis.analyze(attempts, items: [ReportItem(questionId: 4, optionCount: 4, key: [0, 2])])
            .questions[0]
        #expect(question.randomGuessScore == nil)
        #expect(question.count == 2 && question.answeredCount == 1 && question.facilityIndex == 50)
        #expect(question.options.map(\.share) == [50, 0, 50, 0])
    }
}
