import Testing

@testable import DengaoCore

/// Reports by member category (分层分类): who a filter counts at a moment, and the split's rows, on hand counts.
@Suite struct MemberCategorySplitTests {
    // Member 1 holds category 7 from 100 until 200 and again from 300; member 2 holds 7 from 0 on and 8 too;
    // member 3 holds only 8.
    static let spans = [
        Participation.CategorySpan(memberId: 1, categoryId: 7, since: 100, until: 200),
        Participation.CategorySpan(memberId: 1, categoryId: 7, since: 300, until: nil),
        Participation.CategorySpan(memberId: 2, categoryId: 7, since: 0, until: nil),
        Participation.CategorySpan(memberId: 2, categoryId: 8, since: 0, until: nil),
        Participation.CategorySpan(memberId: 3, categoryId: 8, since: 50, until: nil),
    ]

    @Test func aFilterCountsMembersHoldingTheCategoryAtTheMomentAndNeverGuests() {
        let filter = MemberCategoryFilter(categoryId: 7, name: "农村党员", spans: Self.spans)
        #expect(
            [99, 100, 199, 200, 299, 300, 10_000].map { filter.holds(1, at: $0) } == [
                false, true, true, false, false, true, true,
            ])
        #expect(filter.holds(2, at: 0))
        #expect(!filter.holds(3, at: 1_000), "member 3 holds another category")
        #expect(!filter.holds(nil, at: 150), "a guest holds no category")
    }

    @Test func sheetNamesNameTheCategoryWithinExcelsRules() {
        let filter = MemberCategoryFilter(categoryId: 7, name: "两新/组织*党员", spans: [])
        #expect(filter.sheetName("成绩") == "成绩（两新组织党员）")
        let long = MemberCategoryFilter(categoryId: 7, name: String(repeating: "类", count: 20), spans: [])
        #expect(long.sheetName("答题明细答题明细答题明细").count == 31)
        let renamed = filter.caption([Spreadsheet.Sheet(name: "支部", header: ["a"], rows: [])])
        #expect(renamed.map(\.name) == ["支部（两新组织党员）"])
    }

    @Test func theSplitHasARowPerCategoryAndCountsAMemberInEachOfTheirs() {
        // Roster at 150: members 1, 2, 3 and 4 (4 holds nothing). Scores: 1 → 10, 2 → 20, 5 (off the roster) → 99.
        let split = MemberCategorySplit(
            categories: [(id: 7, name: "农村党员"), (id: 8, name: "机关党员"), (id: 9, name: "离退休党员")],
            roster: [1: 10, 2: 10, 3: 11, 4: 11], scores: [1: 10, 2: 20, 5: 99], moment: 150, spans: Self.spans,
            measure: "平均分")
        #expect(split.rows.map(\.name) == ["农村党员", "机关党员", "离退休党员"])
        #expect(split.rows.map(\.roster) == [2, 2, 0])
        #expect(split.rows.map(\.participants) == [2, 1, 0])
        #expect(split.rows.map(\.rate) == [1, 0.5, nil])
        #expect(split.rows.map(\.meanScore) == [15, 20, nil])
        let sheet = split.sheet()
        #expect(sheet.name == "党员类别")
        #expect(sheet.header == ["党员类别", "应参人数", "参与人数", "参与率", "平均分"])
        #expect(sheet.rows[1] == [.text("机关党员"), .number(2), .number(1), .text("50.0%"), .text("20.00")])
        #expect(sheet.rows[2] == [.text("离退休党员"), .number(0), .number(0), .text("—"), .text("—")])
    }

}
