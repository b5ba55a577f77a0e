import Foundation
import Testing

@testable import DengaoCore

/// Member categories (分层分类) in the pure core: names, a roster's 类别 cells, and the planner's checks.
@Suite struct MemberCategoryTests {
    static let known: [String: MemberCategoryID] = ["农村党员": 1, "机关党员": 2, "离退休党员": 3, "两新组织党员": 4, "党务干部": 5]

    @Test func aCellListsSeveralCategoriesWithAnyUsualSeparator() {
        #expect(MemberCategories.split(" 农村党员、党务干部 ") == ["农村党员", "党务干部"])
        #expect(MemberCategories.split("农村党员,党务干部，机关党员;离退休党员；农村党员") == ["农村党员", "党务干部", "机关党员", "离退休党员"])
        #expect(MemberCategories.split("、 ,") == [])
    }

    @Test func namesAreShortPrintableAndWithoutSeparators() throws {
        #expect(try MemberCategories.validatedName("  党务干部 ").get() == "党务干部")
        #expect((try? MemberCategories.validatedName("").get()) == nil)
        #expect((try? MemberCategories.validatedName("甲、乙").get()) == nil)
        #expect((try? MemberCategories.validatedName("a\u{7}b").get()) == nil)
        #expect((try? MemberCategories.validatedName(String(repeating: "类", count: 21)).get()) == nil)
        #expect(MemberCategories.defaults.allSatisfy { (try? MemberCategories.validatedName($0).get()) == $0 })
    }

    @Test func unknownNamesAreNamedInChineseFirst() throws {
        #expect(try MemberCategories.resolve(["党务干部", "农村党员", "党务干部"], in: Self.known).get() == [5, 1])
        guard case .failure(let problem) = MemberCategories.resolve(["农民", "党务干部", "学生"], in: Self.known) else {
            Issue.record("unknown names resolved")
            return
        }
        #expect(problem.description.hasPrefix("没有类别「农民」、「学生」（现有类别："))
        #expect(problem.description.hasSuffix("(unknown member category \"农民\", \"学生\")"))
    }

    @Test func aRosterReadsTheCategoryColumnOfAnOpenpyxlWorkbook() throws {
        let parsed = try RosterReader.parse(try fixture("roster-categories.xlsx"))
        #expect(parsed.entries.map(\.categories) == [["农村党员", "党务干部"], ["机关党员"], nil])
    }

    @Test func aRosterReadsTheCategoryColumnOfAGB18030CSV() throws {
        let parsed = try RosterReader.parse(try fixture("roster-categories-gb18030.csv"))
        #expect(parsed.entries.map(\.categories) == [["离退休党员", "党务干部"], ["两新组织党员"]])
        #expect(parsed.entries.map(\.name) == ["王建国", "赵六"])
    }

    @Test func theCategoryCellOfABadRowIsALocatedError() {
        do {
            _ = try RosterReader.parse(Data("姓名,编号,支部,类别\n王,1,a,\"\(String(repeating: "类", count: 21))\"\n".utf8))
            Issue.record("a 21-character category was read")
        } catch {
            #expect(
                error.errors.map(\.description) == [
                    "第 2 行“类别”列 (line 2, column 类别): 类别名称最多 20 个字 (a category name has at most 20 characters)"
                ])
        }
    }

    @Test func thePlannerRefusesUnknownCategoriesPerRowAndNoticesChangedOnes() throws {
        let entries = [
            RosterEntry(number: "1", name: "王建国", unit: "JG01", categories: ["农村党员"], location: .line(2)),
            RosterEntry(number: "2", name: "李秀英", unit: "JG01", categories: ["农民"], location: .line(3)),
            RosterEntry(number: "3", name: "张伟", unit: "JG01", categories: ["学生", "党务干部"], location: .line(4)),
        ]
        do {
            _ = try RosterPlanner(tree: sampleTree, scope: nil, base: nil, createUnits: false, categories: Self.known)
                .plan(ParsedRoster(entries: entries), existing: [:])
            Issue.record("unknown categories were planned")
        } catch {
            #expect(error.errors.count == 2)
            #expect(error.errors[0].description.hasPrefix("第 3 行 (line 3): 没有类别「农民」"))
            #expect(error.errors[1].description.hasPrefix("第 4 行 (line 4): 没有类别「学生」"))
        }
        let existing = [
            "1": ExistingMember(id: 10, name: "王建国", phone: nil, unitId: 2, active: true, categoryIds: [1]),
            "2": ExistingMember(id: 11, name: "李秀英", phone: nil, unitId: 2, active: true, categoryIds: [1]),
            "3": ExistingMember(id: 12, name: "张伟", phone: nil, unitId: 2, active: true, categoryIds: [2]),
        ]
        let plan = try RosterPlanner(
            tree: sampleTree, scope: nil, base: nil, createUnits: false, categories: Self.known
        ).plan(
            ParsedRoster(entries: [
                entries[0],
                RosterEntry(number: "2", name: "李秀英", unit: "JG01", categories: ["机关党员", "党务干部"], location: .line(3)),
                RosterEntry(number: "3", name: "张伟", unit: "JG01", location: .line(4)),
            ]), existing: existing)
        #expect(plan.unchanged == 2, "the same categories, and an empty cell, change nothing")
        #expect(plan.updates.map(\.memberId) == [11])
        #expect(plan.updates.first?.categoryIds == [2, 5])
    }

    @Test func aHistoryRestrictedToCategoriesCountsMembersOnlyWhileTheyHoldOne() {
        // Member 1 is active throughout and rural from 100 to 300; member 2 rural from 0 but inactive from 200;
        // member 3 is an office member only; member 4 holds both targeted categories at once.
        let history = Participation.History(
            people: [:],
            placements: (1...4).map {
                Participation.Placement(memberId: MemberID($0), unitId: 7, since: 0, until: nil)
            },
            activeSpans: [
                .init(memberId: 1, since: 0, until: nil), .init(memberId: 2, since: 0, until: 200),
                .init(memberId: 3, since: 0, until: nil), .init(memberId: 4, since: 0, until: nil),
            ],
            categorySpans: [
                .init(memberId: 1, categoryId: 1, since: 100, until: 300),
                .init(memberId: 2, categoryId: 1, since: 0, until: nil),
                .init(memberId: 3, categoryId: 2, since: 0, until: nil),
                .init(memberId: 4, categoryId: 1, since: 0, until: nil),
                .init(memberId: 4, categoryId: 5, since: 0, until: nil),
            ])
        let targeted = history.restricted(toCategories: [1, 5])
        #expect(Set(targeted.roster(at: 50, within: nil).keys) == [2, 4])
        #expect(Set(targeted.roster(at: 150, within: nil).keys) == [1, 2, 4])
        #expect(Set(targeted.roster(at: 250, within: nil).keys) == [1, 4], "member 2 went inactive at 200")
        #expect(Set(targeted.roster(at: 300, within: nil).keys) == [4], "member 1 left the category at 300")
        #expect(Set(history.roster(at: 300, within: nil).keys) == [1, 3, 4], "the unrestricted history is as it was")
        let settings = CampaignSettings(title: "t", startDate: "2026-01-01", endDate: "2026-01-02", banks: ["b"])
        #expect(Set(settings.rosterHistory(history).roster(at: 300, within: nil).keys) == [1, 3, 4])
    }

    @Test func campaignSettingsKeepTheirTargetAndOldSettingsReadAsUntargeted() throws {
        var settings = CampaignSettings(title: "t", startDate: "2026-01-01", endDate: "2026-01-02", banks: ["b"])
        let untargeted = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
        #expect(!untargeted.contains("memberCategoryIds"), "an untargeted campaign is stored as before")
        #expect(try JSONDecoder().decode(CampaignSettings.self, from: Data(untargeted.utf8)) == settings)
        settings.memberCategoryIds = [3, 1]
        let targeted = try JSONEncoder().encode(settings)
        #expect(try JSONDecoder().decode(CampaignSettings.self, from: targeted).memberCategoryIds == [3, 1])
    }
}
