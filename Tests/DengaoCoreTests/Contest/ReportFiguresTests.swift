import Testing

@testable import DengaoCore

/// The small figures of the report endpoints, against hand counts.
@Suite struct ReportFiguresTests {
    @Test func meanAndMedianOfOddEvenAndNoValues() {
        #expect(ReportFigures.mean([]) == nil)
        #expect(ReportFigures.median([]) == nil)
        #expect(ReportFigures.mean([1, 2, 6]) == 3)
        #expect(ReportFigures.median([6, 1, 2]) == 2)
        #expect(ReportFigures.median([4, 1, 2, 9]) == 3)
    }

    @Test func histogramsListEveryBinAndCountEveryValueOnce() {
        let heights = ReportFigures.histogram([0, 2, 2, 5], lowest: 0, highest: 3, width: 1)
        #expect(heights.map(\.from) == [0, 1, 2, 3])
        #expect(heights.map(\.count) == [1, 0, 2, 1], "5 is above the top and clamped into it")
        // Scores 0…2950: bins of 500 (the 1-2-5 width nearest a tenth of the span), from 0.
        let scores = ReportFigures.histogram([0, 940, 1900, 2950])
        #expect(scores.map(\.from) == [0, 500, 1000, 1500, 2000, 2500])
        #expect(scores.map(\.to) == [499, 999, 1499, 1999, 2499, 2999])
        #expect(scores.map(\.count) == [1, 1, 0, 1, 0, 1])
        // Negative scores (penalties) start at a multiple of the width below them.
        let negative = ReportFigures.histogram([-7, 3], target: 5)
        #expect(negative.map(\.from) == [-10, -5, 0])
        #expect(negative.map(\.count) == [1, 0, 1])
        #expect(ReportFigures.histogram([]).isEmpty)
        #expect(ReportFigures.histogram([42]).map(\.count) == [1])
    }
}
