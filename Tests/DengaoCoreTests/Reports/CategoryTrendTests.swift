import Foundation
import Testing

@testable import DengaoCore

/// A member's accuracy per category and month, months read in the organization's zone.
@Suite struct CategoryTrendTests {
    @Test func answersAreFiledByCategoryAndLocalMonth() {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        // 2026-11-30 16:30 UTC is 2026-12-01 00:30 in Shanghai: December there.
        let lateNovemberUTC: Int64 = 1_796_056_200_000
        let trend = CategoryTrend(
            answers: [
                ("党史", 1, 1_794_000_000_000), ("党史", 0, 1_794_000_000_000), ("党史", 1, lateNovemberUTC),
                ("政治理论", 0.5, lateNovemberUTC), ("", 1, lateNovemberUTC),
            ], timeZone: zone)
        #expect(trend.lines.map(\.category) == ["党史", "政治理论", ""])
        let history = trend.lines[0]
        #expect(history.answered == 3 && abs(history.accuracy - 200.0 / 3) < 1e-9)
        #expect(history.months.map(\.month) == ["2026-11", "2026-12"])
        #expect(history.months.map(\.accuracy) == [50, 100])
        #expect(trend.lines[1].accuracy == 50, "a partly right answer counts half")
    }

    @Test func noAnswersNoLines() {
        #expect(CategoryTrend(answers: [], timeZone: TimeZone(identifier: "UTC")!).lines.isEmpty)
    }
}
