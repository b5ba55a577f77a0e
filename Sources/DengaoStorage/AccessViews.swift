import DengaoCore
import Foundation

public struct AccountView: Codable, Sendable, Equatable {
    /// For other backends, which build this view from their own rows.
    public init(id: Int64, username: String, displayName: String, role: AccountRole, unit: UnitRef?, createdAt: Date, disabled: Bool) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.unit = unit
        self.createdAt = createdAt
        self.disabled = disabled
    }

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
    /// For other backends, which build this view from their own rows.
    public init(account: AccountView, passwordHash: String) {
        self.account = account
        self.passwordHash = passwordHash
    }

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
    /// For other backends, which build this view from their own rows.
    public init(id: Int64, csrfToken: String, principal: Principal, lastSeenAt: Date, expiresAt: Date) {
        self.id = id
        self.csrfToken = csrfToken
        self.principal = principal
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
    }

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
