import DengaoCore
import Foundation
import GRDB

extension Store {
    /// Gives every selected active member without a live invitation a new one, in one transaction: a member who
    /// already holds a link keeps it (revoke first to replace it). `newToken` returns a token and its hash. Throws
    /// `.invalid`, changing nothing, naming the selected numbers that are not active members of the unit, or when
    /// more than `limit` links would be made.
    public func inviteUninvited(
        _ selection: MemberSelection, createdBy: AccountID?, limit: Int, at date: Date = Date(),
        newToken: @Sendable () -> (token: String, hash: String)
    ) throws -> (created: [BulkInvitation], alreadyInvited: Int) {
        try pool.write { db in
            let tree = try Store.orgTree(db)
            let members = try Self.selectedMembers(selection, tree: tree, db)
            let uninvited = members.count { !$0.invited }
            guard uninvited <= limit else {
                throw StorageError.invalid(
                    "共有 \(uninvited) 名党员尚无邀请链接，一次最多生成 \(limit) 个，请按支部分批生成 (\(uninvited) members have no link; at most \(limit) at once)"
                )
            }
            var created: [BulkInvitation] = []
            var already = 0
            for member in members {
                if member.invited {
                    already += 1
                    continue
                }
                let (token, hash) = newToken()
                try db.execute(
                    sql: "INSERT INTO invitation (memberId, tokenHash, createdAt, createdById) VALUES (?, ?, ?, ?)",
                    arguments: [member.id, hash, date, createdBy])
                created.append(
                    BulkInvitation(
                        id: InvitationID(db.lastInsertedRowID), number: member.number, name: member.name,
                        unitPath: tree.path(of: member.unitId),
                        token: token))
            }
            return (created, already)
        }
    }

    /// Revokes every live invitation of the selected members and ends the sessions they opened; returns how many.
    public func revokeInvitations(_ selection: MemberSelection, at date: Date = Date()) throws -> Int {
        try pool.write { db in
            let members = try Self.selectedMembers(selection, tree: try Store.orgTree(db), db)
            var revoked = 0
            for member in members where member.invited {
                let ids = try InvitationID.fetchAll(
                    db, sql: "SELECT id FROM invitation WHERE memberId = ? AND revokedAt IS NULL",
                    arguments: [member.id])
                for id in ids {
                    try db.execute(sql: "UPDATE invitation SET revokedAt = ? WHERE id = ?", arguments: [date, id])
                    try db.execute(sql: "DELETE FROM session WHERE invitationId = ?", arguments: [id])
                }
                revoked += ids.count
            }
            return revoked
        }
    }

    private struct SelectedMember {
        var id: MemberID
        var number: String
        var name: String
        var unitId: UnitID
        var invited: Bool
    }

    /// The selection's active members, by unit path then number, each with whether a live invitation exists.
    private static func selectedMembers(_ selection: MemberSelection, tree: OrgTree, _ db: Database) throws
        -> [SelectedMember]
    {
        guard tree.unit(selection.unitId) != nil else { throw StorageError.unitNotFound(selection.unitId) }
        let units = selection.includeSubunits ? tree.subtreeIds(of: selection.unitId) : [selection.unitId]
        var members: [SelectedMember] = []
        let rows = try Row.fetchCursor(
            db,
            sql: "SELECT m.id, m.number, m.name, m.unitId, "
                + "EXISTS (SELECT 1 FROM invitation i WHERE i.memberId = m.id AND i.revokedAt IS NULL) AS invited "
                + "FROM member m WHERE m.active = 1")
        while let row = try rows.next() {
            let unitId: UnitID = row["unitId"]
            guard units.contains(unitId) else { continue }
            members.append(
                SelectedMember(
                    id: row["id"], number: row["number"], name: row["name"], unitId: unitId, invited: row["invited"]))
        }
        if let numbers = selection.numbers {
            let wanted = Set(numbers)
            let found = Set(members.map(\.number))
            let missing = numbers.filter { !found.contains($0) }
            guard missing.isEmpty else {
                let list = missing.prefix(10).joined(separator: "、")
                throw StorageError.invalid(
                    "以下编号不是该组织的在册党员：\(list) (not active members of this unit: \(missing.prefix(10).joined(separator: ", ")))"
                )
            }
            members = members.filter { wanted.contains($0.number) }
        }
        let paths = Dictionary(uniqueKeysWithValues: units.map { ($0, tree.path(of: $0)) })
        return members.sorted { (paths[$0.unitId] ?? "", $0.number) < (paths[$1.unitId] ?? "", $1.number) }
    }
}
