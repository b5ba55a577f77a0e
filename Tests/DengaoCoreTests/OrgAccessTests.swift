import Testing

@testable import DengaoCore

/// 机关党委 (1) → 第一党支部 (2) → 第一党小组 (4); 机关党委 → 第二党支部 (3); 离退休党总支 (5) → 第一党支部 (6).
let sampleTree = OrgTree([
    OrgUnit(id: 1, parentId: nil, name: "机关党委"),
    OrgUnit(id: 2, parentId: 1, name: "第一党支部", code: "JG01"),
    OrgUnit(id: 3, parentId: 1, name: "第二党支部"),
    OrgUnit(id: 4, parentId: 2, name: "第一党小组"),
    OrgUnit(id: 5, parentId: nil, name: "离退休党总支"),
    OrgUnit(id: 6, parentId: 5, name: "第一党支部"),
])

@Suite struct OrgTreeTests {
    @Test func pathsLineageAndContainment() {
        #expect(sampleTree.path(of: 4) == "机关党委/第一党支部/第一党小组")
        #expect(sampleTree.lineage(of: 4).map(\.id) == [1, 2, 4])
        #expect(sampleTree.isWithin(4, subtreeOf: 1))
        #expect(sampleTree.isWithin(2, subtreeOf: 2))
        #expect(!sampleTree.isWithin(3, subtreeOf: 2))
        #expect(!sampleTree.isWithin(1, subtreeOf: 2))
        #expect(sampleTree.subtreeIds(of: 1) == [1, 2, 3, 4])
    }

    @Test func depthFirstOrderWithDepths() {
        let order = sampleTree.depthFirst().map { "\($0.unit.id):\($0.depth)" }
        #expect(order == ["1:0", "2:1", "4:2", "3:1", "5:0", "6:1"])
        #expect(sampleTree.depthFirst(from: 2).map(\.unit.id) == [2, 4])
        #expect(sampleTree.depthFirst(from: 99).isEmpty)
    }

    @Test func resolvingPathsTailsAndSeparators() {
        #expect(OrgTree.pathComponents(" 机关党委 ／ 第一党支部/ ") == ["机关党委", "第一党支部"])
        #expect(sampleTree.descend(["机关党委", "第一党支部"], from: nil) == 2)
        #expect(sampleTree.descend(["第一党支部"], from: 5) == 6)
        #expect(sampleTree.descend(["第九党支部"], from: 1) == nil)
        #expect(sampleTree.units(endingWith: ["第一党支部"], within: nil).map(\.id) == [2, 6])
        #expect(sampleTree.units(endingWith: ["第一党支部"], within: 1).map(\.id) == [2])
        #expect(sampleTree.units(endingWith: ["离退休党总支", "第一党支部"], within: nil).map(\.id) == [6])
    }

    @Test func unitNamesCannotHoldSeparatorsOrBeEmpty() throws {
        #expect(try UnitName.validated(" 第一党支部 ").get() == "第一党支部")
        #expect(UnitName.validated("  ") == .failure(.empty))
        #expect(UnitName.validated("a/b") == .failure(.containsSeparator))
        #expect(UnitName.validated("a／b") == .failure(.containsSeparator))
        #expect(UnitName.validated(String(repeating: "支", count: 61)) == .failure(.tooLong(maximum: 60)))
        #expect(UnitNameProblem.containsSeparator.description.hasPrefix("单位名称不能含有 /"))
        #expect(
            UnitNameProblem.controlCharacter.description
                == "单位名称不能含有控制字符 (a unit name cannot contain control characters)")
    }
}

@Suite struct AccessPolicyTests {
    let policy = AccessPolicy(tree: sampleTree)
    let admin = Principal.administrator(accountId: 1)
    let branchOne = Principal.organizer(accountId: 2, unitId: 2)
    let committee = Principal.organizer(accountId: 3, unitId: 1)
    let member = Principal.member(memberId: 9, unitId: 2)

    @Test func unitsAreManagedWithinTheSubtree() {
        #expect(policy.canManage(unit: 4, as: branchOne))
        #expect(policy.canManage(unit: 2, as: branchOne))
        #expect(!policy.canManage(unit: 3, as: branchOne))
        #expect(!policy.canManage(unit: 1, as: branchOne))
        #expect(!policy.canManage(unit: 6, as: branchOne), "a same-named branch elsewhere is not theirs")
        #expect(policy.canManage(unit: 3, as: committee))
        #expect(policy.canManage(unit: 6, as: admin))
        #expect(!policy.canManage(unit: 2, as: member))
    }

    @Test func anOrganizersOwnUnitCannotBeMovedOrDeletedByThem() {
        #expect(!policy.canRestructure(unit: 2, as: branchOne))
        #expect(policy.canRestructure(unit: 4, as: branchOne))
        #expect(policy.canRestructure(unit: 2, as: committee))
        #expect(!policy.canRestructure(unit: 3, as: branchOne))
    }

    @Test func banksAreReadWhenOwnedBelowOrSharedFromAbove() {
        let ownedByBranchTwo = BankOwnership(ownerUnitId: 3, shared: false)
        let sharedByCommittee = BankOwnership(ownerUnitId: 1, shared: true)
        let privateToCommittee = BankOwnership(ownerUnitId: 1, shared: false)
        let sharedBySmallGroup = BankOwnership(ownerUnitId: 4, shared: true)
        let organizationWide = BankOwnership(ownerUnitId: nil, shared: true)
        let adminOnly = BankOwnership(ownerUnitId: nil, shared: false)
        #expect(!policy.canRead(bank: ownedByBranchTwo, as: branchOne))
        #expect(policy.canRead(bank: sharedByCommittee, as: branchOne))
        #expect(!policy.canRead(bank: privateToCommittee, as: branchOne))
        #expect(policy.canRead(bank: sharedBySmallGroup, as: branchOne), "owned inside the subtree")
        #expect(
            !policy.canRead(bank: sharedBySmallGroup, as: Principal.organizer(accountId: 4, unitId: 3)),
            "sharing goes down, not sideways")
        #expect(policy.canRead(bank: organizationWide, as: branchOne))
        #expect(!policy.canRead(bank: adminOnly, as: branchOne))
        #expect(policy.canRead(bank: adminOnly, as: admin))
        #expect(!policy.canRead(bank: organizationWide, as: member))
    }

    @Test func banksAreEditedOnlyByTheOwnersSubtree() {
        #expect(!policy.canEdit(bank: BankOwnership(ownerUnitId: 1, shared: true), as: branchOne))
        #expect(policy.canEdit(bank: BankOwnership(ownerUnitId: 4, shared: false), as: branchOne))
        #expect(policy.canEdit(bank: BankOwnership(ownerUnitId: 2, shared: false), as: committee))
        #expect(!policy.canEdit(bank: BankOwnership(ownerUnitId: nil, shared: true), as: committee))
        #expect(policy.canEdit(bank: BankOwnership(ownerUnitId: nil, shared: true), as: admin))
    }

    @Test func organizersManageOrganizerAccountsBelowThemNeverAdmins() {
        #expect(policy.canManage(account: AccountOwnership(role: .organizer, unitId: 4), as: branchOne))
        #expect(!policy.canManage(account: AccountOwnership(role: .organizer, unitId: 3), as: branchOne))
        #expect(!policy.canManage(account: AccountOwnership(role: .admin, unitId: nil), as: committee))
        #expect(policy.canManage(account: AccountOwnership(role: .admin, unitId: nil), as: admin))
    }
}

@Suite struct AttemptLimiterTests {
    @Test func blocksAtTheLimitUntilTheOldestFailureLeavesTheWindow() {
        var limiter = AttemptLimiter(maximumFailures: 3, window: 100)
        for time in [0.0, 10, 20] {
            #expect(limiter.retryAfter("a", now: time) == nil)
            limiter.recordFailure("a", now: time)
        }
        #expect(limiter.retryAfter("a", now: 30) == 70)
        #expect(limiter.retryAfter("b", now: 30) == nil)
        #expect(limiter.retryAfter("a", now: 100.5) == nil, "the failure at 0 has left the window")
        limiter.recordFailure("a", now: 101)
        #expect(limiter.retryAfter("a", now: 101) != nil)
        limiter.reset("a")
        #expect(limiter.retryAfter("a", now: 101) == nil)
    }

    @Test func memoryIsBoundedByForgettingTheOldestKeys() {
        var limiter = AttemptLimiter(maximumFailures: 2, window: 1000, maximumKeys: 100)
        for index in 0..<1000 { limiter.recordFailure("k\(index)", now: Double(index)) }
        #expect(limiter.trackedKeys <= 100)
        limiter.recordFailure("k999", now: 1000)
        #expect(limiter.retryAfter("k999", now: 1000) != nil, "recent keys are kept")
    }
}
