import Foundation

public struct AccountView: Codable, Sendable, Equatable {
    public var id: AccountID
    public var username: String
    public var displayName: String
    public var role: AccountRole
    public var unit: UnitRef?
    public var createdAt: Date
    public var disabled: Bool

    public init(
        id: AccountID, username: String, displayName: String, role: AccountRole, unit: UnitRef? = nil, createdAt: Date,
        disabled: Bool
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.unit = unit
        self.createdAt = createdAt
        self.disabled = disabled
    }
}

/// An account with its password hash, for signing in only.
public struct AccountCredentials: Sendable {
    public var account: AccountView
    public var passwordHash: String

    public init(account: AccountView, passwordHash: String) {
        self.account = account
        self.passwordHash = passwordHash
    }
}

public struct AccountChanges: Sendable {
    public var displayName: String?
    /// Already hashed: the store never sees a password.
    public var passwordHash: String?
    public var unitId: UnitID?
    public var disabled: Bool?

    public init(displayName: String? = nil, passwordHash: String? = nil, unitId: UnitID? = nil, disabled: Bool? = nil) {
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

    public init(id: Int64, csrfToken: String, principal: Principal, lastSeenAt: Date, expiresAt: Date) {
        self.id = id
        self.csrfToken = csrfToken
        self.principal = principal
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
    }
}

/// What starts a session.
public enum SessionOwner: Sendable {
    case account(AccountID)
    case member(MemberID, invitationId: InvitationID)
}

/// A member's invitation made in bulk, with the token the caller generated (stored only hashed; shown this once).
public struct BulkInvitation: Sendable, Equatable {
    public var id: InvitationID
    public var number: String
    public var name: String
    public var unitPath: String
    public var token: String

    public init(id: InvitationID, number: String, name: String, unitPath: String, token: String) {
        self.id = id
        self.number = number
        self.name = name
        self.unitPath = unitPath
        self.token = token
    }
}

/// Which active members a bulk action covers: a unit (with or without its sub-units), optionally narrowed to
/// chosen member numbers, every one of which must be among them.
public struct MemberSelection: Sendable {
    public var unitId: UnitID
    public var includeSubunits: Bool
    public var numbers: [String]?

    public init(unitId: UnitID, includeSubunits: Bool, numbers: [String]?) {
        self.unitId = unitId
        self.includeSubunits = includeSubunits
        self.numbers = numbers
    }
}
