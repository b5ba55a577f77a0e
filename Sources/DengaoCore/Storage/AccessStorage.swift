import Foundation

/// Who may sign in: organizers' accounts, sessions (stored by token hash only) and members' invitation links.
///
/// Every method is one transaction: it happens entirely or not at all, and a write has committed (durably) when the
/// call returns. Refusals throw `StorageError` (a missing row `…NotFound`, a bad value `.invalid`, a clash with what
/// is stored `.conflict`, unreadable rows `.corrupt`, a lost database `.unavailable`, in which case nothing is known
/// to be written); methods that return an optional return nil for "no such row" instead of throwing.
public protocol AccessStorage: Sendable {
    func accounts() async throws -> [AccountView]

    func account(id: AccountID) async throws -> AccountView

    /// The account and its hash for a sign-in attempt; nil when there is no such name.
    func credentials(username: String) async throws -> AccountCredentials?

    func hasAdministrator() async throws -> Bool

    @discardableResult
    func createAccount(
        username: String, displayName: String?, passwordHash: String, role: AccountRole, unitId: UnitID?, at date: Date
    ) async throws -> AccountView

    @discardableResult
    func updateAccount(id: AccountID, _ changes: AccountChanges, at date: Date) async throws -> AccountView

    func deleteAccount(id: AccountID) async throws

    func accountId(username: String) async throws -> AccountID

    /// Records a session under the hash of its token; the token itself never reaches the database.
    func createSession(tokenHash: String, csrfToken: String, owner: SessionOwner, expiresAt: Date, at date: Date)
        async throws

    /// The live session with this token hash, or nil when it is unknown, expired, or its account is disabled, its
    /// member inactive or its invitation revoked.
    func session(tokenHash: String, at date: Date) async throws -> SessionView?

    /// Slides a session's expiry; callers do it at most once a minute per session, not on every request.
    func touchSession(id: Int64, expiresAt: Date, at date: Date) async throws

    func deleteSession(tokenHash: String) async throws

    @discardableResult
    func deleteExpiredSessions(at date: Date) async throws -> Int

    /// Stores a new invitation for the member; the caller keeps the token (shown once), the store its hash.
    func createInvitation(memberNumber: String, tokenHash: String, createdBy: AccountID?, at date: Date) async throws
        -> InvitationView

    /// The invitation and member a token hash opens, when the invitation is not revoked and the member active.
    func redeemableInvitation(tokenHash: String) async throws -> (invitationId: InvitationID, memberId: MemberID)?

    /// The unit of the member an invitation belongs to, for access decisions.
    func invitationUnit(id: InvitationID) async throws -> UnitID?

    /// Revokes an invitation and ends every session opened with it.
    func revokeInvitation(id: InvitationID, at date: Date) async throws
}

/// The default arguments of the SQLite store's methods, which protocol requirements cannot carry.
extension AccessStorage {
    /// `createAccount` with `at` Date().
    @discardableResult
    public func createAccount(
        username: String, displayName: String?, passwordHash: String, role: AccountRole, unitId: UnitID?
    ) async throws -> AccountView {
        try await createAccount(
            username: username, displayName: displayName, passwordHash: passwordHash, role: role, unitId: unitId,
            at: Date())
    }

    /// `updateAccount` with `at` Date().
    @discardableResult
    public func updateAccount(id: AccountID, _ changes: AccountChanges) async throws -> AccountView {
        try await updateAccount(id: id, changes, at: Date())
    }

    /// `createSession` with `at` Date().
    public func createSession(tokenHash: String, csrfToken: String, owner: SessionOwner, expiresAt: Date) async throws {
        try await createSession(
            tokenHash: tokenHash, csrfToken: csrfToken, owner: owner, expiresAt: expiresAt, at: Date())
    }

    /// `session` with `at` Date().
    public func session(tokenHash: String) async throws -> SessionView? {
        try await session(tokenHash: tokenHash, at: Date())
    }

    /// `touchSession` with `at` Date().
    public func touchSession(id: Int64, expiresAt: Date) async throws {
        try await touchSession(id: id, expiresAt: expiresAt, at: Date())
    }

    /// `deleteExpiredSessions` with `at` Date().
    @discardableResult
    public func deleteExpiredSessions() async throws -> Int {
        try await deleteExpiredSessions(at: Date())
    }

    /// `createInvitation` with `at` Date().
    public func createInvitation(memberNumber: String, tokenHash: String, createdBy: AccountID?) async throws
        -> InvitationView
    {
        try await createInvitation(memberNumber: memberNumber, tokenHash: tokenHash, createdBy: createdBy, at: Date())
    }

    /// `revokeInvitation` with `at` Date().
    public func revokeInvitation(id: InvitationID) async throws {
        try await revokeInvitation(id: id, at: Date())
    }
}
