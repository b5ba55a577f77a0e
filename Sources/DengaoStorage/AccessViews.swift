import DengaoCore
import Foundation

public struct AccountView: Codable, Sendable, Equatable {
    public var id: Int64
    public var username: String
    public var displayName: String
    public var role: AccountRole
    public var unit: UnitRef?
    public var createdAt: Date
    public var disabled: Bool
}

/// An account with its password hash, for signing in only.
public struct AccountCredentials: Sendable {
    public var account: AccountView
    public var passwordHash: String
}

public struct AccountChanges: Sendable {
    public var displayName: String?
    /// Already hashed: the store never sees a password.
    public var passwordHash: String?
    public var unitId: Int64?
    public var disabled: Bool?

    public init(displayName: String? = nil, passwordHash: String? = nil, unitId: Int64? = nil, disabled: Bool? = nil) {
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.unitId = unitId
        self.disabled = disabled
    }
}

/// A live session as the server needs it on every request.
public struct SessionView: Sendable, Equatable {
    public var id: Int64
    public var csrfToken: String
    public var principal: Principal
    public var lastSeenAt: Date
    public var expiresAt: Date
}

/// What starts a session.
public enum SessionOwner: Sendable {
    case account(Int64)
    case member(Int64, invitationId: Int64)
}
