import DengaoCore
import Foundation
import PostgresNIO

/// Sessions and invitations, as the SQLite store's `Store+Sessions`: tokens are stored as hashes only.
extension PostgresStore {
    /// Records a session under the hash of its token; the token itself never reaches the database.
    public func createSession(
        tokenHash: String, csrfToken: String, owner: SessionOwner, expiresAt: Date, at date: Date = Date()
    ) async throws {
        let (accountId, memberId, invitationId): (AccountID?, MemberID?, InvitationID?) =
            switch owner {
            case .account(let id): (id, nil, nil)
            case .member(let id, let invitation): (nil, id, invitation)
            }
        try await transaction(keepsSessions: true) { sql in
            try await sql.execute(
                """
                INSERT INTO session (tokenHash, csrfToken, accountId, memberId, invitationId, createdAt, lastSeenAt, expiresAt)
                VALUES (\(tokenHash), \(csrfToken), \(accountId), \(memberId), \(invitationId), \(StoredDate.text(date)),
                    \(StoredDate.text(date)), \(StoredDate.text(expiresAt)))
                """)
        }
    }

    /// The live session with this token hash, or nil when it is unknown, expired, or its account is disabled, its
    /// member inactive or its invitation revoked.
    ///
    /// Answered from `recentSessions` when it holds the session; otherwise read and remembered there.
    public func session(tokenHash: String, at date: Date = Date()) async throws -> SessionView? {
        if let cached = recentSessions.lookup(tokenHash, at: date) { return cached }
        let generation = recentSessions.generation()
        guard let session = try await storedSession(tokenHash: tokenHash, at: date) else { return nil }
        recentSessions.remember(session, tokenHash: tokenHash, at: date, generation: generation)
        return session
    }

    /// The session this process holds in memory for a token hash, if any: no database read.
    public func cachedSession(tokenHash: String, at date: Date) -> SessionView? {
        recentSessions.lookup(tokenHash, at: date)
    }

    /// `session` read from the database.
    func storedSession(tokenHash: String, at date: Date) async throws -> SessionView? {
        let found = try await statement(readOnly: true) { sql in
            try await sql.row(
                """
                SELECT s.id, s.csrfToken, s.lastSeenAt, s.expiresAt, s.accountId, a.role, a.unitId, a.disabledAt, s.memberId,
                    m.unitId, m.active, i.revokedAt
                FROM session s
                LEFT JOIN account a ON a.id = s.accountId
                LEFT JOIN member m ON m.id = s.memberId
                LEFT JOIN invitation i ON i.id = s.invitationId
                WHERE s.tokenHash = \(tokenHash) AND s.expiresAt > \(StoredDate.text(date))
                """,
                as: (
                    Int64, String, String, String, AccountID?, String?, UnitID?, String?, MemberID?, UnitID?, Bool?,
                    String?
                )
                .self)
        }
        guard let row = found else { return nil }
        let principal: Principal
        if let accountId = row.4 {
            guard row.7 == nil else { return nil }
            switch AccountRole(rawValue: row.5 ?? "") {
            case .admin: principal = .administrator(accountId: accountId)
            case .organizer:
                guard let unit = row.6 else { return nil }
                principal = .organizer(accountId: accountId, unitId: unit)
            case nil: return nil
            }
        } else if let memberId = row.8, let unit = row.9 {
            guard row.10 == true, row.11 == nil else { return nil }
            principal = .member(memberId: memberId, unitId: unit)
        } else {
            return nil
        }
        return SessionView(
            id: row.0, csrfToken: row.1, principal: principal, lastSeenAt: try Self.date(row.2),
            expiresAt: try Self.date(row.3))
    }

    /// Slides a session's expiry; callers do it at most once a minute per session, not on every request.
    public func touchSession(id: Int64, expiresAt: Date, at date: Date = Date()) async throws {
        try await statement(readOnly: false) { sql in
            try await sql.execute(
                "UPDATE session SET lastSeenAt = \(StoredDate.text(date)), expiresAt = \(StoredDate.text(expiresAt)) WHERE id = \(id)"
            )
        }
        recentSessions.touched(id: id, lastSeenAt: date, expiresAt: expiresAt)
    }

    public func deleteSession(tokenHash: String) async throws {
        try await transaction { sql in try await sql.execute("DELETE FROM session WHERE tokenHash = \(tokenHash)") }
    }

    @discardableResult
    public func deleteExpiredSessions(at date: Date = Date()) async throws -> Int {
        try await transaction { sql in
            try await sql.count("DELETE FROM session WHERE expiresAt <= \(StoredDate.text(date)) RETURNING 1")
        }
    }

    /// Stores a new invitation for the member; the caller keeps the token (shown once), the store its hash.
    public func createInvitation(
        memberNumber: String, tokenHash: String, createdBy: AccountID?, at date: Date = Date()
    ) async throws -> InvitationView {
        try await transaction { sql in
            guard
                let memberId = try await sql.value(
                    "SELECT id FROM member WHERE number = \(memberNumber)", as: MemberID.self)
            else {
                throw StorageError.memberNotFound(memberNumber)
            }
            let id = try await sql.value(
                """
                INSERT INTO invitation (memberId, tokenHash, createdAt, createdById)
                VALUES (\(memberId), \(tokenHash), \(StoredDate.text(date)), \(createdBy)) RETURNING id
                """, as: InvitationID.self)!
            return InvitationView(id: id, createdAt: try Self.date(StoredDate.text(date)), revokedAt: nil, sessions: 0)
        }
    }

    /// The invitation and member a token hash opens, when the invitation is not revoked and the member active.
    public func redeemableInvitation(tokenHash: String) async throws -> (
        invitationId: InvitationID, memberId: MemberID
    )? {
        try await read { sql in
            try await sql.row(
                """
                SELECT i.id, i.memberId FROM invitation i JOIN member m ON m.id = i.memberId
                WHERE i.tokenHash = \(tokenHash) AND i.revokedAt IS NULL AND m.active
                """, as: (InvitationID, MemberID).self
            ).map { (invitationId: $0.0, memberId: $0.1) }
        }
    }

    /// The unit of the member an invitation belongs to, for access decisions.
    public func invitationUnit(id: InvitationID) async throws -> UnitID? {
        try await read { sql in
            try await sql.value(
                "SELECT m.unitId FROM invitation i JOIN member m ON m.id = i.memberId WHERE i.id = \(id)",
                as: UnitID.self)
        }
    }

    /// Revokes an invitation and ends every session opened with it.
    public func revokeInvitation(id: InvitationID, at date: Date = Date()) async throws {
        try await transaction { sql in
            guard try await sql.value("SELECT 1 FROM invitation WHERE id = \(id)", as: Int.self) != nil else {
                throw StorageError.invitationNotFound(id)
            }
            try await sql.execute(
                "UPDATE invitation SET revokedAt = coalesce(revokedAt, \(StoredDate.text(date))) WHERE id = \(id)")
            try await sql.execute("DELETE FROM session WHERE invitationId = \(id)")
        }
    }
}
