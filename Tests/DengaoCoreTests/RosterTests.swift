import Foundation
import Testing

@testable import DengaoCore

private func roster(_ csv: String) throws(ImportFailure) -> ParsedRoster {
    try RosterReader.parse(Data(csv.utf8))
}

private func errors(_ body: () throws -> Void) -> [String] {
    do {
        try body()
        return []
    } catch let failure as ImportFailure {
        return failure.errors.map(\.description)
    } catch {
        return ["\(error)"]
    }
}

@Suite struct RosterReaderTests {
    @Test func readsAnOpenpyxlWorkbookWithNumbersAsExcelStoresThem() throws {
        let parsed = try RosterReader.parse(try fixture("roster.xlsx"))
        #expect(parsed.entries.map(\.number) == ["1001", "1002", "D-003"])
        #expect(parsed.entries.map(\.name) == ["王建国", "李秀英", "张伟"])
        #expect(parsed.entries[0].phone == "13800138000")
        #expect(parsed.entries[1].phone == nil)
        #expect(parsed.entries[2].phone == "13800138001")
        #expect(parsed.entries[2].unit == "机关党委 / 第一党支部")
        #expect(parsed.entries[0].location == .row(sheet: "花名册", row: 2))
        #expect(parsed.warnings.map(\.message).contains { $0.contains("序号") })
    }

    @Test func reportsEveryBadRowOfABrokenWorkbookAtOnce() {
        let found = errors { _ = try RosterReader.parse(try fixture("roster-broken.xlsx")) }
        #expect(
            found.contains(
                "工作表“花名册”第 2 行“手机号”列 (sheet \"花名册\", row 2, column 手机号): 手机号“12345”不是 11 位手机号码 (phone \"12345\" is not an 11-digit mobile number)"
            ))
        #expect(found.contains("工作表“花名册”第 3 行“姓名”列 (sheet \"花名册\", row 3, column 姓名): 姓名为空 (the name is missing)"))
        #expect(found.count == 2, "row 4 is well-formed; its unknown unit is the planner's to find")
    }

    @Test func duplicateNumbersAreErrorsNamingTheFirstRow() {
        let found = errors { _ = try roster("姓名,编号,支部\n王,1,a\n李,2,a\n张,1,b\n") }
        #expect(found == ["第 4 行 (line 4): 党员编号 1 重复，已出现在第 2 行 (line 2) (member number 1 appears twice)"])
    }

    @Test func readsGB18030CSVWithStatus() throws {
        let parsed = try RosterReader.parse(try fixture("roster-gb18030.csv"))
        #expect(parsed.entries.map(\.active) == [true, false])
        #expect(parsed.entries[1].unit == "机关党委/第一党支部/第一党小组")
    }

    @Test func headerProblemsAndEmptyFiles() {
        #expect(
            errors { _ = try roster("名字,手机\n王,13800138000\n") }.contains(
                "第 1 行 (line 1): 表头：缺少“党员编号”列 (no 党员编号 column)"))
        #expect(errors { _ = try roster("") } == ["文件 (file): 文件是空的 (the file is empty)"])
        #expect(errors { _ = try roster("姓名,编号,支部\n") } == ["文件 (file): 没有找到党员 (no members found)"])
        #expect(
            errors { _ = try roster("姓名,编号,支部\n王,1,\n") } == [
                "第 2 行“支部”列 (line 2, column 支部): 所在支部为空 (the unit is missing)"
            ])
        #expect(!errors { _ = try RosterReader.parse(Data([0x50, 0x4B, 0x03, 0x04, 0x00])) }.isEmpty)
    }

    @Test func fieldRules() throws {
        #expect(try MemberFields.phone("+86 138 0013 8000").get() == "13800138000")
        #expect(try MemberFields.phone("1.3800138E10").get() == "13800138000")
        #expect(try MemberFields.number("1001.0").get() == "1001")
        #expect(try MemberFields.number("1001.5").get() == "1001.5")
        #expect((try? MemberFields.number("10 01").get()) == nil)
        #expect(try MemberFields.active("停用").get() == false)
        #expect((try? MemberFields.active("也许").get()) == nil)
    }
}

@Suite struct RosterPlannerTests {
    private func entry(_ number: String, _ unit: String, name: String = "某某", line: Int = 2) -> RosterEntry {
        RosterEntry(number: number, name: name, unit: unit, location: .line(line))
    }

    @Test func resolvesPathsCodesTailsAndRelativePaths() throws {
        let plan = try RosterPlanner(tree: sampleTree, scope: nil, base: nil, createUnits: false).plan(
            ParsedRoster(entries: [
                entry("1", "机关党委/第一党支部"), entry("2", "JG01"), entry("3", "第二党支部"),
                entry("4", "离退休党总支/第一党支部"), entry("5", "第一党支部/第一党小组"),
            ]),
            existing: [:])
        #expect(plan.creates.map(\.target) == [.existing(2), .existing(2), .existing(3), .existing(6), .existing(4)])
        #expect(plan.newUnits.isEmpty)
    }

    @Test func ambiguousUnknownAndOutOfScopeUnitsAreLocatedErrors() {
        let found = errors {
            _ = try RosterPlanner(tree: sampleTree, scope: 2, base: nil, createUnits: false).plan(
                ParsedRoster(entries: [
                    entry("1", "第一党小组", line: 2), entry("2", "机关党委/第二党支部", line: 3), entry("3", "第九支部", line: 4),
                ]),
                existing: [:])
        }
        #expect(found.count == 2)
        #expect(found[0].hasPrefix("第 3 行 (line 3): “机关党委/第二党支部”在您管理范围之外"))
        #expect(found[1].hasPrefix("第 4 行 (line 4): 组织中没有“第九支部”"))
        let ambiguous = errors {
            _ = try RosterPlanner(tree: sampleTree, scope: nil, base: nil, createUnits: false).plan(
                ParsedRoster(entries: [entry("1", "第一党支部")]), existing: [:])
        }
        #expect(ambiguous.first?.contains("matches several units: 机关党委/第一党支部; 离退休党总支/第一党支部") == true)
    }

    @Test func createsMissingUnitsOnceAndOnlyInsideTheScope() throws {
        let plan = try RosterPlanner(tree: sampleTree, scope: 1, base: nil, createUnits: true).plan(
            ParsedRoster(entries: [
                entry("1", "机关党委/第三党支部/第一党小组"), entry("2", "机关党委/第三党支部"), entry("3", "第四党支部"),
            ]),
            existing: [:])
        #expect(
            plan.newUnits == [
                .init(parent: .existing(1), name: "第三党支部"), .init(parent: .planned(0), name: "第一党小组"),
                .init(parent: .existing(1), name: "第四党支部"),
            ])
        #expect(plan.creates.map(\.target) == [.planned(1), .planned(0), .planned(2)])
        let outside = errors {
            _ = try RosterPlanner(tree: sampleTree, scope: 2, base: nil, createUnits: true).plan(
                ParsedRoster(entries: [entry("1", "离退休党总支/第三党支部")]), existing: [:])
        }
        #expect(outside.first?.contains("would be created outside") == true)
        let longName = String(repeating: "支", count: 61)
        let tooLong = errors {
            _ = try RosterPlanner(tree: sampleTree, scope: nil, base: nil, createUnits: true).plan(
                ParsedRoster(entries: [entry("1", "机关党委/\(longName)")]), existing: [:])
        }
        #expect(tooLong.count == 1)
        #expect(
            tooLong.first?.hasSuffix(
                "单位“机关党委/\(longName)”：单位名称最多 60 个字 (a unit name has at most 60 characters)") == true,
            "\(tooLong)")
    }

    @Test func reimportUpdatesMovesAndCountsUnchanged() throws {
        let existing = [
            "1": ExistingMember(id: 10, name: "王建国", phone: nil, unitId: 2, active: true),
            "2": ExistingMember(id: 11, name: "李秀英", phone: "13800138000", unitId: 2, active: true),
            "3": ExistingMember(id: 12, name: "外人", phone: nil, unitId: 6, active: true),
        ]
        let plan = try RosterPlanner(tree: sampleTree, scope: nil, base: nil, createUnits: false).plan(
            ParsedRoster(entries: [
                entry("1", "JG01", name: "王建国"), entry("2", "第二党支部", name: "李秀英"), entry("4", "JG01"),
            ]),
            existing: existing)
        #expect(plan.unchanged == 1)
        #expect(plan.updates.map(\.memberId) == [11])
        #expect(plan.movedCount == 1)
        #expect(plan.creates.map(\.entry.number) == ["4"])
        let foreign = errors {
            _ = try RosterPlanner(tree: sampleTree, scope: 1, base: nil, createUnits: false).plan(
                ParsedRoster(entries: [entry("3", "JG01")]), existing: existing)
        }
        #expect(foreign.first?.contains("belongs to a unit outside") == true)
    }
}
