/// Who may touch what, decided from the principal and the org tree alone (no I/O).
///
/// Every route states one `AccessRequirement`; the server resolves the resource the request names to the unit
/// that owns it and asks this policy. Keeping the decision here makes it testable case by case.
public struct AccessPolicy: Sendable {
    public let tree: OrgTree

    public init(tree: OrgTree) { self.tree = tree }

    /// Units, members, invitations and organizer accounts of `unitId`.
    public func canManage(unit unitId: UnitID, as principal: Principal) -> Bool {
        switch principal {
        case .administrator: true
        case .organizer(_, let scope): tree.isWithin(unitId, subtreeOf: scope)
        case .member: false
        }
    }

    /// Moving or deleting a unit: as managing it, except that an organizer's own unit is the root of their scope,
    /// which they may rename but not move away or delete.
    public func canRestructure(unit unitId: UnitID, as principal: Principal) -> Bool {
        if case .organizer(_, let scope) = principal, scope == unitId { return false }
        return canManage(unit: unitId, as: principal)
    }

    /// Reading a bank: the organizer owns it (inside their subtree), or it is shared by an ancestor (or by the
    /// whole organization when it has no owner).
    public func canRead(bank: BankOwnership, as principal: Principal) -> Bool {
        switch principal {
        case .administrator: return true
        case .member: return false
        case .organizer(_, let scope):
            if let owner = bank.ownerUnitId, tree.isWithin(owner, subtreeOf: scope) { return true }
            guard bank.shared else { return false }
            guard let owner = bank.ownerUnitId else { return true }
            return tree.isWithin(scope, subtreeOf: owner)
        }
    }

    /// Changing a bank (new version, sharing, delete): only its owner's subtree; unowned banks are the admin's.
    public func canEdit(bank: BankOwnership, as principal: Principal) -> Bool {
        switch principal {
        case .administrator: true
        case .member: false
        case .organizer(_, let scope): bank.ownerUnitId.map { tree.isWithin($0, subtreeOf: scope) } ?? false
        }
    }

    /// An account may be managed by an admin, or by an organizer whose subtree holds the account's unit
    /// (never an admin account).
    public func canManage(account: AccountOwnership, as principal: Principal) -> Bool {
        switch principal {
        case .administrator: true
        case .member: false
        case .organizer(_, let scope):
            account.role == .organizer && account.unitId.map { tree.isWithin($0, subtreeOf: scope) } == true
        }
    }
}

public struct BankOwnership: Sendable, Equatable {
    public var ownerUnitId: UnitID?
    public var shared: Bool

    public init(ownerUnitId: UnitID?, shared: Bool) {
        self.ownerUnitId = ownerUnitId
        self.shared = shared
    }
}

public struct AccountOwnership: Sendable, Equatable {
    public var role: AccountRole
    public var unitId: UnitID?

    public init(role: AccountRole, unitId: UnitID?) {
        self.role = role
        self.unitId = unitId
    }
}
