/// Who is making a request, as established by their session.
public enum Principal: Sendable, Equatable {
    case administrator(accountId: AccountID)
    /// An organizer acts for the subtree rooted at their unit.
    case organizer(accountId: AccountID, unitId: UnitID)
    case member(memberId: MemberID, unitId: UnitID)

    public var accountId: AccountID? {
        switch self {
        case .administrator(let id), .organizer(let id, _): id
        case .member: nil
        }
    }

    public var isStaff: Bool { accountId != nil }

    /// The unit this principal's listings start from; nil means the whole organization.
    public var scopeRoot: UnitID? {
        switch self {
        case .administrator: nil
        case .organizer(_, let unit), .member(_, let unit): unit
        }
    }
}

/// The account roles stored with an account; members are not accounts but roster entries.
public enum AccountRole: String, Sendable, Codable, CaseIterable {
    case admin, organizer
}
