import Testing

@testable import DengaoCore

/// Inputs where a figure is undefined give nil — never NaN, infinity or a trap.
@Suite struct DegenerateStatisticsTests {
    /// Every optional figure of an analysis, to check none is NaN or infinite.
    static func figures(_ analysis: ItemAnalysis) -> [Double?] {
        let test = analysis.test
        var values: [Double?] = [
            test.mean, test.median, test.standardDeviation, test.skewness, test.kurtosis,
            test.coefficientOfInternalConsistency,
            test.errorRatio, test.standardError,
        ]
        for question in analysis.questions {
            values += [
                question.facilityIndex, question.standardDeviation, question.randomGuessScore, question.intendedWeight,
                question.effectiveWeight, question.discriminationIndex, question.discriminativeEfficiency,
                question.medianElapsedMilliseconds,
            ]
            for option in question.options { values += [option.share, option.pointBiserial] }
        }
        for slot in analysis.slots {
            values += [
                slot.markVariance, slot.effectiveWeight, slot.discriminationIndex, slot.discriminativeEfficiency,
            ]
        }
        return values
    }

    @Test func noAttemptsGiveEmptyFigures() {
        let analysis = ItemAnalysis.analyze([], items: [ReportItem(questionId: 1, optionCount: 4, key: [0])])
        #expect(analysis.test.count == 0 && analysis.test.mean == nil && analysis.test.median == nil)
        #expect(analysis.questions[0].count == 0 && analysis.questions[0].facilityIndex == nil)
        #expect(analysis.questions[0].options.allSatisfy { $0.count == 0 && $0.pointBiserial == nil })
        #expect(Self.figures(analysis).allSatisfy { $0?.isFinite ?? true })
    }

    @Test func oneAttemptHasNoSpreadFigures() {
        let analysis = ItemAnalysis.analyze(
            [
                ReportAttempt(
                    id: 1, unitId: 1, responses: [ItemResponse(questionId: 1, slot: 0, credit: 1, chosen: [0])])
            ],
            items: [ReportItem(questionId: 1, optionCount: 2, key: [0])])
        let question = analysis.questions[0]
        #expect(
            question.standardDeviation == nil && question.discriminationIndex == nil
                && question.discriminativeEfficiency == nil)
        #expect(question.effectiveWeight == nil)
        #expect(
            analysis.test.standardDeviation == nil && analysis.test.skewness == nil
                && analysis.test.coefficientOfInternalConsistency == nil)
    }

    @Test func equalScoresHaveZeroSpreadAndNoShapeFigures() {
        let attempts = (0..<5).map {
            ReportAttempt(id: Int64($0), unitId: 1, responses: [ItemResponse(questionId: 1, slot: 0, credit: 1)])
        }
        let analysis = ItemAnalysis.analyze(attempts, items: [])
        #expect(analysis.test.standardDeviation == 0)
        #expect(
            analysis.test.skewness == nil && analysis.test.kurtosis == nil
                && analysis.test.coefficientOfInternalConsistency == nil)
        #expect(analysis.questions[0].standardDeviation == 0 && analysis.questions[0].discriminationIndex == nil)
        #expect(Self.figures(analysis).allSatisfy { $0?.isFinite ?? true })
    }

    @Test func brokenInputIsHeldInRangeOrLeftOut() {
        let attempts = [
            // Credit out of range and NaN are held to 0…1.
            ReportAttempt(
                id: 1, unitId: 1,
                responses: [
                    ItemResponse(questionId: 1, slot: 0, credit: .nan, chosen: [9, -1, 0, 0]),
                    ItemResponse(questionId: 2, slot: 1, credit: 7),
                ]),
            ReportAttempt(
                id: 2, unitId: 1,
                responses: [
                    ItemResponse(questionId: 1, slot: 0, credit: -3), ItemResponse(questionId: 2, slot: 1, credit: 1),
                ]),
            // Nothing shown, a zero mark and a NaN mark: left out of the analysis.
            ReportAttempt(id: 3, unitId: 1, responses: []),
            ReportAttempt(id: 4, unitId: 1, responses: [ItemResponse(questionId: 1, slot: 0, credit: 1, maxMark: 0)]),
            ReportAttempt(
                id: 5, unitId: 1, responses: [ItemResponse(questionId: 1, slot: 0, credit: 1, maxMark: .nan)]),
        ]
        let analysis = ItemAnalysis.analyze(attempts, items: [ReportItem(questionId: 1, optionCount: 2, key: [1])])
        #expect(analysis.test.count == 2)
        #expect(attempts.map(\.scorePercent) == [50, 50, nil, nil, nil])
        #expect(analysis.test.mean == 50)
        // Option indices out of range are ignored, a repeated one counts once.
        #expect(analysis.questions[0].options.map(\.count) == [1, 0])
        #expect(analysis.questions[1].facilityIndex == 100)
        #expect(Self.figures(analysis).allSatisfy { $0?.isFinite ?? true })
    }

    @Test func sparseDrawsAnalyseEachQuestionOverTheAttemptsThatSawIt() {
        // Three tries drawing two of three questions; question 3 is seen once.
        let attempts = [
            ReportAttempt(
                id: 1, unitId: 1,
                responses: [
                    ItemResponse(questionId: 1, slot: 0, credit: 1), ItemResponse(questionId: 2, slot: 1, credit: 1),
                ]),
            ReportAttempt(
                id: 2, unitId: 1,
                responses: [
                    ItemResponse(questionId: 2, slot: 0, credit: 0), ItemResponse(questionId: 1, slot: 1, credit: 0),
                ]),
            ReportAttempt(
                id: 3, unitId: 1,
                responses: [
                    ItemResponse(questionId: 1, slot: 0, credit: 1), ItemResponse(questionId: 3, slot: 1, credit: 0),
                ]),
        ]
        let analysis = ItemAnalysis.analyze(attempts, items: [])
        #expect(analysis.questions.map(\.questionId) == [1, 2, 3])
        #expect(analysis.questions.map(\.count) == [3, 2, 1])
        #expect(abs(analysis.questions[0].facilityIndex! - 200.0 / 3) < 1e-12)
        #expect(analysis.questions[2].standardDeviation == nil && analysis.questions[2].effectiveWeight == nil)
        #expect(analysis.slots.map(\.slot) == [0, 1] && analysis.test.slotCount == 2)
        #expect(Self.figures(analysis).allSatisfy { $0?.isFinite ?? true })
    }
}
