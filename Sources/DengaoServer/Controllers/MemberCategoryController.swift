import DengaoCore
import Foundation
import Hummingbird

/// The organization's list of member categories (分层分类): every organizer reads it (to set and filter members'
/// categories in their part of the tree); only administrators change it, since it is one list for the whole
/// organization.
struct MemberCategoryController {
    let storage: any Storage

    func addRoutes(to routes: GuardedRoutes) {
        routes.get("", .staff, use: list)
        routes.post("", .administrator, use: create)
        routes.post("order", .administrator, use: reorder)
        routes.patch(":category", .administrator, use: update)
        routes.delete(":category", .administrator, use: delete)
    }

    struct CategoryList: ResponseEncodable {
        var categories: [MemberCategoryView]
    }

    @Sendable func list(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> CategoryList
    {
        let storage = self.storage
        return CategoryList(categories: try await storage.memberCategories())
    }

    /// A new category: its name, and whether its members' pages open in 大字 (default no).
    struct NewCategory: Decodable {
        var name: String
        var largeText: Bool?
    }

    @Sendable func create(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> EditedResponse<MemberCategoryView>
    {
        let body = try await request.decodeJSON(NewCategory.self, context: context)
        let storage = self.storage
        return EditedResponse(
            status: .created,
            response: try await storage.createMemberCategory(name: body.name, largeText: body.largeText ?? false))
    }

    /// What a `PATCH` changes: the name, the 大字 default, or both.
    struct CategoryChange: Decodable {
        var name: String?
        var largeText: Bool?
    }

    @Sendable func update(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> MemberCategoryView
    {
        let id = try context.parameters.require("category", as: MemberCategoryID.self)
        let body = try await request.decodeJSON(CategoryChange.self, context: context)
        guard body.name != nil || body.largeText != nil else {
            throw APIError.badRequest("请给出 name 或 largeText (expected {\"name\"} and/or {\"largeText\"})")
        }
        let storage = self.storage
        return try await storage.updateMemberCategory(id, name: body.name, largeText: body.largeText)
    }

    struct Order: Decodable {
        var ids: [MemberCategoryID]
    }

    /// The list in a new order, every category named once (the console's ↑ ↓ buttons send the whole order).
    @Sendable func reorder(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> CategoryList
    {
        let body = try await request.decodeJSON(Order.self, context: context)
        let storage = self.storage
        return CategoryList(categories: try await storage.reorderMemberCategories(body.ids))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> HTTPResponse.Status
    {
        let id = try context.parameters.require("category", as: MemberCategoryID.self)
        let storage = self.storage
        try await storage.deleteMemberCategory(id)
        return .noContent
    }
}
