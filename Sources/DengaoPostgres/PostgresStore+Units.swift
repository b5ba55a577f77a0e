import DengaoCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// The whole org tree as a value, for access decisions and path resolution.
    public func orgTree() async throws -> OrgTree {
        try await read { sql in try await Self.orgTree(sql) }
    }

    static func orgTree(_ sql: SQL) async throws -> OrgTree {
        let rows = try await sql.rows("SELECT id, parentId, name, code FROM unit", as: (Int64, Int64?, String, String?).self)
        return OrgTree(rows.map { OrgUnit(id: $0.0, parentId: $0.1, name: $0.2, code: $0.3) })
    }

    static func unitRef(_ id: Int64, tree: OrgTree) throws -> UnitRef {
        guard let unit = tree.unit(id) else { throw StoreError.unitNotFound(id) }
        return UnitRef(id: id, name: unit.name, path: tree.path(of: id))
    }
}
