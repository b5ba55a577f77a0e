/// A unit as lists of branches name it: by its path below the list's owner, so two 第一党支部 under different
/// parents stay apart.
public struct NamedUnit: Sendable, Hashable, Encodable {
    public var id: UnitID
    public var name: String

    public init(id: UnitID, name: String) {
        self.id = id
        self.name = name
    }
}

/// The branches of an owner's subtree, as contests, campaigns and reports all count them: the units at the bottom
/// of the subtree (the owner itself when it has none) are the ones players pick and boards rank; `subtree` names
/// every unit below the owner, for members placed above the bottom level.
public struct Branches: Sendable, Hashable {
    public let pickable: [NamedUnit]
    public let subtree: [NamedUnit]

    public init(pickable: [NamedUnit], subtree: [NamedUnit]) {
        self.pickable = pickable
        self.subtree = subtree
    }

    /// The branches below `owner` (the whole forest when nil) in `tree`.
    public init(of owner: UnitID?, in tree: OrgTree) {
        let ownerDepth = owner.map { tree.lineage(of: $0).count } ?? 0
        let subtree = tree.depthFirst(from: owner).map { entry in
            let names = tree.lineage(of: entry.unit.id).dropFirst(ownerDepth).map(\.name)
            return NamedUnit(id: entry.unit.id, name: names.isEmpty ? entry.unit.name : names.joined(separator: "/"))
        }
        let leaves = subtree.filter { tree.children(of: $0.id).isEmpty }
        self.init(pickable: leaves.isEmpty ? subtree : leaves, subtree: subtree)
    }

    /// Every listed unit's name by id (a unit in both lists is named alike in each).
    public var names: [UnitID: String] {
        Dictionary((subtree + pickable).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// The pickable branch a unit counts under: itself or its nearest listed ancestor; nil outside the subtree.
    public func pickable(for unit: UnitID, in tree: OrgTree) -> UnitID? {
        let listed = Set(pickable.map(\.id))
        return tree.lineage(of: unit).reversed().first { listed.contains($0.id) }?.id
    }
}
