/// A member already in the store, as far as a roster import needs to know.
public struct ExistingMember: Sendable, Equatable {
    public var id: MemberID
    public var name: String
    public var phone: String?
    public var unitId: UnitID
    public var active: Bool
    /// The ids of the categories the member holds now.
    public var categoryIds: Set<MemberCategoryID>

    public init(
        id: MemberID, name: String, phone: String?, unitId: UnitID, active: Bool,
        categoryIds: Set<MemberCategoryID> = []
    ) {
        self.id = id
        self.name = name
        self.phone = phone
        self.unitId = unitId
        self.active = active
        self.categoryIds = categoryIds
    }
}

/// What a roster import will do, decided before anything is written so that a bad file changes nothing.
public struct RosterPlan: Sendable, Equatable {
    /// A unit that exists, or one this plan creates (an index into `newUnits`, parents before children).
    public enum UnitTarget: Sendable, Hashable {
        case existing(UnitID)
        case planned(Int)
    }

    public struct NewUnit: Sendable, Equatable {
        /// nil: a new top-level unit.
        public var parent: UnitTarget?
        public var name: String
    }

    public struct Change: Sendable, Equatable {
        public var entry: RosterEntry
        /// nil for a member the import creates.
        public var memberId: MemberID?
        public var target: UnitTarget
        public var moved: Bool
        /// The member's categories from now on (ids of the organization's list); nil leaves them as they are.
        public var categoryIds: [MemberCategoryID]? = nil
    }

    public var newUnits: [NewUnit] = []
    public var creates: [Change] = []
    public var updates: [Change] = []
    public var unchanged = 0
    public var movedCount: Int { updates.filter(\.moved).count }
}

/// Resolves every entry's unit and compares it with the stored member, collecting every problem at once.
public struct RosterPlanner {
    public let tree: OrgTree
    /// The importer's subtree; nil for an administrator.
    public let scope: UnitID?
    /// Where relative paths start; defaults to the scope.
    public let base: UnitID?
    public let createUnits: Bool
    /// The organization's member categories, name → id: a 类别 cell may name only these.
    public let categories: [String: MemberCategoryID]

    public init(
        tree: OrgTree, scope: UnitID?, base: UnitID?, createUnits: Bool, categories: [String: MemberCategoryID] = [:]
    ) {
        self.tree = tree
        self.scope = scope
        self.base = base ?? scope
        self.createUnits = createUnits
        self.categories = categories
    }

    public func plan(_ roster: ParsedRoster, existing: [String: ExistingMember]) throws(ImportFailure) -> RosterPlan {
        var plan = RosterPlan()
        var errors: [ImportIssue] = []
        var planned: [PlannedKey: Int] = [:]
        var resolvedReferences: [String: RosterPlan.UnitTarget] = [:]
        for entry in roster.entries {
            var categoryIds: [MemberCategoryID]? = nil
            if let names = entry.categories {
                switch MemberCategories.resolve(names, in: categories) {
                case .success(let ids): categoryIds = ids
                case .failure(let problem):
                    errors.append(.error(entry.location, problem.description))
                    continue
                }
            }
            let target: RosterPlan.UnitTarget
            if let known = resolvedReferences[entry.unit] {
                target = known
            } else {
                switch resolve(entry.unit, plan: &plan, planned: &planned) {
                case .success(let found):
                    target = found
                    resolvedReferences[entry.unit] = found
                case .failure(let problem):
                    errors.append(.error(entry.location, problem.message))
                    continue
                }
            }
            guard let member = existing[entry.number] else {
                plan.creates.append(
                    .init(entry: entry, memberId: nil, target: target, moved: false, categoryIds: categoryIds))
                continue
            }
            if let scope, !tree.isWithin(member.unitId, subtreeOf: scope) {
                errors.append(
                    .error(
                        entry.location,
                        "党员编号 \(entry.number) 属于您管理范围之外的组织 (member number \(entry.number) belongs to a unit outside your part of the organization)"
                    ))
                continue
            }
            let moved = target != .existing(member.unitId)
            let changed =
                moved || member.name != entry.name || (entry.phone != nil && entry.phone != member.phone)
                || (entry.active != nil && entry.active != member.active)
                || (categoryIds != nil && Set(categoryIds!) != member.categoryIds)
            if changed {
                plan.updates.append(
                    .init(entry: entry, memberId: member.id, target: target, moved: moved, categoryIds: categoryIds))
            } else {
                plan.unchanged += 1
            }
        }
        guard errors.isEmpty else { throw ImportFailure(errors: errors, warnings: roster.warnings) }
        return plan
    }

    private struct PlannedKey: Hashable {
        var parent: RosterPlan.UnitTarget?
        var name: String
    }

    struct Problem: Error { var message: String }

    private func resolve(
        _ reference: String, plan: inout RosterPlan, planned: inout [PlannedKey: Int]
    ) -> Result<RosterPlan.UnitTarget, Problem> {
        let names = OrgTree.pathComponents(reference)
        guard !names.isEmpty else {
            return .failure(Problem(message: "所在支部“\(reference)”不是组织路径 (the unit \"\(reference)\" is not a path)"))
        }
        switch tree.resolve(reference, below: base, within: scope) {
        case .found(let id): return checkScope(id, reference)
        case .ambiguous(let matches):
            let paths = matches.prefix(5).map { tree.path(of: $0.id) }.joined(separator: "; ")
            return .failure(
                Problem(
                    message:
                        "“\(reference)”对应多个组织：\(paths)，请写完整路径 (the unit \"\(reference)\" matches several units: \(paths) — write the whole path)"
                ))
        case .notFound: break
        }
        guard createUnits else {
            return .failure(
                Problem(
                    message:
                        "组织中没有“\(reference)”（请从顶层写出路径，或允许创建组织） (no unit \"\(reference)\" in the organization: write its path from the top, or allow creating units)"
                ))
        }
        // Attach the missing tail to the deepest existing unit the path starts with: from the top when its first
        // name is a top-level unit, otherwise below the base.
        var attach: UnitID? = nil
        var existingCount = 0
        if tree.descend(names.prefix(1), from: nil) != nil {
            while existingCount < names.count, let id = tree.descend(names.prefix(existingCount + 1), from: nil) {
                attach = id
                existingCount += 1
            }
        } else if let base {
            attach = base
            while existingCount < names.count, let id = tree.descend(names.prefix(existingCount + 1), from: base) {
                attach = id
                existingCount += 1
            }
        }
        if let scope {
            guard let attach, tree.isWithin(attach, subtreeOf: scope) else {
                return .failure(
                    Problem(
                        message:
                            "“\(reference)”将建在您管理范围之外 (the unit \"\(reference)\" would be created outside your part of the organization)"
                    ))
            }
        }
        var parent: RosterPlan.UnitTarget? = attach.map { .existing($0) }
        for raw in names.dropFirst(existingCount) {
            let name: String
            switch UnitName.validated(raw) {
            case .success(let valid): name = valid
            case .failure(let problem): return .failure(Problem(message: "单位“\(reference)”：\(problem)"))
            }
            let key = PlannedKey(parent: parent, name: name)
            if let index = planned[key] {
                parent = .planned(index)
            } else {
                plan.newUnits.append(.init(parent: parent, name: name))
                planned[key] = plan.newUnits.count - 1
                parent = .planned(plan.newUnits.count - 1)
            }
        }
        return .success(parent!)
    }

    private func checkScope(_ id: UnitID, _ reference: String) -> Result<RosterPlan.UnitTarget, Problem> {
        if let scope, !tree.isWithin(id, subtreeOf: scope) {
            return .failure(
                Problem(
                    message:
                        "“\(reference)”在您管理范围之外 (the unit \"\(reference)\" is outside your part of the organization)"))
        }
        return .success(.existing(id))
    }
}
