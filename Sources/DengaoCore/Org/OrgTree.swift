import Foundation

/// One unit of the organization: a committee (党委), a general branch (党总支), a branch (党支部) or anything between.
public struct OrgUnit: Sendable, Hashable, Codable {
    public var id: UnitID
    public var parentId: UnitID?
    public var name: String
    /// An optional code from the organization's own register, accepted wherever a path is.
    public var code: String?

    public init(id: UnitID, parentId: UnitID?, name: String, code: String? = nil) {
        self.id = id
        self.parentId = parentId
        self.name = name
        self.code = code
    }
}

/// The org tree as a value: lookups by id, paths, subtrees and containment, all without I/O.
///
/// Built from the unit rows on demand; the trees of real organizations have hundreds to a few thousand units,
/// so rebuilding the dictionaries per request costs microseconds and keeps the store the only source of truth.
public struct OrgTree: Sendable, Equatable {
    public static let pathSeparator: Character = "/"

    private let units: [UnitID: OrgUnit]
    private let childIds: [UnitID?: [UnitID]]

    public init(_ units: [OrgUnit]) {
        self.units = Dictionary(units.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var childIds: [UnitID?: [UnitID]] = [:]
        // Creation order: organizations number their branches 第一, 第二, 第三…, which no code-point sort gets right.
        for unit in units.sorted(by: { $0.id < $1.id }) {
            childIds[unit.parentId, default: []].append(unit.id)
        }
        self.childIds = childIds
    }

    public var isEmpty: Bool { units.isEmpty }

    public func unit(_ id: UnitID) -> OrgUnit? { units[id] }

    /// Children in creation order; `nil` asks for the top-level units.
    public func children(of id: UnitID?) -> [OrgUnit] {
        (childIds[id] ?? []).compactMap { units[$0] }
    }

    /// The unit and its ancestors, top-level unit first.
    public func lineage(of id: UnitID) -> [OrgUnit] {
        var lineage: [OrgUnit] = []
        var current = units[id]
        // The store forbids cycles; the bound keeps a corrupted row from hanging a request.
        while let unit = current, lineage.count <= units.count {
            lineage.append(unit)
            current = unit.parentId.flatMap { units[$0] }
        }
        return lineage.reversed()
    }

    /// `机关党委/第一党支部`.
    public func path(of id: UnitID) -> String {
        lineage(of: id).map(\.name).joined(separator: String(Self.pathSeparator))
    }

    /// Whether `id` is `root` or lies below it.
    public func isWithin(_ id: UnitID, subtreeOf root: UnitID) -> Bool {
        lineage(of: id).contains { $0.id == root }
    }

    /// The subtree of `root` (or the whole forest) in depth-first order, each unit with its depth below the start.
    public func depthFirst(from root: UnitID? = nil) -> [(unit: OrgUnit, depth: Int)] {
        var result: [(unit: OrgUnit, depth: Int)] = []
        var stack: [(UnitID, Int)]
        if let root {
            guard units[root] != nil else { return [] }
            stack = [(root, 0)]
        } else {
            stack = children(of: nil).reversed().map { ($0.id, 0) }
        }
        while let (id, depth) = stack.popLast(), result.count <= units.count {
            guard let unit = units[id] else { continue }
            result.append((unit, depth))
            stack.append(contentsOf: children(of: id).reversed().map { ($0.id, depth + 1) })
        }
        return result
    }

    /// Ids of `root` and everything below it.
    public func subtreeIds(of root: UnitID) -> Set<UnitID> {
        Set(depthFirst(from: root).map(\.unit.id))
    }

    public func unit(withCode code: String) -> OrgUnit? {
        units.values.first { $0.code == code }
    }

    /// Splits `机关党委 / 第一党支部` (also with the full-width ／ or a backslash) into trimmed names.
    public static func pathComponents(_ path: String) -> [String] {
        path.split(whereSeparator: { $0 == "/" || $0 == "／" || $0 == "\\" })
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
    }

    /// Follows `names` down from the children of `start`; nil when a step is missing.
    public func descend(_ names: some Collection<String>, from start: UnitID?) -> UnitID? {
        var current = start
        for name in names {
            guard let next = children(of: current).first(where: { $0.name == name }) else { return nil }
            current = next.id
        }
        return current
    }

    /// What a written unit reference names among the existing units.
    public enum Resolution: Equatable, Sendable {
        case found(UnitID)
        /// A path tail that several units end with.
        case ambiguous([OrgUnit])
        case notFound
    }

    /// Resolves a reference as people write it: a unit code, a path from the top, a path below `base`, or a tail
    /// of a path that exactly one unit in `scope` (or anywhere) ends with.
    public func resolve(_ reference: String, below base: UnitID? = nil, within scope: UnitID? = nil) -> Resolution {
        if let unit = unit(withCode: reference) { return .found(unit.id) }
        let names = Self.pathComponents(reference)
        guard !names.isEmpty else { return .notFound }
        if let id = descend(names, from: nil) { return .found(id) }
        if let base, let id = descend(names, from: base) { return .found(id) }
        let matches = units(endingWith: names, within: scope)
        switch matches.count {
        case 0: return .notFound
        case 1: return .found(matches[0].id)
        default: return .ambiguous(matches)
        }
    }

    /// Units in `scope` (or anywhere) whose path ends with `names`: how "第一党支部" alone finds its unit.
    public func units(endingWith names: [String], within scope: UnitID?) -> [OrgUnit] {
        guard let last = names.last else { return [] }
        let candidates = scope.map { depthFirst(from: $0).map(\.unit) } ?? Array(units.values)
        return candidates.filter { unit in
            guard unit.name == last else { return false }
            let tail = lineage(of: unit.id).suffix(names.count).map(\.name)
            return tail == names
        }.sorted { $0.id < $1.id }
    }
}
