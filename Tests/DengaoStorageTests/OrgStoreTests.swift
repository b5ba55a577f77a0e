import DengaoCore
import Foundation
import GRDB
import Testing

@testable import DengaoStorage

@Suite struct OrgStoreTests {
    @Test func treeWithCountsAndSiblingRules() throws {
        let (store, _) = try temporaryStore()
        let committee = try store.createUnit(name: "机关党委", parentId: nil).id
        let first = try store.createUnit(name: "第一党支部", parentId: committee, code: "JG01").id
        let group = try store.createUnit(name: "第一党小组", parentId: first).id
        try store.addMember(number: "1", name: "王一", unitId: first)
        try store.addMember(number: "2", name: "王二", unitId: group)
        try store.addMember(number: "3", name: "王三", unitId: group)
        try store.updateMember(number: "3", MemberChanges(active: false))
        let units = try store.units()
        #expect(units.map(\.path) == ["机关党委", "机关党委/第一党支部", "机关党委/第一党支部/第一党小组"])
        #expect(units.map(\.memberCount) == [0, 1, 1])
        #expect(units.map(\.totalMemberCount) == [2, 2, 1])
        #expect(units.map(\.depth) == [0, 1, 2])
        #expect(try store.units(under: first).map(\.depth) == [0, 1])
        #expect(throws: StorageError.unitNameTaken("第一党支部")) {
            try store.createUnit(name: "第一党支部", parentId: committee)
        }
        #expect(throws: StorageError.unitCodeTaken("JG01")) {
            try store.createUnit(name: "第二党支部", parentId: committee, code: "JG01")
        }
        #expect(throws: StorageError.unitBelowItself) {
            try store.updateUnit(committee, parentId: .some(group))
        }
        #expect(throws: StorageError.self) { try store.deleteUnit(group) }
        let empty = try store.createUnit(name: "空支部", parentId: committee).id
        try store.deleteUnit(empty)
        #expect(try store.units().count == 3)
    }

    @Test func movingAMemberKeepsTheHistory() throws {
        let (store, _) = try temporaryStore()
        let first = try store.createUnit(name: "一支部", parentId: nil).id
        let second = try store.createUnit(name: "二支部", parentId: nil).id
        try store.addMember(
            number: "7", name: "张三", unitId: first, phone: "13800138000", at: Date(timeIntervalSince1970: 100))
        try store.updateMember(number: "7", MemberChanges(unitId: second), at: Date(timeIntervalSince1970: 200))
        let detail = try store.member(number: "7")
        #expect(detail.member.unit.id == second)
        #expect(detail.history.map(\.unit.id) == [first, second])
        #expect(detail.history[0].until == Date(timeIntervalSince1970: 200))
        #expect(detail.history[1].until == nil)
        // A unit a member was ever placed in cannot be deleted: the history needs it.
        #expect(throws: StorageError.self) { try store.deleteUnit(first) }
        #expect(throws: StorageError.memberNumberTaken("7")) {
            try store.addMember(number: "7", name: "重复", unitId: first)
        }
    }

    @Test func rosterImportIsAllOrNothingAndReimportUpdatesByNumber() throws {
        let (store, _) = try temporaryStore()
        let csv = "姓名,党员编号,所在支部,手机号\n王一,1,机关党委/第一党支部,13800138000\n王二,2,机关党委/第二党支部,\n"
        let created = try store.importRoster(
            try RosterReader.parse(Data(csv.utf8)), scope: nil, base: nil, createUnits: true)
        #expect(created == RosterImportResult(created: 2, updated: 0, moved: 0, unchanged: 0, unitsCreated: 3))
        let again = try store.importRoster(
            try RosterReader.parse(Data(csv.utf8)), scope: nil, base: nil, createUnits: false)
        #expect(again.unchanged == 2)
        let moved = "姓名,党员编号,所在支部\n王一,1,第二党支部\n王二改,2,第二党支部\n"
        let result = try store.importRoster(
            try RosterReader.parse(Data(moved.utf8)), scope: nil, base: nil, createUnits: false)
        #expect(result.updated == 2 && result.moved == 1)
        #expect(try store.member(number: "1").history.count == 2)
        #expect(try store.member(number: "1").member.phone == "13800138000", "a roster without phones keeps them")
        #expect(try store.member(number: "2").member.name == "王二改")

        let bad = "姓名,党员编号,所在支部\n新人,3,第二党支部\n王一,1,不存在\n"
        #expect(throws: ImportFailure.self) {
            try store.importRoster(try RosterReader.parse(Data(bad.utf8)), scope: nil, base: nil, createUnits: false)
        }
        #expect((try? store.member(number: "3")) == nil, "the good row of a failed file is not stored")
        #expect(try store.member(number: "1").member.unit.name == "第二党支部")
    }

    @Test func fieldErrorsAndUnknownUnitsAreReportedTogether() throws {
        let (store, _) = try temporaryStore()
        try store.createUnit(name: "一支部", parentId: nil)
        let csv = "姓名,党员编号,所在支部,手机号\n王一,1,一支部,123\n王二,2,没有的支部,\n王三,3,一支部,\n"
        let (roster, readErrors) = try RosterReader.read(Data(csv.utf8))
        #expect(roster.entries.count == 2 && readErrors.count == 1)
        do {
            _ = try store.importRoster(roster, readErrors: readErrors, scope: nil, base: nil, createUnits: false)
            Issue.record("a file with errors was imported")
        } catch let failure as ImportFailure {
            #expect(failure.errors.map(\.location) == [.lineField(line: 2, column: "手机号"), .line(3)])
        }
        #expect((try? store.member(number: "3")) == nil)
    }

    @Test func sessionsEndWithTheirInvitationAccountOrMember() throws {
        let (store, _) = try temporaryStore()
        let unit = try store.createUnit(name: "支部", parentId: nil).id
        try store.addMember(number: "1", name: "王一", unitId: unit)
        let organizer = try store.createAccount(
            username: "Org", displayName: nil, passwordHash: "x", role: .organizer, unitId: unit)
        let invitation = try store.createInvitation(memberNumber: "1", tokenHash: "inv", createdBy: organizer.id)
        let later = Date().addingTimeInterval(3600)
        try store.createSession(tokenHash: "s1", csrfToken: "c", owner: .account(organizer.id), expiresAt: later)
        let member = try #require(try store.redeemableInvitation(tokenHash: "inv"))
        try store.createSession(
            tokenHash: "s2", csrfToken: "c", owner: .member(member.memberId, invitationId: member.invitationId),
            expiresAt: later)
        #expect(try store.session(tokenHash: "s1")?.principal == .organizer(accountId: organizer.id, unitId: unit))
        #expect(try store.session(tokenHash: "s2")?.principal == .member(memberId: member.memberId, unitId: unit))
        #expect(try store.session(tokenHash: "s1", at: later.addingTimeInterval(1)) == nil, "expired")
        #expect(try store.credentials(username: "org")?.account.username == "Org", "user names ignore case")

        try store.revokeInvitation(id: invitation.id)
        #expect(try store.session(tokenHash: "s2") == nil)
        #expect(try store.redeemableInvitation(tokenHash: "inv") == nil)
        try store.updateAccount(id: organizer.id, AccountChanges(disabled: true))
        #expect(try store.session(tokenHash: "s1") == nil)
    }

    @Test func theLastAdministratorStays() throws {
        let (store, _) = try temporaryStore()
        let admin = try store.createAccount(
            username: "admin", displayName: nil, passwordHash: "x", role: .admin, unitId: nil)
        #expect(throws: StorageError.lastAdministratorRemoved) {
            try store.deleteAccount(id: admin.id)
        }
        #expect(throws: StorageError.lastAdministratorDisabled) {
            try store.updateAccount(id: admin.id, AccountChanges(disabled: true))
        }
        #expect(throws: StorageError.organizerNeedsUnit) {
            try store.createAccount(username: "o", displayName: nil, passwordHash: "x", role: .organizer, unitId: nil)
        }
    }
}
