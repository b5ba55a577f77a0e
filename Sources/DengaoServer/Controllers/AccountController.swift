import DengaoCore
import Foundation
import Hummingbird

/// Administrator and organizer accounts. Organizers manage the organizer accounts of their own subtree.
struct AccountController {
    let storage: any Storage
    let authorizer: Authorizer
    let passwords: PasswordHasher

    func addRoutes(to routes: GuardedRoutes) {
        routes.get("", .staff, use: list)
        routes.post("", .staff, use: create)
        routes.patch(":account", .account(parameter: "account"), use: update)
        routes.delete(":account", .account(parameter: "account"), use: delete)
    }

    struct AccountList: ResponseEncodable {
        var accounts: [AccountView]
    }

    @Sendable func list(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> AccountList
    {
        let accounts = try await storage.accounts()
        guard case .organizer(_, let scope) = principal else { return AccountList(accounts: accounts) }
        let visible = try await storage.orgTree().subtreeIds(of: scope)
        return AccountList(
            accounts: accounts.filter { $0.role == .organizer && $0.unit.map { visible.contains($0.id) } == true })
    }

    struct NewAccount: Decodable {
        var username: String
        var displayName: String?
        var password: String
        var role: AccountRole
        var unitId: UnitID?
    }

    @Sendable func create(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> EditedResponse<AccountView>
    {
        let body = try await request.decodeJSON(NewAccount.self, context: context)
        switch body.role {
        case .admin: try await authorizer.demand(.administrator, principal: principal)
        case .organizer:
            guard let unit = body.unitId else {
                throw APIError.badRequest("组织管理员须属于一个组织 (an organizer needs a unit: unitId)")
            }
            try await authorizer.demandManage(unit: unit, principal: principal)
        }
        if let problem = PasswordHasher.problem(with: body.password) { throw APIError.badRequest(problem) }
        let hash = try await passwords.hash(body.password)
        let storage = self.storage
        let account = try await storage.createAccount(
            username: body.username, displayName: body.displayName, passwordHash: hash, role: body.role,
            unitId: body.unitId)
        return EditedResponse(status: .created, response: account)
    }

    struct Changes: Decodable {
        var displayName: String?
        var password: String?
        var unitId: UnitID?
        var disabled: Bool?
    }

    @Sendable func update(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> AccountView
    {
        let id = try context.parameters.require("account", as: AccountID.self)
        let body = try await request.decodeJSON(Changes.self, context: context)
        if let unit = body.unitId { try await authorizer.demandManage(unit: unit, principal: principal) }
        var hash: String?
        if let password = body.password {
            if let problem = PasswordHasher.problem(with: password) { throw APIError.badRequest(problem) }
            hash = try await passwords.hash(password)
        }
        let changes = AccountChanges(
            displayName: body.displayName, passwordHash: hash, unitId: body.unitId, disabled: body.disabled)
        let storage = self.storage
        return try await storage.updateAccount(id: id, changes)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> HTTPResponse.Status
    {
        let id = try context.parameters.require("account", as: AccountID.self)
        if principal.accountId == id {
            throw APIError(status: .conflict, message: "不能删除自己的账号 (you cannot remove your own account)")
        }
        let storage = self.storage
        try await storage.deleteAccount(id: id)
        return .noContent
    }
}
