import DengaoCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// The whole org tree as a value, for access decisions and path resolution.
    public func orgTree() async throws -> OrgTree {
        try await read { sql in try await Self.orgTree(sql) }
    }

    static func orgTree(_ sql: SQL) async throws -> OrgTree {
        let rows = try await sql.rows(
            "SELECT id, parentId, name, code FROM unit", as: (UnitID, UnitID?, String, String?).self)
        return OrgTree(rows.map { OrgUnit(id: $0.0, parentId: $0.1, name: $0.2, code: $0.3) })
    }

    /// Serializes the transactions that write the roster (units, members, placements, spans), as SQLite's single
    /// writer does: their checks ("is this number taken?", "is this name free among the siblings?") then hold until
    /// the write commits. Released with the transaction. Every roster write takes it, so it is also where the
    /// transaction is marked to bump `rosterChanges` once it commits.
    static func lockRoster(_ sql: SQL) async throws {
        sql.notes.noteRosterChange()
        try await sql.lock(.roster)
    }

    /// The units below `root` (or all), depth first, with active member counts.
    public func units(under root: UnitID? = nil) async throws -> [UnitSummary] {
        let (tree, counts) = try await read { sql in
            (
                try await Self.orgTree(sql),
                try await sql.rows(
                    "SELECT unitId, count(*) FROM member WHERE active GROUP BY unitId", as: (UnitID, Int).self)
            )
        }
        let direct = Dictionary(uniqueKeysWithValues: counts)
        let ordered = tree.depthFirst(from: root)
        // Totals bottom-up: walking the depth-first order backwards sees every child before its parent.
        var totals: [UnitID: Int] = [:]
        for (unit, _) in ordered.reversed() {
            totals[unit.id, default: 0] += direct[unit.id] ?? 0
            if let parent = unit.parentId { totals[parent, default: 0] += totals[unit.id] ?? 0 }
        }
        return ordered.map { unit, depth in
            UnitSummary(
                id: unit.id, parentId: unit.parentId, name: unit.name, code: unit.code, path: tree.path(of: unit.id),
                depth: depth, memberCount: direct[unit.id] ?? 0, totalMemberCount: totals[unit.id] ?? 0)
        }
    }

    static func unitRef(_ id: UnitID, tree: OrgTree) throws -> UnitRef {
        guard let unit = tree.unit(id) else { throw StorageError.unitNotFound(id) }
        return UnitRef(id: id, name: unit.name, path: tree.path(of: id))
    }

    @discardableResult
    public func createUnit(name: String, parentId: UnitID?, code: String? = nil, at date: Date = Date()) async throws
        -> UnitRef
    {
        let name = try Self.validatedUnitName(name)
        let code = Self.normalizedCode(code)
        return try await transaction { sql in
            try await Self.lockRoster(sql)
            if let parentId, try await Self.orgTree(sql).unit(parentId) == nil {
                throw StorageError.unitNotFound(parentId)
            }
            try await Self.checkSiblingName(name, parentId: parentId, excluding: nil, sql)
            try await Self.checkCode(code, excluding: nil, sql)
            let id = try await sql.value(
                "INSERT INTO unit (parentId, name, code, createdAt) VALUES (\(parentId), \(name), \(code), \(StoredDate.text(date))) RETURNING id",
                as: UnitID.self)!
            return try Self.unitRef(id, tree: await Self.orgTree(sql))
        }
    }

    /// Renames, recodes or moves a unit; a unit never moves into its own subtree.
    @discardableResult
    public func updateUnit(_ id: UnitID, name: String? = nil, code: String?? = nil, parentId: UnitID?? = nil)
        async throws
        -> UnitRef
    {
        let name = try name.map(Self.validatedUnitName)
        return try await transaction { sql in
            try await Self.lockRoster(sql)
            let tree = try await Self.orgTree(sql)
            guard let unit = tree.unit(id) else { throw StorageError.unitNotFound(id) }
            let newParent = parentId ?? unit.parentId
            if let newParent {
                guard tree.unit(newParent) != nil else { throw StorageError.unitNotFound(newParent) }
                if tree.isWithin(newParent, subtreeOf: id) {
                    throw StorageError.unitBelowItself
                }
            }
            let newName = name ?? unit.name
            try await Self.checkSiblingName(newName, parentId: newParent, excluding: id, sql)
            let newCode = code.map(Self.normalizedCode) ?? unit.code
            try await Self.checkCode(newCode, excluding: id, sql)
            try await sql.execute(
                "UPDATE unit SET name = \(newName), code = \(newCode), parentId = \(newParent) WHERE id = \(id)")
            return try Self.unitRef(id, tree: await Self.orgTree(sql))
        }
    }

    /// Deletes an empty unit; one with sub-units, members (ever), accounts or banks is refused.
    public func deleteUnit(_ id: UnitID) async throws {
        do {
            try await transaction { sql in
                try await Self.lockRoster(sql)
                guard try await sql.value("SELECT 1 FROM unit WHERE id = \(id)", as: Int.self) != nil else {
                    throw StorageError.unitNotFound(id)
                }
                try await sql.execute("DELETE FROM unit WHERE id = \(id)")
            }
        } catch let error as PostgresFailure where error.sqlState == "23503" {
            throw StorageError.unitInUse
        }
    }

    static func validatedUnitName(_ raw: String) throws -> String {
        switch UnitName.validated(raw) {
        case .success(let name): return name
        case .failure(let problem): throw StorageError.invalid(problem.description)
        }
    }

    static func normalizedCode(_ code: String?) -> String? {
        guard let trimmed = code?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }

    private static func checkSiblingName(_ name: String, parentId: UnitID?, excluding id: UnitID?, _ sql: SQL)
        async throws
    {
        let clash = try await sql.value(
            """
            SELECT id FROM unit WHERE coalesce(parentId, 0) = \(parentId ?? 0) AND name = \(name) AND id IS DISTINCT FROM \(id)
            """, as: Int64.self)
        if clash != nil { throw StorageError.unitNameTaken(name) }
    }

    private static func checkCode(_ code: String?, excluding id: UnitID?, _ sql: SQL) async throws {
        guard let code else { return }
        if try await sql.value("SELECT id FROM unit WHERE code = \(code) AND id IS DISTINCT FROM \(id)", as: Int64.self)
            != nil
        {
            throw StorageError.unitCodeTaken(code)
        }
    }
}
