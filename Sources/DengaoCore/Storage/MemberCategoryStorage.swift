import Foundation

/// The organization's list of member categories (分层分类). Members' categories themselves change through
/// `OrgStorage` (`MemberChanges.categories`, roster import), which keeps their history.
///
/// Each method is one transaction. Names follow `MemberCategories.validatedName` (`.invalid` otherwise); a name the
/// list already has is `.conflict` (`memberCategoryTaken`), as is a list longer than `MemberCategories.maximumCount`.
public protocol MemberCategoryStorage: Sendable {
    /// The list in its order, with how many active members hold each category now.
    func memberCategories() async throws -> [MemberCategoryView]

    /// Adds a category at the end of the list; `largeText`: its members' pages open in 大字 by default.
    @discardableResult
    func createMemberCategory(name: String, largeText: Bool) async throws -> MemberCategoryView

    /// Renames a category (members holding it, and their history, follow the new name) and/or sets whether its
    /// members' pages open in 大字; a nil field stays as it is. One transaction: a bad name changes nothing.
    @discardableResult
    func updateMemberCategory(_ id: MemberCategoryID, name: String?, largeText: Bool?) async throws
        -> MemberCategoryView

    /// Deletes a category no member holds or ever held (`memberCategoryInUse` otherwise).
    func deleteMemberCategory(_ id: MemberCategoryID) async throws

    /// Puts the list in the order of `ids`, which must name every category once (`MemberCategories.orderProblem`);
    /// returns the list in its new order.
    @discardableResult
    func reorderMemberCategories(_ ids: [MemberCategoryID]) async throws -> [MemberCategoryView]
}

extension MemberCategoryStorage {
    /// Adds a category whose members' pages open at the usual size.
    @discardableResult
    public func createMemberCategory(name: String) async throws -> MemberCategoryView {
        try await createMemberCategory(name: name, largeText: false)
    }

    /// Renames a category, leaving its other settings.
    @discardableResult
    public func renameMemberCategory(_ id: MemberCategoryID, name: String) async throws -> MemberCategoryView {
        try await updateMemberCategory(id, name: name, largeText: nil)
    }

    /// The ids of the categories called `names` in the list (a member's categories, as `MemberView` names them);
    /// a name the list no longer has is left out.
    public func memberCategoryIds(named names: [String]) async throws -> Set<MemberCategoryID> {
        guard !names.isEmpty else { return [] }
        let wanted = Set(names)
        return Set(try await memberCategories().filter { wanted.contains($0.name) }.map(\.id))
    }
}
