import DengaoCore
import Foundation
import Hummingbird

/// The org tree: list (the caller's subtree), create, rename or move, delete.
struct UnitController {
    let storage: any Storage
    let authorizer: Authorizer

    func addRoutes(to routes: GuardedRoutes) {
        routes.get("", .staff, use: list)
        routes.post("", .staff, use: create)
        routes.patch(":unit", .unit(parameter: "unit"), use: update)
        routes.delete(":unit", .restructureUnit(parameter: "unit"), use: delete)
    }

    struct UnitList: ResponseEncodable {
        var units: [UnitSummary]
    }

    @Sendable func list(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> UnitList {
        let storage = self.storage
        let root = principal.scopeRoot
        return UnitList(units: try await storage.units(under: root))
    }

    struct NewUnit: Decodable {
        var parentId: UnitID?
        var name: String
        var code: String?
    }

    @Sendable func create(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> EditedResponse<UnitRef>
    {
        let body = try await request.decodeJSON(NewUnit.self, context: context)
        if let parent = body.parentId {
            try await authorizer.demandManage(unit: parent, principal: principal)
        } else {
            try await authorizer.demand(.administrator, principal: principal)
        }
        let storage = self.storage
        let unit = try await storage.createUnit(name: body.name, parentId: body.parentId, code: body.code)
        return EditedResponse(status: .created, response: unit)
    }

    struct UnitChanges: Decodable {
        var name: String?
        var code: String?
        var parentId: UnitID?
    }

    @Sendable func update(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> UnitRef
    {
        let id = try context.parameters.require("unit", as: UnitID.self)
        let body = try await request.decodeJSON(UnitChanges.self, context: context)
        if let parent = body.parentId {
            try await authorizer.demandManage(unit: parent, principal: principal)
            try await authorizer.demand(.restructureUnit(parameter: "unit"), principal: principal) { _ in String(id) }
        }
        let storage = self.storage
        return try await storage.updateUnit(
            id, name: body.name, code: body.code.map { Optional($0) }, parentId: body.parentId.map { Optional($0) })
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> HTTPResponse.Status
    {
        let id = try context.parameters.require("unit", as: UnitID.self)
        let storage = self.storage
        try await storage.deleteUnit(id)
        return .noContent
    }
}
