import DengaoCore
import Foundation
import GRDB

extension Store {
    /// Records a session under the hash of its token; the token itself never reaches the database.
    public func createSession(
        tokenHash: String, csrfToken: String, owner: SessionOwner, expiresAt: Date, at date: Date = Date()
    ) throws {
        try pool.write { db in
            let (accountId, memberId, invitationId): (AccountID?, MemberID?, InvitationID?) =
                switch owner {
                case .account(let id): (id, nil, nil)
                case .member(let id, let invitation): (nil, id, invitation)
                }
            try db.execute(
                sql: """
                    INSERT INTO session (tokenHash, csrfToken, accountId, memberId, invitationId, createdAt, lastSeenAt, expiresAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [tokenHash, csrfToken, accountId, memberId, invitationId, date, date, expiresAt])
        }
    }

    /// The live session with this token hash, or nil when it is unknown, expired, or its account is disabled, its
    /// member inactive or its invitation revoked.
    ///
    /// Answered from `sessionCache` when it holds the session; otherwise read and remembered there.
    public func session(tokenHash: String, at date: Date = Date()) throws -> SessionView? {
        if let cached = sessionCache.lookup(tokenHash, at: date) { return cached }
        let generation = sessionCache.generation()
        guard let session = try storedSession(tokenHash: tokenHash, at: date) else { return nil }
        sessionCache.remember(session, tokenHash: tokenHash, at: date, generation: generation)
        return session
    }

    /// The cached live session of a token hash, if the cache holds it: no database read, no thread hop.
    public func cachedSession(tokenHash: String, at date: Date) -> SessionView? {
        sessionCache.lookup(tokenHash, at: date)
    }

    /// `session` read from the database.
    func storedSession(tokenHash: String, at date: Date) throws -> SessionView? {
        // One SELECT needs no transaction around it; `unsafeRead` skips GRDB's BEGIN/COMMIT.
        try pool.unsafeRead { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT s.id, s.csrfToken, s.lastSeenAt, s.expiresAt, s.accountId, a.role, a.unitId AS accountUnitId,
                              a.disabledAt, s.memberId, m.unitId AS memberUnitId, m.active, i.revokedAt
                            FROM session s
                            LEFT JOIN account a ON a.id = s.accountId
                            LEFT JOIN member m ON m.id = s.memberId
                            LEFT JOIN invitation i ON i.id = s.invitationId
                            WHERE s.tokenHash = ? AND s.expiresAt > ?
                            """),
                    arguments: [tokenHash, date])
            else { return nil }
            let principal: Principal
            if let accountId = row["accountId"] as AccountID? {
                guard (row["disabledAt"] as Date?) == nil else { return nil }
                switch AccountRole(rawValue: row["role"] ?? "") {
                case .admin: principal = .administrator(accountId: accountId)
                case .organizer:
                    guard let unit = row["accountUnitId"] as UnitID? else { return nil }
                    principal = .organizer(accountId: accountId, unitId: unit)
                case nil: return nil
                }
            } else if let memberId = row["memberId"] as MemberID? {
                guard row["active"] as Bool? == true, (row["revokedAt"] as Date?) == nil else { return nil }
                principal = .member(memberId: memberId, unitId: row["memberUnitId"])
            } else {
                return nil
            }
            return SessionView(
                id: row["id"], csrfToken: row["csrfToken"], principal: principal, lastSeenAt: row["lastSeenAt"],
                expiresAt: row["expiresAt"])
        }
    }

    /// Slides a session's expiry; callers do it at most once a minute per session, not on every request.
    public func touchSession(id: Int64, expiresAt: Date, at date: Date = Date()) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE session SET lastSeenAt = ?, expiresAt = ? WHERE id = ?", arguments: [date, expiresAt, id])
        }
        sessionCache.touched(id: id, lastSeenAt: date, expiresAt: expiresAt)
    }

    public func deleteSession(tokenHash: String) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM session WHERE tokenHash = ?", arguments: [tokenHash]) }
    }

    @discardableResult
    public func deleteExpiredSessions(at date: Date = Date()) throws -> Int {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM session WHERE expiresAt <= ?", arguments: [date])
            return db.changesCount
        }
    }

    // MARK: - Invitations

    /// Stores a new invitation for the member; the caller keeps the token (shown once), the store its hash.
    public func createInvitation(memberNumber: String, tokenHash: String, createdBy: AccountID?, at date: Date = Date())
        throws -> InvitationView
    {
        try pool.write { db in
            guard
                let memberId = try MemberID.fetchOne(
                    db, sql: "SELECT id FROM member WHERE number = ?", arguments: [memberNumber])
            else {
                throw StorageError.memberNotFound(memberNumber)
            }
            try db.execute(
                sql: "INSERT INTO invitation (memberId, tokenHash, createdAt, createdById) VALUES (?, ?, ?, ?)",
                arguments: [memberId, tokenHash, date, createdBy])
            return InvitationView(id: InvitationID(db.lastInsertedRowID), createdAt: date, revokedAt: nil, sessions: 0)
        }
    }

    /// The invitation and member a token hash opens, when the invitation is not revoked and the member active.
    public func redeemableInvitation(tokenHash: String) throws -> (invitationId: InvitationID, memberId: MemberID)? {
        try pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT i.id, i.memberId FROM invitation i JOIN member m ON m.id = i.memberId
                        WHERE i.tokenHash = ? AND i.revokedAt IS NULL AND m.active
                        """,
                    arguments: [tokenHash])
            else { return nil }
            return (row["id"], row["memberId"])
        }
    }

    /// The unit of the member an invitation belongs to, for access decisions.
    public func invitationUnit(id: InvitationID) throws -> UnitID? {
        try pool.read { db in
            try UnitID.fetchOne(
                db, sql: "SELECT m.unitId FROM invitation i JOIN member m ON m.id = i.memberId WHERE i.id = ?",
                arguments: [id])
        }
    }

    /// Revokes an invitation and ends every session opened with it.
    public func revokeInvitation(id: InvitationID, at date: Date = Date()) throws {
        try pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM invitation WHERE id = ?", arguments: [id]) != nil else {
                throw StorageError.invitationNotFound(id)
            }
            try db.execute(
                sql: "UPDATE invitation SET revokedAt = coalesce(revokedAt, ?) WHERE id = ?", arguments: [date, id])
            try db.execute(sql: "DELETE FROM session WHERE invitationId = ?", arguments: [id])
        }
    }
}
