import Foundation

/// The organization: units, members and their placements over time (the roster history campaigns and reports
/// read), roster imports, and bulk invitations. Every committed change here bumps `Storage.rosterChanges`.
///
/// Every method is one transaction: it happens entirely or not at all, and a write has committed (durably) when the
/// call returns. Refusals throw `StorageError` (a missing row `…NotFound`, a bad value `.invalid`, a clash with what
/// is stored `.conflict`, unreadable rows `.corrupt`, a lost database `.unavailable`, in which case nothing is known
/// to be written); methods that return an optional return nil for "no such row" instead of throwing.
public protocol OrgStorage: Sendable {
    /// Gives every selected active member without a live invitation a new one, in one transaction: a member who
    /// already holds a link keeps it (revoke first to replace it). `newToken` returns a token and its hash. Throws
    /// `.invalid`, changing nothing, naming the selected numbers that are not active members of the unit, or when
    /// more than `limit` links would be made.
    func inviteUninvited(
        _ selection: MemberSelection, createdBy: AccountID?, limit: Int, at date: Date,
        newToken: @Sendable () -> (token: String, hash: String)
    ) async throws -> (created: [BulkInvitation], alreadyInvited: Int)

    /// Revokes every live invitation of the selected members and ends the sessions they opened; returns how many.
    func revokeInvitations(_ selection: MemberSelection, at date: Date) async throws -> Int

    /// Every member's placements and active spans over time, with their numbers and names (unless `people` is
    /// false: counting needs no names), read in one transaction: what a campaign's roster on any day is computed
    /// from (`Participation.History.roster(at:within:)`).
    func rosterHistory(people readPeople: Bool) async throws -> Participation.History

    /// Members of a unit (optionally with its subtree), filtered by text and status, a page at a time.
    func members(ofUnit unitId: UnitID, matching query: MemberQuery) async throws -> MemberPage

    func member(number: String) async throws -> MemberDetail

    /// The unit a member is placed in, for access decisions on routes that name a member.
    func memberUnit(number: String) async throws -> UnitID?

    func member(id: MemberID) async throws -> MemberView

    @discardableResult
    func addMember(number: String, name: String, unitId: UnitID, phone: String?, at date: Date) async throws
        -> MemberView

    @discardableResult
    func updateMember(number: String, _ changes: MemberChanges, at date: Date) async throws -> MemberView

    /// Applies a parsed roster in one transaction: the plan is made against the tree and members as they are inside
    /// that transaction, so a concurrent edit cannot slip between checking and writing. Throws the plan's located
    /// errors and changes nothing when any row is wrong.
    ///
    /// `readErrors` are the reader's errors for rows that could not be parsed; they are reported together with the
    /// plan's, so an organizer sees every problem of a file in one answer.
    func importRoster(
        _ roster: ParsedRoster, readErrors: [ImportIssue], scope: UnitID?, base: UnitID?, createUnits: Bool,
        at date: Date
    ) async throws -> RosterImportResult

    /// The other active members of `unitId` called `name` (their numbers), for the warning a new member gets.
    func sameNameMembers(as name: String, inUnit unitId: UnitID, except number: String) async throws -> [String]

    /// The whole org tree as a value, for access decisions and path resolution.
    func orgTree() async throws -> OrgTree

    /// The units below `root` (or all), depth first, with active member counts.
    func units(under root: UnitID?) async throws -> [UnitSummary]

    @discardableResult
    func createUnit(name: String, parentId: UnitID?, code: String?, at date: Date) async throws -> UnitRef

    @discardableResult
    func updateUnit(_ id: UnitID, name: String?, code: String??, parentId: UnitID??) async throws -> UnitRef

    /// Deletes an empty unit; one with sub-units, members (ever), accounts or banks is refused.
    func deleteUnit(_ id: UnitID) async throws
}

/// The default arguments of the SQLite store's methods, which protocol requirements cannot carry.
extension OrgStorage {
    /// `inviteUninvited` with `at` Date().
    public func inviteUninvited(
        _ selection: MemberSelection, createdBy: AccountID?, limit: Int,
        newToken: @Sendable () -> (token: String, hash: String)
    ) async throws -> (created: [BulkInvitation], alreadyInvited: Int) {
        try await inviteUninvited(selection, createdBy: createdBy, limit: limit, at: Date(), newToken: newToken)
    }

    /// `revokeInvitations` with `at` Date().
    public func revokeInvitations(_ selection: MemberSelection) async throws -> Int {
        try await revokeInvitations(selection, at: Date())
    }

    /// `rosterHistory` with `people` true.
    public func rosterHistory() async throws -> Participation.History {
        try await rosterHistory(people: true)
    }

    /// `members` with `matching` MemberQuery().
    public func members(ofUnit unitId: UnitID) async throws -> MemberPage {
        try await members(ofUnit: unitId, matching: MemberQuery())
    }

    /// `addMember` with `phone` nil.
    @discardableResult
    public func addMember(number: String, name: String, unitId: UnitID, at date: Date) async throws -> MemberView {
        try await addMember(number: number, name: name, unitId: unitId, phone: nil, at: date)
    }

    /// `addMember` with `at` Date().
    @discardableResult
    public func addMember(number: String, name: String, unitId: UnitID, phone: String?) async throws -> MemberView {
        try await addMember(number: number, name: name, unitId: unitId, phone: phone, at: Date())
    }

    /// `addMember` with `phone` nil, `at` Date().
    @discardableResult
    public func addMember(number: String, name: String, unitId: UnitID) async throws -> MemberView {
        try await addMember(number: number, name: name, unitId: unitId, phone: nil, at: Date())
    }

    /// `updateMember` with `at` Date().
    @discardableResult
    public func updateMember(number: String, _ changes: MemberChanges) async throws -> MemberView {
        try await updateMember(number: number, changes, at: Date())
    }

    /// `importRoster` with `readErrors` [].
    public func importRoster(_ roster: ParsedRoster, scope: UnitID?, base: UnitID?, createUnits: Bool, at date: Date)
        async throws -> RosterImportResult
    {
        try await importRoster(roster, readErrors: [], scope: scope, base: base, createUnits: createUnits, at: date)
    }

    /// `importRoster` with `at` Date().
    public func importRoster(
        _ roster: ParsedRoster, readErrors: [ImportIssue], scope: UnitID?, base: UnitID?, createUnits: Bool
    ) async throws -> RosterImportResult {
        try await importRoster(
            roster, readErrors: readErrors, scope: scope, base: base, createUnits: createUnits, at: Date())
    }

    /// `importRoster` with `readErrors` [], `at` Date().
    public func importRoster(_ roster: ParsedRoster, scope: UnitID?, base: UnitID?, createUnits: Bool) async throws
        -> RosterImportResult
    {
        try await importRoster(roster, readErrors: [], scope: scope, base: base, createUnits: createUnits, at: Date())
    }

    /// `units` with `under` nil.
    public func units() async throws -> [UnitSummary] {
        try await units(under: nil)
    }

    /// `createUnit` with `code` nil.
    @discardableResult
    public func createUnit(name: String, parentId: UnitID?, at date: Date) async throws -> UnitRef {
        try await createUnit(name: name, parentId: parentId, code: nil, at: date)
    }

    /// `createUnit` with `at` Date().
    @discardableResult
    public func createUnit(name: String, parentId: UnitID?, code: String?) async throws -> UnitRef {
        try await createUnit(name: name, parentId: parentId, code: code, at: Date())
    }

    /// `createUnit` with `code` nil, `at` Date().
    @discardableResult
    public func createUnit(name: String, parentId: UnitID?) async throws -> UnitRef {
        try await createUnit(name: name, parentId: parentId, code: nil, at: Date())
    }

    /// `updateUnit` with `name` nil.
    @discardableResult
    public func updateUnit(_ id: UnitID, code: String??, parentId: UnitID??) async throws -> UnitRef {
        try await updateUnit(id, name: nil, code: code, parentId: parentId)
    }

    /// `updateUnit` with `code` nil.
    @discardableResult
    public func updateUnit(_ id: UnitID, name: String?, parentId: UnitID??) async throws -> UnitRef {
        try await updateUnit(id, name: name, code: nil, parentId: parentId)
    }

    /// `updateUnit` with `parentId` nil.
    @discardableResult
    public func updateUnit(_ id: UnitID, name: String?, code: String??) async throws -> UnitRef {
        try await updateUnit(id, name: name, code: code, parentId: nil)
    }

    /// `updateUnit` with `name` nil, `code` nil.
    @discardableResult
    public func updateUnit(_ id: UnitID, parentId: UnitID??) async throws -> UnitRef {
        try await updateUnit(id, name: nil, code: nil, parentId: parentId)
    }

    /// `updateUnit` with `name` nil, `parentId` nil.
    @discardableResult
    public func updateUnit(_ id: UnitID, code: String??) async throws -> UnitRef {
        try await updateUnit(id, name: nil, code: code, parentId: nil)
    }

    /// `updateUnit` with `code` nil, `parentId` nil.
    @discardableResult
    public func updateUnit(_ id: UnitID, name: String?) async throws -> UnitRef {
        try await updateUnit(id, name: name, code: nil, parentId: nil)
    }

    /// `updateUnit` with `name` nil, `code` nil, `parentId` nil.
    @discardableResult
    public func updateUnit(_ id: UnitID) async throws -> UnitRef {
        try await updateUnit(id, name: nil, code: nil, parentId: nil)
    }
}
