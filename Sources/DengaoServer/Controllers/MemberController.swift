import DengaoCore
import DengaoStorage
import Foundation
import Hummingbird

/// Members of units, roster import, and members' invitation links.
struct MemberController {
    let store: Store
    let authorizer: Authorizer
    /// Where invitation links point: the server's public address, e.g. https://dengao.example.org.
    let publicBaseURL: String
    let imports: ImportGate

    func addRoutes(to api: GuardedRoutes) {
        api.get("units/:unit/members", .unit(parameter: "unit"), use: list)
        api.get("members/:number", .rosterMember(parameter: "number"), use: show)
        api.post("members", .staff, use: create)
        api.patch("members/:number", .rosterMember(parameter: "number"), use: update)
        api.post("members/:number/invitations", .rosterMember(parameter: "number"), use: invite)
        api.delete("invitations/:invitation", .invitation(parameter: "invitation"), use: revoke)
        api.post("roster", .staff, use: importRoster)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> MemberPage {
        let unit = try context.parameters.require("unit", as: Int64.self)
        let parameters = request.uri.queryParameters
        let active: Bool? =
            switch parameters.get("active") ?? "true" {
            case "all": nil
            case "false": false
            default: true
            }
        let paging = try request.paging(sizeParameter: "pageSize", defaultSize: 50)
        let query = MemberQuery(
            text: parameters.get("q"), includeSubunits: parameters.get("subunits") == "1", active: active,
            page: paging.page, pageSize: paging.perPage)
        let store = self.store
        return try await blocking { try store.members(ofUnit: unit, matching: query) }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> MemberDetail {
        let number = try Self.number(context)
        let store = self.store
        return try await blocking { try store.member(number: number) }
    }

    struct NewMember: Decodable {
        var number: String
        var name: String
        var unitId: Int64
        var phone: String?
    }

    @Sendable func create(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> EditedResponse<MemberView> {
        let body = try await request.decodeJSON(NewMember.self, context: context)
        try await authorizer.demandManage(unit: body.unitId, principal: principal)
        let store = self.store
        let member = try await blocking { try store.addMember(number: body.number, name: body.name, unitId: body.unitId, phone: body.phone) }
        return EditedResponse(status: .created, response: member)
    }

    struct Changes: Decodable {
        var name: String?
        var phone: String?
        var unitId: Int64?
        var active: Bool?
    }

    @Sendable func update(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> MemberView {
        let number = try Self.number(context)
        let body = try await request.decodeJSON(Changes.self, context: context)
        if let unit = body.unitId { try await authorizer.demandManage(unit: unit, principal: principal) }
        // An empty phone removes it; an absent one leaves it.
        let phone: String?? = body.phone.map { text -> String? in text.trimmingCharacters(in: .whitespaces).isEmpty ? nil : text }
        let changes = MemberChanges(name: body.name, phone: phone, unitId: body.unitId, active: body.active)
        let store = self.store
        return try await blocking { try store.updateMember(number: number, changes) }
    }

    struct Invitation: ResponseEncodable {
        var id: Int64
        var link: String
        var createdAt: Date
    }

    @Sendable func invite(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> EditedResponse<Invitation> {
        let number = try Self.number(context)
        let (store, base) = (self.store, publicBaseURL)
        let (invitation, link) = try await blocking {
            try AccessTools.invite(memberNumber: number, store: store, publicBaseURL: base, createdBy: principal.accountId)
        }
        return EditedResponse(status: .created, response: Invitation(id: invitation.id, link: link, createdAt: invitation.createdAt))
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> HTTPResponse.Status {
        let id = try context.parameters.require("invitation", as: Int64.self)
        let store = self.store
        try await blocking { try store.revokeInvitation(id: id) }
        return .noContent
    }

    struct Imported: ResponseEncodable {
        var created: Int
        var updated: Int
        var moved: Int
        var unchanged: Int
        var unitsCreated: Int
        var warnings: [IssueJSON]
    }

    /// `POST /api/roster?filename=…[&unit=ID][&createUnits=1]` with the XLSX or CSV file as the body.
    @Sendable func importRoster(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> Imported {
        let query = request.uri.queryParameters
        let base: Int64?
        if let unitText = query.get("unit"), !unitText.isEmpty {
            guard let unit = Int64(unitText) else { throw APIError.badRequest("unit 须为单位编号 (unit must be a unit id)") }
            try await authorizer.demandManage(unit: unit, principal: principal)
            base = unit
        } else {
            base = nil
        }
        let createUnits = ["1", "true", "yes"].contains(query.get("createUnits") ?? "")
        let store = self.store
        let scope = principal.scopeRoot
        return try await imports.run {
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let data = Data(buffer: body, byteTransferStrategy: .noCopy)
            return try await blocking {
                do {
                    let (roster, readErrors) = try RosterReader.read(data)
                    let result = try store.importRoster(
                        roster, readErrors: readErrors, scope: scope, base: base, createUnits: createUnits)
                    return Imported(
                        created: result.created, updated: result.updated, moved: result.moved, unchanged: result.unchanged,
                        unitsCreated: result.unitsCreated, warnings: roster.warnings.map(IssueJSON.init))
                } catch let failure as ImportFailure {
                    throw APIError(failure)
                }
            }
        }
    }

    /// The `:number` path parameter, percent-decoded (Hummingbird hands it over still encoded).
    static func number(_ context: AppRequestContext) throws -> String {
        let raw = try context.parameters.require("number")
        return raw.removingPercentEncoding ?? raw
    }
}
