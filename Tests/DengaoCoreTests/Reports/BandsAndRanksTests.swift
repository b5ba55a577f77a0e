import Testing

@testable import DengaoCore

/// The results page's bands (shares of players per 优秀/良好/合格/待提高, overall and per group) and rank tables
/// (▲/▼/—/新 against the previous activity or period), on hand-counted cases.
@Suite struct BandsAndRanksTests {
    @Test func bandsCountEachGroupAndTheWhole() {
        // Branch 1: 100, 90 (优秀 ×2), 80 (良好); branch 2: 60 (合格), 59.9, 0 (待提高 ×2); one player in no group: 75.
        let bands = ReportBands(
            basis: "test",
            groups: [
                .init(id: 1, name: "一支部", percents: [100, 90, 80]), .init(id: 2, name: "二支部", percents: [60, 59.9, 0]),
                .init(id: 3, name: "空支部", direct: true, percents: []),
            ], others: [75])
        #expect(bands.bands.map(\.name) == PerformanceBand.defaults.map(\.name))
        #expect(bands.bands.map(\.lowerBound) == [90, 75, 60, nil], "−∞ is no JSON number")
        #expect(bands.groups.map(\.counts) == [[2, 1, 0, 0], [0, 0, 1, 2], [0, 0, 0, 0]])
        #expect(bands.groups[0].shares == [2.0 / 3, 1.0 / 3, 0, 0])
        #expect(
            bands.groups[2].players == 0 && bands.groups[2].shares == [0, 0, 0, 0], "no players: shares 0, not NaN")
        #expect(bands.overall.players == 7 && bands.overall.id == nil)
        #expect(bands.overall.counts == [2, 2, 1, 2])
        #expect(abs(bands.overall.shares.reduce(0, +) - 1) < 1e-12)
    }

    @Test func percentOfNothingIsZero() {
        #expect(ReportBands.percent(2, of: 3) == 200.0 / 3)
        #expect(ReportBands.percent(5, of: 5) == 100)
        #expect(ReportBands.percent(0, of: 0) == 0)
    }

    @Test func theBandSheetHasACountAndAShareForEachBand() {
        let sheet = ReportBands(basis: "依据X", groups: [.init(id: 1, name: "一支部", percents: [95, 10])]).sheet()
        #expect(sheet.name == "等级分布")
        #expect(sheet.header == ["组织", "人数", "优秀人数", "优秀占比", "良好人数", "良好占比", "合格人数", "合格占比", "待提高人数", "待提高占比"])
        #expect(
            sheet.rows[0] == [
                .text("一支部"), .number(2), .number(1), .text("50.0%"), .number(0), .text("0.0%"), .number(0),
                .text("0.0%"), .number(1), .text("50.0%"),
            ])
        #expect(sheet.rows[1][0] == .text("合计 (all)"))
        #expect(sheet.rows.last == [.text("依据 (basis)"), .text("依据X")])
    }

    @Test func ranksMoveAgainstThePreviousPeriod() {
        // Now: 1 → 90, 2 → 80, 3 → 90, 5 → 50. Before: 1 → 70 (3rd), 2 → 95 (1st), 3 → 80 (2nd); 5 is new.
        let ranks = ReportRanks(
            measure: "平均分", current: [1: 90, 2: 80, 3: 90, 5: 50], previous: [1: 70, 2: 95, 3: 80, 4: 10],
            previousLabel: "上一场", names: [1: "一", 2: "二", 3: "三"])
        #expect(ranks.previous == "上一场")
        #expect(ranks.lines.map(\.id) == [1, 3, 2, 5])
        #expect(ranks.lines.map(\.rank) == [1, 1, 3, 4], "equal means share a rank")
        #expect(ranks.lines.map(\.previousRank) == [3, 2, 1, nil])
        #expect(ranks.lines.map(\.change) == [2, 1, -2, nil])
        #expect(ranks.lines.map(\.movement) == ["▲2", "▲1", "▼2", "新"])
        #expect(ranks.lines.map(\.isNew) == [false, false, false, true])
        #expect(ranks.lines[3].name == "#5", "an unnamed unit is named by its id")
        let sheet = ranks.sheet()
        #expect(sheet.name == "支部排名" && sheet.header == ["名次", "支部", "平均分", "上期名次", "变化"])
        #expect(sheet.rows[0] == [.number(1), .text("一"), .text("90.00"), .number(3), .text("▲2")])
        #expect(sheet.rows[3] == [.number(4), .text("#5"), .text("50.00"), .text("新"), .text("新")])
        #expect(sheet.rows.last == [.text("对比"), .text("上一场")])
    }

    @Test func withoutAPreviousPeriodNothingIsNewOrMoved() {
        let ranks = ReportRanks(
            measure: "m", current: [1: 1, 2: 1], previous: nil, previousLabel: "ignored", names: [:])
        #expect(ranks.previous == nil)
        #expect(ranks.lines.map(\.rank) == [1, 1])
        #expect(ranks.lines.allSatisfy { !$0.isNew && $0.change == nil && $0.movement == "" })
        #expect(ReportRanks.movement(change: 0, isNew: false) == "—")
        #expect(ReportRanks.movement(change: -3, isNew: false) == "▼3")
    }
}
