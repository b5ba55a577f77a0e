import DengaoCore
import DengaoPostgres
import DengaoStorage
import Foundation
import Testing

/// Member categories (分层分类) through `any Storage`, the same assertions on a SQLite file and a PostgreSQL schema:
/// the list's rules, members' categories with their history, the listing's filter, and roster import.
@Suite struct MemberCategoryContractTests {
    typealias Backend = StorageContractTests.Backend
    static let created = StorageContractTests.created

    /// The usual list, whichever way the backend starts (a fresh SQLite file has it from its migration; a fresh,
    /// member-less PostgreSQL schema is left empty for `migrate-data`, and the server's first start fills it).
    static func usualList(_ storage: any Storage) async throws -> [String: MemberCategoryID] {
        let present = Set(try await storage.memberCategories().map(\.name))
        for name in MemberCategories.defaults where !present.contains(name) {
            try await storage.createMemberCategory(name: name)
        }
        return Dictionary(uniqueKeysWithValues: try await storage.memberCategories().map { ($0.name, $0.id) })
    }

    @Test(arguments: Backend.available) func theListRefusesDuplicatesBadNamesAndDeletingWhatIsInHistory(
        _ backend: Backend
    ) async throws {
        try await backend.withStorage { storage in
            let ids = try await Self.usualList(storage)
            #expect(try await storage.memberCategories().map(\.name) == MemberCategories.defaults)
            await #expect(throws: StorageError.memberCategoryTaken("党务干部")) {
                try await storage.createMemberCategory(name: " 党务干部 ")
            }
            await #expect(throws: StorageError.memberCategoryTaken("机关党员")) {
                try await storage.renameMemberCategory(ids["农村党员"]!, name: "机关党员")
            }
            await #expect(throws: StorageError.self) { try await storage.createMemberCategory(name: "甲、乙") }
            await #expect(throws: StorageError.memberCategoryNotFound(9_999)) {
                try await storage.deleteMemberCategory(9_999)
            }
            let added = try await storage.createMemberCategory(name: "流动党员")
            #expect(added.position == MemberCategories.defaults.count + 1 && added.memberCount == 0)

            let unit = try await storage.createUnit(name: "机关党委", parentId: nil, at: Self.created).id
            try await storage.addMember(number: "001", name: "甲", unitId: unit, at: Self.created)
            try await storage.updateMember(
                number: "001", MemberChanges(categories: ["流动党员"]), at: Self.created)
            await #expect(throws: StorageError.memberCategoryInUse("流动党员", holders: 1)) {
                try await storage.deleteMemberCategory(added.id)
            }
            try await storage.updateMember(
                number: "001", MemberChanges(categories: []), at: Self.created.addingTimeInterval(60))
            // Nobody holds it now, but someone did: the history keeps it.
            await #expect(throws: StorageError.memberCategoryInUse("流动党员", holders: 0)) {
                try await storage.deleteMemberCategory(added.id)
            }
            let renamed = try await storage.renameMemberCategory(added.id, name: "外出流动党员")
            #expect(renamed.name == "外出流动党员")
            #expect(try await storage.member(number: "001").categoryHistory.map(\.category) == ["外出流动党员"])
            try await storage.deleteMemberCategory(ids["两新组织党员"]!)
            #expect(!(try await storage.memberCategories().map(\.name).contains("两新组织党员")))
        }
    }

    /// A category's 大字 default is stored on creation, changed alone or with a new name, kept by a rename, and a
    /// bad name beside it changes neither.
    @Test(arguments: Backend.available) func theLargeTextDefaultIsStoredAndChangedWhole(_ backend: Backend) async throws
    {
        try await backend.withStorage { storage in
            _ = try await Self.usualList(storage)
            let added = try await storage.createMemberCategory(name: "流动党员", largeText: true)
            #expect(added.largeText)
            #expect(try await storage.createMemberCategory(name: "预备党员").largeText == false)
            let off = try await storage.updateMemberCategory(added.id, name: nil, largeText: false)
            #expect(off.name == "流动党员" && !off.largeText)
            await #expect(throws: StorageError.self) {
                try await storage.updateMemberCategory(added.id, name: "甲、乙", largeText: true)
            }
            let both = try await storage.updateMemberCategory(added.id, name: "外出流动党员", largeText: true)
            #expect(both.name == "外出流动党员" && both.largeText)
            #expect(try await storage.renameMemberCategory(added.id, name: "流动党员").largeText)
            await #expect(throws: StorageError.memberCategoryNotFound(9_999)) {
                try await storage.updateMemberCategory(9_999, name: nil, largeText: true)
            }
            let stored = Dictionary(
                uniqueKeysWithValues: try await storage.memberCategories().map { ($0.name, $0.largeText) })
            #expect(stored["流动党员"] == true && stored["预备党员"] == false && stored["农村党员"] == false)
        }
    }

    @Test(arguments: Backend.available) func membersCategoriesKeepTheirHistoryAndFilterTheListing(
        _ backend: Backend
    ) async throws {
        try await backend.withStorage { storage in
            let ids = try await Self.usualList(storage)
            let root = try await storage.createUnit(name: "机关党委", parentId: nil, at: Self.created).id
            let branch = try await storage.createUnit(name: "第一支部", parentId: root, at: Self.created).id
            try await storage.addMember(number: "001", name: "甲", unitId: branch, at: Self.created)
            try await storage.addMember(number: "002", name: "乙", unitId: branch, at: Self.created)
            let day2 = Self.created.addingTimeInterval(86_400), day3 = day2.addingTimeInterval(86_400)
            // Given out of the list's order: shown in the list's order.
            let set = try await storage.updateMember(
                number: "001", MemberChanges(categories: ["党务干部", "农村党员", "党务干部"]), at: day2)
            #expect(set.categories == ["农村党员", "党务干部"])
            // An unknown name changes nothing, not even the other fields of the same edit.
            await #expect(throws: StorageError.self) {
                try await storage.updateMember(
                    number: "001", MemberChanges(name: "改名", categories: ["农民"]), at: day3)
            }
            let unchanged = try await storage.member(number: "001")
            #expect(unchanged.member.name == "甲" && unchanged.member.categories == ["农村党员", "党务干部"])
            try await storage.updateMember(number: "001", MemberChanges(categories: ["农村党员", "机关党员"]), at: day3)
            let detail = try await storage.member(number: "001")
            #expect(detail.member.categories == ["农村党员", "机关党员"])
            #expect(
                detail.categoryHistory == [
                    CategorySpanView(category: "农村党员", since: day2),
                    CategorySpanView(category: "党务干部", since: day2, until: day3),
                    CategorySpanView(category: "机关党员", since: day3),
                ])
            let rural = try await storage.members(
                ofUnit: root, matching: MemberQuery(includeSubunits: true, categoryId: ids["农村党员"]))
            #expect(rural.members.map(\.number) == ["001"] && rural.total == 1)
            let workers = try await storage.members(
                ofUnit: root, matching: MemberQuery(includeSubunits: true, categoryId: ids["党务干部"]))
            #expect(workers.members.isEmpty && workers.total == 0)
            let all = try await storage.members(ofUnit: branch)
            #expect(all.members.map(\.categories) == [["农村党员", "机关党员"], []])
            #expect(try await storage.memberCategories().first { $0.name == "农村党员" }?.memberCount == 1)
        }
    }

    @Test(arguments: Backend.available) func aRosterSetsCategoriesAndAnUnknownOneChangesNothing(
        _ backend: Backend
    ) async throws {
        try await backend.withStorage { storage in
            _ = try await Self.usualList(storage)
            let root = try await storage.createUnit(name: "机关党委", parentId: nil, at: Self.created).id
            _ = try await storage.createUnit(name: "第一党支部", parentId: root, at: Self.created)
            try await storage.addMember(number: "1003", name: "张伟", unitId: root, at: Self.created)
            try await storage.updateMember(number: "1003", MemberChanges(categories: ["党务干部"]), at: Self.created)
            let (roster, readErrors) = try RosterReader.read(try coreFixture("roster-categories.xlsx"))
            #expect(readErrors.isEmpty)
            let result = try await storage.importRoster(roster, scope: nil, base: nil, createUnits: false)
            #expect(result.created == 2 && result.updated == 1)
            #expect(try await storage.member(number: "1001").member.categories == ["农村党员", "党务干部"])
            #expect(try await storage.member(number: "1002").member.categories == ["机关党员"])
            // An empty cell leaves the member's categories as they were.
            #expect(try await storage.member(number: "1003").member.categories == ["党务干部"])

            let unknown = try RosterReader.parse(
                Data("姓名,党员编号,所在支部,类别\n王建国,1001,机关党委/第一党支部,离退休党员\n新人,1009,机关党委/第一党支部,农民\n".utf8))
            do {
                _ = try await storage.importRoster(unknown, scope: nil, base: nil, createUnits: false)
                Issue.record("a roster naming an unknown category was imported")
            } catch let failure as ImportFailure {
                #expect(failure.errors.map(\.description).count == 1)
                #expect(failure.errors.first?.description.hasPrefix("第 3 行 (line 3): 没有类别「农民」") == true)
            }
            #expect(try await storage.member(number: "1001").member.categories == ["农村党员", "党务干部"])
            await #expect(throws: StorageError.memberNotFound("1009")) { try await storage.member(number: "1009") }
        }
    }
}

/// A fixture of the core tests (the roster files made by `make_fixtures.py`).
func coreFixture(_ name: String) throws -> Data {
    try Data(
        contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DengaoCoreTests/Fixtures/\(name)"))
}
