import DengaoCore
import DengaoPostgres
import Foundation
import Testing

/// Units, members and roster imports through `any Storage`, on a SQLite file and a PostgreSQL schema: the tree and its
/// sibling rules, a move's history, all-or-nothing imports, and the unique violations (a taken name, code or member
/// number) as the same `StorageError`s.
@Suite struct OrgContractTests {
    @Test(arguments: StorageBackend.available) func treeWithCountsAndSiblingRules(_ backend: StorageBackend)
        async throws
    {
        try await backend.withStorage { store in
            let committee = try await store.createUnit(name: "机关党委", parentId: nil).id
            let first = try await store.createUnit(name: "第一党支部", parentId: committee, code: "JG01").id
            let group = try await store.createUnit(name: "第一党小组", parentId: first).id
            try await store.addMember(number: "1", name: "王一", unitId: first)
            try await store.addMember(number: "2", name: "王二", unitId: group)
            try await store.addMember(number: "3", name: "王三", unitId: group)
            try await store.updateMember(number: "3", MemberChanges(active: false))
            let units = try await store.units()
            #expect(units.map(\.path) == ["机关党委", "机关党委/第一党支部", "机关党委/第一党支部/第一党小组"])
            #expect(units.map(\.memberCount) == [0, 1, 1])
            #expect(units.map(\.totalMemberCount) == [2, 2, 1])
            #expect(units.map(\.depth) == [0, 1, 2])
            #expect(try await store.units(under: first).map(\.depth) == [0, 1])
            await #expect(throws: StorageError.unitNameTaken("第一党支部")) {
                try await store.createUnit(name: "第一党支部", parentId: committee)
            }
            await #expect(throws: StorageError.unitCodeTaken("JG01")) {
                try await store.createUnit(name: "第二党支部", parentId: committee, code: "JG01")
            }
            await #expect(throws: StorageError.unitBelowItself) {
                try await store.updateUnit(committee, parentId: .some(group))
            }
            await #expect(throws: StorageError.self) { try await store.deleteUnit(group) }
            let empty = try await store.createUnit(name: "空支部", parentId: committee).id
            try await store.deleteUnit(empty)
            #expect(try await store.units().count == 3)
        }
    }

    @Test(arguments: StorageBackend.available) func movingAMemberKeepsTheHistory(_ backend: StorageBackend) async throws
    {
        try await backend.withStorage { store in
            let first = try await store.createUnit(name: "一支部", parentId: nil).id
            let second = try await store.createUnit(name: "二支部", parentId: nil).id
            try await store.addMember(
                number: "7", name: "张三", unitId: first, phone: "13800138000", at: Date(timeIntervalSince1970: 100))
            try await store.updateMember(
                number: "7", MemberChanges(unitId: second), at: Date(timeIntervalSince1970: 200))
            let detail = try await store.member(number: "7")
            #expect(detail.member.unit.id == second)
            #expect(detail.history.map(\.unit.id) == [first, second])
            #expect(detail.history[0].until == Date(timeIntervalSince1970: 200))
            #expect(detail.history[1].until == nil)
            // A unit a member was ever placed in cannot be deleted: the history needs it.
            await #expect(throws: StorageError.self) { try await store.deleteUnit(first) }
            await #expect(throws: StorageError.memberNumberTaken("7")) {
                try await store.addMember(number: "7", name: "重复", unitId: first)
            }
        }
    }

    @Test(arguments: StorageBackend.available) func rosterImportIsAllOrNothingAndReimportUpdatesByNumber(
        _ backend: StorageBackend
    ) async throws {
        try await backend.withStorage { store in
            let csv = "姓名,党员编号,所在支部,手机号\n王一,1,机关党委/第一党支部,13800138000\n王二,2,机关党委/第二党支部,\n"
            let created = try await store.importRoster(
                try RosterReader.parse(Data(csv.utf8)), scope: nil, base: nil, createUnits: true)
            #expect(created == RosterImportResult(created: 2, updated: 0, moved: 0, unchanged: 0, unitsCreated: 3))
            let again = try await store.importRoster(
                try RosterReader.parse(Data(csv.utf8)), scope: nil, base: nil, createUnits: false)
            #expect(again.unchanged == 2)
            let moved = "姓名,党员编号,所在支部\n王一,1,第二党支部\n王二改,2,第二党支部\n"
            let result = try await store.importRoster(
                try RosterReader.parse(Data(moved.utf8)), scope: nil, base: nil, createUnits: false)
            #expect(result.updated == 2 && result.moved == 1)
            #expect(try await store.member(number: "1").history.count == 2)
            #expect(
                try await store.member(number: "1").member.phone == "13800138000", "a roster without phones keeps them")
            #expect(try await store.member(number: "2").member.name == "王二改")

            let bad = "姓名,党员编号,所在支部\n新人,3,第二党支部\n王一,1,不存在\n"
            await #expect(throws: ImportFailure.self) {
                try await store.importRoster(
                    try RosterReader.parse(Data(bad.utf8)), scope: nil, base: nil, createUnits: false)
            }
            #expect((try? await store.member(number: "3")) == nil, "the good row of a failed file is not stored")
            #expect(try await store.member(number: "1").member.unit.name == "第二党支部")
        }
    }

    @Test(arguments: StorageBackend.available) func fieldErrorsAndUnknownUnitsAreReportedTogether(
        _ backend: StorageBackend
    ) async throws {
        try await backend.withStorage { store in
            try await store.createUnit(name: "一支部", parentId: nil)
            let csv = "姓名,党员编号,所在支部,手机号\n王一,1,一支部,123\n王二,2,没有的支部,\n王三,3,一支部,\n"
            let (roster, readErrors) = try RosterReader.read(Data(csv.utf8))
            #expect(roster.entries.count == 2 && readErrors.count == 1)
            do {
                _ = try await store.importRoster(
                    roster, readErrors: readErrors, scope: nil, base: nil, createUnits: false)
                Issue.record("a file with errors was imported")
            } catch let failure as ImportFailure {
                #expect(failure.errors.map(\.location) == [.lineField(line: 2, column: "手机号"), .line(3)])
            }
            #expect((try? await store.member(number: "3")) == nil)
        }
    }

    static func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

    /// A member's status (active / 停用) is kept with its dates, as placements are, so a day's roster counts a member
    /// only while they were active.
    @Test(arguments: StorageBackend.available) func deactivatingAndReactivatingKeepDatedSpans(_ backend: StorageBackend)
        async throws
    {
        try await backend.withStorage { store in
            let unit = try await store.createUnit(name: "一支部", parentId: nil).id
            try await store.addMember(number: "1", name: "王一", unitId: unit, at: Self.date(100))
            try await store.updateMember(number: "1", MemberChanges(active: false), at: Self.date(200))
            // Already inactive: no change; then a change that leaves the status alone.
            try await store.updateMember(number: "1", MemberChanges(active: false), at: Self.date(250))
            try await store.updateMember(number: "1", MemberChanges(name: "王壹"), at: Self.date(260))
            try await store.updateMember(number: "1", MemberChanges(active: true), at: Self.date(300))

            // A roster file with a 状态 column deactivates and creates inactive members the same way.
            let csv = "姓名,党员编号,所在支部,状态\n王壹,1,一支部,停用\n王二,2,一支部,停用\n王三,3,一支部,在册\n"
            _ = try await store.importRoster(
                try RosterReader.parse(Data(csv.utf8)), scope: nil, base: nil, createUnits: false, at: Self.date(400))

            let history = try await store.rosterHistory()
            let ids = Dictionary(uniqueKeysWithValues: history.people.map { ($0.value.number, $0.key) })
            let spans = history.activeSpans.sorted { ($0.memberId, $0.since) < ($1.memberId, $1.since) }
            #expect(
                spans == [
                    Participation.ActiveSpan(memberId: ids["1"]!, since: 100_000, until: 200_000),
                    Participation.ActiveSpan(memberId: ids["1"]!, since: 300_000, until: 400_000),
                    Participation.ActiveSpan(memberId: ids["3"]!, since: 400_000, until: nil),
                ])
            #expect(history.people[ids["1"]!] == Participation.History.Person(number: "1", name: "王壹"))
            #expect(history.roster(at: 150_000, within: nil) == [ids["1"]!: unit])
            #expect(history.roster(at: 200_000, within: nil).isEmpty, "inactive from the moment of the change")
            #expect(history.roster(at: 350_000, within: nil) == [ids["1"]!: unit])
            #expect(history.roster(at: 400_000, within: nil) == [ids["3"]!: unit])
            #expect(history.roster(at: 400_000, within: [UnitID(unit.rawValue + 1)]).isEmpty)
        }
    }
}

/// The member list the roster page pages through, and the namesake warning.
@Suite struct MemberListContractTests {
    @Test(arguments: StorageBackend.available) func membersArePagedByNumberFilteredByTextStatusAndSubtree(
        _ backend: StorageBackend
    ) async throws {
        try await backend.withStorage { store in
            let committee = try await store.createUnit(name: "机关党委", parentId: nil).id
            let branch = try await store.createUnit(name: "第一党支部", parentId: committee).id
            try await store.addMember(number: "B2", name: "王芳", unitId: branch, phone: "13900000001")
            try await store.addMember(number: "a1", name: "李 100%", unitId: branch)
            try await store.addMember(number: "A3", name: "王芳", unitId: branch)
            try await store.addMember(number: "C9", name: "赵四", unitId: committee)
            try await store.updateMember(number: "C9", MemberChanges(active: false))
            // Byte order of numbers, as SQLite's BINARY: upper case before lower case.
            let page = try await store.members(ofUnit: branch)
            #expect(page.members.map(\.number) == ["A3", "B2", "a1"] && page.total == 3)
            #expect(
                try await store.members(ofUnit: committee).members.isEmpty, "inactive members are hidden by default")
            let all = try await store.members(
                ofUnit: committee, matching: MemberQuery(includeSubunits: true, active: nil))
            #expect(all.members.map(\.number) == ["A3", "B2", "C9", "a1"])
            #expect(
                try await store.members(ofUnit: branch, matching: MemberQuery(text: "王")).members.map(\.number) == [
                    "A3", "B2",
                ])
            #expect(
                try await store.members(ofUnit: branch, matching: MemberQuery(text: "0001")).members.map(\.number) == [
                    "B2"
                ])
            #expect(
                try await store.members(ofUnit: branch, matching: MemberQuery(text: "%")).members.map(\.number) == [
                    "a1"
                ])
            #expect(
                try await store.members(ofUnit: branch, matching: MemberQuery(text: "b2")).members.map(\.number) == [
                    "B2"
                ])
            let second = try await store.members(ofUnit: branch, matching: MemberQuery(page: 2, pageSize: 2))
            #expect(second.members.map(\.number) == ["a1"] && second.total == 3 && second.page == 2)
            await #expect(throws: StorageError.unitNotFound(999)) { try await store.members(ofUnit: 999) }
            #expect(try await store.memberUnit(number: "B2") == branch)
            #expect(try await store.memberUnit(number: "none") == nil)
            #expect(try await store.sameNameMembers(as: "王芳", inUnit: branch, except: "B2") == ["A3"])
            await #expect(throws: StorageError.self) {
                try await store.addMember(number: "", name: "空", unitId: branch)
            }
        }
    }
}
