import Foundation

/// A unit as the console lists it: its place in the tree and how many members it holds.
public struct UnitSummary: Codable, Sendable, Equatable {
    public var id: UnitID
    public var parentId: UnitID?
    public var name: String
    public var code: String?
    public var path: String
    /// Depth below the listing's first unit.
    public var depth: Int
    /// Active members placed directly in the unit.
    public var memberCount: Int
    /// Active members in the unit and everything below it.
    public var totalMemberCount: Int

    public init(
        id: UnitID, parentId: UnitID? = nil, name: String, code: String? = nil, path: String, depth: Int,
        memberCount: Int, totalMemberCount: Int
    ) {
        self.id = id
        self.parentId = parentId
        self.name = name
        self.code = code
        self.path = path
        self.depth = depth
        self.memberCount = memberCount
        self.totalMemberCount = totalMemberCount
    }
}

/// The short form of a unit inside other answers.
public struct UnitRef: Codable, Sendable, Equatable {
    public var id: UnitID
    public var name: String
    public var path: String

    public init(id: UnitID, name: String, path: String) {
        self.id = id
        self.name = name
        self.path = path
    }
}

public struct MemberView: Codable, Sendable, Equatable {
    public var id: MemberID
    public var number: String
    public var name: String
    public var phone: String?
    public var active: Bool
    public var unit: UnitRef
    /// Invitation links not revoked.
    public var invitations: Int
    /// The categories the member holds now (分层分类), in the organization's list order.
    public var categories: [String]

    public init(
        id: MemberID, number: String, name: String, phone: String? = nil, active: Bool, unit: UnitRef, invitations: Int,
        categories: [String] = []
    ) {
        self.id = id
        self.number = number
        self.name = name
        self.phone = phone
        self.active = active
        self.unit = unit
        self.invitations = invitations
        self.categories = categories
    }
}

public struct MemberQuery: Sendable {
    public var text: String?
    public var includeSubunits: Bool
    /// nil: active and inactive.
    public var active: Bool?
    /// Only members holding this category now (an id of the organization's list); nil: any.
    public var categoryId: MemberCategoryID?
    /// Clamped to `Paging`'s bounds, so the offset cannot overflow whatever a caller asks for.
    public var paging: Paging
    public var page: Int { paging.page }
    public var pageSize: Int { paging.perPage }

    public init(
        text: String? = nil, includeSubunits: Bool = false, active: Bool? = true, categoryId: MemberCategoryID? = nil,
        page: Int = 1, pageSize: Int = 50
    ) {
        self.text = text
        self.includeSubunits = includeSubunits
        self.active = active
        self.categoryId = categoryId
        paging = Paging(page: page, perPage: pageSize, defaultSize: 50)
    }
}

public struct MemberPage: Codable, Sendable {
    public var members: [MemberView]
    public var total: Int
    public var page: Int
    public var pageSize: Int

    public init(members: [MemberView], total: Int, page: Int, pageSize: Int) {
        self.members = members
        self.total = total
        self.page = page
        self.pageSize = pageSize
    }
}

public struct PlacementView: Codable, Sendable, Equatable {
    public var unit: UnitRef
    public var since: Date
    public var until: Date?

    public init(unit: UnitRef, since: Date, until: Date? = nil) {
        self.unit = unit
        self.since = since
        self.until = until
    }
}

public struct InvitationView: Codable, Sendable, Equatable {
    public var id: InvitationID
    public var createdAt: Date
    public var revokedAt: Date?
    /// Devices signed in with this link right now.
    public var sessions: Int

    public init(id: InvitationID, createdAt: Date, revokedAt: Date? = nil, sessions: Int) {
        self.id = id
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.sessions = sessions
    }
}

public struct MemberDetail: Codable, Sendable {
    public var member: MemberView
    public var history: [PlacementView]
    public var invitations: [InvitationView]
    /// Every category the member held or holds, oldest first.
    public var categoryHistory: [CategorySpanView]

    public init(
        member: MemberView, history: [PlacementView], invitations: [InvitationView],
        categoryHistory: [CategorySpanView] = []
    ) {
        self.member = member
        self.history = history
        self.invitations = invitations
        self.categoryHistory = categoryHistory
    }
}

/// Fields a console edit may change; nil leaves a field as it is.
public struct MemberChanges: Sendable {
    public var name: String?
    /// `.some(nil)` removes the phone.
    public var phone: String??
    public var unitId: UnitID?
    public var active: Bool?
    /// The member's categories from now on, by name (replacing the ones held); an empty list removes them all.
    public var categories: [String]?

    public init(
        name: String? = nil, phone: String?? = nil, unitId: UnitID? = nil, active: Bool? = nil,
        categories: [String]? = nil
    ) {
        self.name = name
        self.phone = phone
        self.unitId = unitId
        self.active = active
        self.categories = categories
    }
}

public struct RosterImportResult: Codable, Sendable, Equatable {
    public var created: Int
    public var updated: Int
    public var moved: Int
    public var unchanged: Int
    public var unitsCreated: Int
    /// Active members sharing a name in a unit the import wrote to: allowed (people do share names), but worth a
    /// look, since a member added twice under two numbers would climb twice.
    public var sameNames: [SameNameGroup] = []

    public init(
        created: Int, updated: Int, moved: Int, unchanged: Int, unitsCreated: Int, sameNames: [SameNameGroup] = []
    ) {
        self.created = created
        self.updated = updated
        self.moved = moved
        self.unchanged = unchanged
        self.unitsCreated = unitsCreated
        self.sameNames = sameNames
    }
}

/// Active members of one unit with the same name.
public struct SameNameGroup: Codable, Sendable, Equatable {
    public var unitPath: String
    public var name: String
    public var numbers: [String]

    public init(unitPath: String, name: String, numbers: [String]) {
        self.unitPath = unitPath
        self.name = name
        self.numbers = numbers
    }
}
