import DengaoCore
import Foundation
import PostgresNIO

/// Bulk invitations, as the SQLite store's `Store+BulkInvitations`.
extension PostgresStore {
    /// Gives every selected active member without a live invitation a new one, in one transaction: a member who
    /// already holds a link keeps it (revoke first to replace it). `newToken` returns a token and its hash. Throws
    /// `.invalid`, changing nothing, naming the selected numbers that are not active members of the unit, or when
    /// more than `limit` links would be made.
    public func inviteUninvited(
        _ selection: MemberSelection, createdBy: AccountID?, limit: Int, at date: Date = Date(),
        newToken: @Sendable () -> (token: String, hash: String)
    ) async throws -> (created: [BulkInvitation], alreadyInvited: Int) {
        try await transaction { sql in
            try await Self.lockInvitations(sql)
            let tree = try await Self.orgTree(sql)
            let members = try await Self.selectedMembers(selection, tree: tree, sql)
            let uninvited = members.count { !$0.invited }
            guard uninvited <= limit else {
                throw StorageError.invalid(
                    "共有 \(uninvited) 名党员尚无邀请链接，一次最多生成 \(limit) 个，请按支部分批生成 (\(uninvited) members have no link; at most \(limit) at once)"
                )
            }
            var created: [BulkInvitation] = []
            var already = 0
            let createdAt = StoredDate.text(date)
            for member in members {
                if member.invited {
                    already += 1
                    continue
                }
                let (token, hash) = newToken()
                let id = try await sql.value(
                    """
                    INSERT INTO invitation (memberId, tokenHash, createdAt, createdById)
                    VALUES (\(member.id), \(hash), \(createdAt), \(createdBy)) RETURNING id
                    """, as: InvitationID.self)
                guard let id else { throw StorageError.corrupt("an invitation was not stored") }
                created.append(
                    BulkInvitation(
                        id: id, number: member.number, name: member.name, unitPath: tree.path(of: member.unitId),
                        token: token))
            }
            return (created, already)
        }
    }

    /// Revokes every live invitation of the selected members and ends the sessions they opened; returns how many.
    public func revokeInvitations(_ selection: MemberSelection, at date: Date = Date()) async throws -> Int {
        try await transaction { sql in
            try await Self.lockInvitations(sql)
            let members = try await Self.selectedMembers(selection, tree: try await Self.orgTree(sql), sql)
            let invited = members.filter(\.invited).map(\.id)
            guard !invited.isEmpty else { return 0 }
            let ids = try await sql.values(
                "SELECT id FROM invitation WHERE memberId = ANY(\(invited)) AND revokedAt IS NULL",
                as: InvitationID.self)
            try await sql.execute(
                "UPDATE invitation SET revokedAt = \(StoredDate.text(date)) WHERE id = ANY(\(ids))")
            try await sql.execute("DELETE FROM session WHERE invitationId = ANY(\(ids))")
            return ids.count
        }
    }

    /// Serializes bulk invitation writes, as SQLite's single writer does: two at once would both find a member
    /// uninvited and give them two links. Released with the transaction.
    private static func lockInvitations(_ sql: SQL) async throws {
        try await sql.lock(.invitations)
    }

    private struct SelectedMember {
        var id: MemberID
        var number: String
        var name: String
        var unitId: UnitID
        var invited: Bool
    }

    /// The selection's active members, by unit path then number, each with whether a live invitation exists.
    private static func selectedMembers(_ selection: MemberSelection, tree: OrgTree, _ sql: SQL) async throws
        -> [SelectedMember]
    {
        guard tree.unit(selection.unitId) != nil else { throw StorageError.unitNotFound(selection.unitId) }
        let units = selection.includeSubunits ? tree.subtreeIds(of: selection.unitId) : [selection.unitId]
        var members = try await sql.rows(
            """
            SELECT m.id, m.number, m.name, m.unitId,
                EXISTS (SELECT 1 FROM invitation i WHERE i.memberId = m.id AND i.revokedAt IS NULL)
            FROM member m WHERE m.active AND m.unitId = ANY(\(Array(units)))
            """, as: (MemberID, String, String, UnitID, Bool).self
        ).map { SelectedMember(id: $0.0, number: $0.1, name: $0.2, unitId: $0.3, invited: $0.4) }
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
        // Swift's `<` on strings, as the SQLite store sorts: the same order on both backends.
        return members.sorted { (paths[$0.unitId] ?? "", $0.number) < (paths[$1.unitId] ?? "", $1.number) }
    }
}
