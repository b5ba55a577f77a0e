import DengaoCore
import Foundation

/// A roster import's changes to members already there, and the categories of new ones, a batch at a time: one
/// statement per kind of change for up to `rosterBatch` members, where one member at a time cost up to seven round
/// trips each (a re-import of 30,000 members was minutes of them).
extension PostgresStore {
    /// How many members one statement of a roster import changes.
    static let rosterBatch = 2_000

    /// One existing member's new fields, as the import's plan has them.
    struct MemberUpdate {
        var memberId: MemberID
        var name: String
        var phone: String?
        var active: Bool?
        /// The member's new unit when they move, else nil.
        var movedTo: UnitID?
    }

    /// Updates existing members: moves (closing the open placement, opening one in the new unit), names, phones
    /// and status with the matching span of activity. The same order of writes as one member at a time.
    static func updateMembers(_ updates: [MemberUpdate], at date: Date, _ sql: SQL) async throws {
        let at = StoredDate.text(date)
        for start in stride(from: 0, to: updates.count, by: rosterBatch) {
            let chunk = Array(updates[start..<min(start + rosterBatch, updates.count)])
            let moves = chunk.compactMap { update in update.movedTo.map { (update.memberId, $0) } }
            if !moves.isEmpty {
                let ids = moves.map(\.0), units = moves.map(\.1)
                try await sql.execute(
                    """
                    WITH closed AS (
                        UPDATE memberPlacement SET until = \(at) WHERE memberId = ANY(\(ids)) AND until IS NULL
                    )
                    INSERT INTO memberPlacement (memberId, unitId, since) SELECT *, \(at) FROM unnest(\(ids), \(units))
                    """)
            }
            // A phone is nil or eleven digits (RosterEntry.phone), so "" stands for "keep the old one".
            try await sql.execute(
                """
                UPDATE member SET name = given.name, phone = coalesce(NULLIF(given.phone, ''), member.phone),
                    active = CASE WHEN given.hasActive THEN given.active ELSE member.active END,
                    unitId = CASE WHEN given.moved THEN given.unitId ELSE member.unitId END, updatedAt = \(at)
                FROM unnest(
                    \(chunk.map(\.memberId)), \(chunk.map(\.name)), \(chunk.map { $0.phone ?? "" }),
                    \(chunk.map { $0.active != nil }), \(chunk.map { $0.active ?? false }),
                    \(chunk.map { $0.movedTo != nil }), \(chunk.map { $0.movedTo ?? 0 }))
                    AS given(id, name, phone, hasActive, active, moved, unitId)
                WHERE member.id = given.id
                """)
            let activated = chunk.filter { $0.active == true }.map(\.memberId)
            let deactivated = chunk.filter { $0.active == false }.map(\.memberId)
            if !deactivated.isEmpty {
                try await sql.execute(
                    "UPDATE memberActiveSpan SET until = \(at) WHERE memberId = ANY(\(deactivated)) AND until IS NULL")
            }
            if !activated.isEmpty {
                try await sql.execute(
                    """
                    INSERT INTO memberActiveSpan (memberId, since)
                    SELECT id, \(at) FROM unnest(\(activated)) AS given(id)
                    WHERE NOT EXISTS (SELECT 1 FROM memberActiveSpan s WHERE s.memberId = given.id AND s.until IS NULL)
                    """)
            }
        }
    }

    /// Gives each member exactly the categories listed: spans of categories no longer held close, spans of new ones
    /// open, the others stay as they are. A batch's members as two statements, as `setCategories` does one member.
    static func setCategories(
        _ members: [(memberId: MemberID, categoryIds: [MemberCategoryID])], at date: Date, _ sql: SQL
    )
        async throws
    {
        let at = StoredDate.text(date)
        for start in stride(from: 0, to: members.count, by: rosterBatch) {
            let chunk = members[start..<min(start + rosterBatch, members.count)]
            let ids = chunk.map(\.memberId)
            let pairs = chunk.flatMap { member in Set(member.categoryIds).map { (member.memberId, $0) } }
            try await sql.execute(
                """
                UPDATE memberCategorySpan s SET until = \(at)
                WHERE s.memberId = ANY(\(ids)) AND s.until IS NULL AND NOT EXISTS (
                    SELECT 1 FROM unnest(\(pairs.map(\.0)), \(pairs.map(\.1))) AS held(memberId, categoryId)
                    WHERE held.memberId = s.memberId AND held.categoryId = s.categoryId)
                """)
            if !pairs.isEmpty {
                try await sql.execute(
                    """
                    INSERT INTO memberCategorySpan (memberId, categoryId, since)
                    SELECT held.memberId, held.categoryId, \(at)
                    FROM unnest(\(pairs.map(\.0)), \(pairs.map(\.1))) AS held(memberId, categoryId)
                    WHERE NOT EXISTS (
                        SELECT 1 FROM memberCategorySpan s
                        WHERE s.memberId = held.memberId AND s.categoryId = held.categoryId AND s.until IS NULL)
                    """)
            }
        }
    }
}
