import DengaoCore
import Foundation
import GRDB

extension Store {
    /// The whole org tree as a value, for access decisions and path resolution.
    public func orgTree() throws -> OrgTree {
        try pool.read { db in try Store.orgTree(db) }
    }

    static func orgTree(_ db: Database) throws -> OrgTree {
        let rows = try Row.fetchAll(db, sql: "SELECT id, parentId, name, code FROM unit")
        return OrgTree(rows.map { OrgUnit(id: $0["id"], parentId: $0["parentId"], name: $0["name"], code: $0["code"]) })
    }

    /// The units below `root` (or all), depth first, with active member counts.
    public func units(under root: UnitID? = nil) throws -> [UnitSummary] {
        try pool.read { db in
            let tree = try Store.orgTree(db)
            let direct = try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(
                    db, sql: "SELECT unitId, COUNT(*) AS n FROM member WHERE active GROUP BY unitId"
                ).map { ($0["unitId"] as UnitID, $0["n"] as Int) })
            let ordered = tree.depthFirst(from: root)
            // Totals bottom-up: walking the depth-first order backwards sees every child before its parent.
            var totals: [UnitID: Int] = [:]
            for (unit, _) in ordered.reversed() {
                totals[unit.id, default: 0] += direct[unit.id] ?? 0
                if let parent = unit.parentId { totals[parent, default: 0] += totals[unit.id] ?? 0 }
            }
            return ordered.map { unit, depth in
                UnitSummary(
                    id: unit.id, parentId: unit.parentId, name: unit.name, code: unit.code,
                    path: tree.path(of: unit.id),
                    depth: depth, memberCount: direct[unit.id] ?? 0, totalMemberCount: totals[unit.id] ?? 0)
            }
        }
    }

    static func unitRef(_ id: UnitID, tree: OrgTree) throws -> UnitRef {
        guard let unit = tree.unit(id) else { throw StorageError.unitNotFound(id) }
        return UnitRef(id: id, name: unit.name, path: tree.path(of: id))
    }

    @discardableResult
    public func createUnit(name: String, parentId: UnitID?, code: String? = nil, at date: Date = Date()) throws
        -> UnitRef
    {
        let name = try Store.validatedUnitName(name)
        let code = Store.normalizedCode(code)
        return try pool.write { db in
            if let parentId, try Store.orgTree(db).unit(parentId) == nil { throw StorageError.unitNotFound(parentId) }
            try Store.checkSiblingName(name, parentId: parentId, excluding: nil, db)
            try Store.checkCode(code, excluding: nil, db)
            try db.execute(
                sql: "INSERT INTO unit (parentId, name, code, createdAt) VALUES (?, ?, ?, ?)",
                arguments: [parentId, name, code, date])
            return try Store.unitRef(UnitID(db.lastInsertedRowID), tree: Store.orgTree(db))
        }
    }

    /// Renames, recodes or moves a unit; a unit never moves into its own subtree.
    @discardableResult
    public func updateUnit(_ id: UnitID, name: String? = nil, code: String?? = nil, parentId: UnitID?? = nil) throws
        -> UnitRef
    {
        let name = try name.map(Store.validatedUnitName)
        return try pool.write { db in
            let tree = try Store.orgTree(db)
            guard let unit = tree.unit(id) else { throw StorageError.unitNotFound(id) }
            let newParent = parentId ?? unit.parentId
            if let newParent {
                guard tree.unit(newParent) != nil else { throw StorageError.unitNotFound(newParent) }
                if tree.isWithin(newParent, subtreeOf: id) {
                    throw StorageError.unitBelowItself
                }
            }
            let newName = name ?? unit.name
            try Store.checkSiblingName(newName, parentId: newParent, excluding: id, db)
            let newCode = code.map(Store.normalizedCode) ?? unit.code
            try Store.checkCode(newCode, excluding: id, db)
            try db.execute(
                sql: "UPDATE unit SET name = ?, code = ?, parentId = ? WHERE id = ?",
                arguments: [newName, newCode, newParent, id])
            return try Store.unitRef(id, tree: Store.orgTree(db))
        }
    }

    /// Deletes an empty unit; one with sub-units, members (ever), accounts or banks is refused.
    public func deleteUnit(_ id: UnitID) throws {
        try pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM unit WHERE id = ?", arguments: [id]) != nil else {
                throw StorageError.unitNotFound(id)
            }
            do {
                try db.execute(sql: "DELETE FROM unit WHERE id = ?", arguments: [id])
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw StorageError.unitInUse
            }
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

    private static func checkSiblingName(_ name: String, parentId: UnitID?, excluding id: UnitID?, _ db: Database)
        throws
    {
        let clash = try Int64.fetchOne(
            db, sql: "SELECT id FROM unit WHERE coalesce(parentId, 0) = ? AND name = ? AND id IS NOT ?",
            arguments: [parentId ?? 0, name, id])
        if clash != nil { throw StorageError.unitNameTaken(name) }
    }

    private static func checkCode(_ code: String?, excluding id: UnitID?, _ db: Database) throws {
        guard let code else { return }
        if try Int64.fetchOne(db, sql: "SELECT id FROM unit WHERE code = ? AND id IS NOT ?", arguments: [code, id])
            != nil
        {
            throw StorageError.unitCodeTaken(code)
        }
    }
}
