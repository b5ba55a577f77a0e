import DengaoCore
import Foundation
import Hummingbird

/// Members of units, roster import, and members' invitation links.
struct MemberController {
    let storage: any Storage
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
        api.get("roster/template.xlsx", .staff, use: template)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> MemberPage
    {
        let unit = try context.parameters.require("unit", as: UnitID.self)
        let parameters = request.uri.queryParameters
        let active: Bool? =
            switch parameters.get("active") ?? "true" {
            case "all": nil
            case "false": false
            default: true
            }
        let paging = try request.paging(sizeParameter: "pageSize", defaultSize: 50)
        var categoryId: MemberCategoryID? = nil
        if let text = parameters.get("category"), !text.isEmpty {
            guard let id = MemberCategoryID(text) else {
                throw APIError.badRequest("category 须为类别编号 (category must be a member category id)")
            }
            categoryId = id
        }
        let query = MemberQuery(
            text: parameters.get("q"), includeSubunits: parameters.get("subunits") == "1", active: active,
            categoryId: categoryId, page: paging.page, pageSize: paging.perPage)
        let storage = self.storage
        return try await storage.members(ofUnit: unit, matching: query)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> MemberDetail
    {
        let number = try Self.number(context)
        let storage = self.storage
        return try await storage.member(number: number)
    }

    struct NewMember: Decodable {
        var number: String
        var name: String
        var unitId: UnitID
        var phone: String?
        /// Category names of the organization's list.
        var categories: [String]?
    }

    @Sendable func create(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> EditedResponse<AddedMember>
    {
        let body = try await request.decodeJSON(NewMember.self, context: context)
        try await authorizer.demandManage(unit: body.unitId, principal: principal)
        let storage = self.storage
        let categories = body.categories ?? []
        let added = try await {
            // Names are checked before the member is added, so an unknown one changes nothing.
            if !categories.isEmpty {
                let known = Dictionary(
                    uniqueKeysWithValues: try await storage.memberCategories().map { ($0.name, $0.id) })
                if case .failure(let problem) = MemberCategories.resolve(categories, in: known) {
                    throw StorageError.invalid(problem.description)
                }
            }
            var member = try await storage.addMember(
                number: body.number, name: body.name, unitId: body.unitId, phone: body.phone)
            if !categories.isEmpty {
                member = try await storage.updateMember(number: member.number, MemberChanges(categories: categories))
            }
            return AddedMember(
                member: member,
                sameName: try await storage.sameNameMembers(
                    as: member.name, inUnit: member.unit.id, except: member.number))
        }()
        return EditedResponse(status: .created, response: added)
    }

    /// A new member as `Member`, with `sameName`: the numbers of the unit's other active members of that name, which
    /// the page shows as a warning (people share names; one person added twice would climb twice).
    struct AddedMember: ResponseEncodable {
        var member: MemberView
        var sameName: [String]

        enum CodingKeys: String, CodingKey { case sameName }

        func encode(to encoder: any Encoder) throws {
            try member.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sameName, forKey: .sameName)
        }
    }

    struct Changes: Decodable {
        var name: String?
        var phone: String?
        var unitId: UnitID?
        var active: Bool?
        /// The member's categories from now on, by name; [] removes them all, absent leaves them.
        var categories: [String]?
    }

    @Sendable func update(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> MemberView
    {
        let number = try Self.number(context)
        let body = try await request.decodeJSON(Changes.self, context: context)
        if let unit = body.unitId { try await authorizer.demandManage(unit: unit, principal: principal) }
        // An empty phone removes it; an absent one leaves it.
        let phone: String?? = body.phone.map { text -> String? in
            text.trimmingCharacters(in: .whitespaces).isEmpty ? nil : text
        }
        let changes = MemberChanges(
            name: body.name, phone: phone, unitId: body.unitId, active: body.active, categories: body.categories)
        let storage = self.storage
        return try await storage.updateMember(number: number, changes)
    }

    struct Invitation: ResponseEncodable {
        var id: InvitationID
        var link: String
        var createdAt: Date
    }

    @Sendable func invite(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> EditedResponse<Invitation>
    {
        let number = try Self.number(context)
        let (storage, base) = (self.storage, publicBaseURL)
        let (invitation, link) = try await AccessTools.invite(
            memberNumber: number, storage: storage, publicBaseURL: base, createdBy: principal.accountId)
        return EditedResponse(
            status: .created, response: Invitation(id: invitation.id, link: link, createdAt: invitation.createdAt))
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> HTTPResponse.Status
    {
        let id = try context.parameters.require("invitation", as: InvitationID.self)
        let storage = self.storage
        try await storage.revokeInvitation(id: id)
        return .noContent
    }

    struct Imported: ResponseEncodable {
        var created: Int
        var updated: Int
        var moved: Int
        var unchanged: Int
        var unitsCreated: Int
        var sameNames: [SameNameGroup]
        /// The file's warnings, then one per name shared in a unit the import wrote to.
        var warnings: [IssueJSON]
    }

    /// A roster template for Excel or WPS: the importer's headers and one example row placed in a real unit of the
    /// caller's part of the organization, so the file imports as it is (and shows the path form the unit column takes).
    @Sendable func template(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> Response
    {
        let storage = self.storage
        let scope = principal.scopeRoot
        let unitPath = try await {
            let tree = try await storage.orgTree()
            let units = tree.depthFirst(from: scope)
            // A branch (a unit without sub-units) is where members sit.
            let branch = units.first { tree.children(of: $0.unit.id).isEmpty } ?? units.first
            return branch.map { tree.path(of: $0.unit.id) } ?? "机关党委/第一党支部"
        }()
        // Two of the organization's own categories, so the example row imports as it is and shows the separator.
        let example = try await storage.memberCategories().prefix(2).map(\.name).joined(separator: "、")
        let sheet = Spreadsheet.Sheet(
            name: "花名册", header: Self.templateHeader,
            rows: [[.text("张三"), .text("1001"), .text(unitPath), .text("13800138000"), .text("在册"), .text(example)]],
            widths: [12, 14, 36, 16, 10, 24])
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                .contentDisposition:
                    "attachment; filename=\"roster-template.xlsx\"; filename*=UTF-8''%E8%8A%B1%E5%90%8D%E5%86%8C%E6%A8%A1%E6%9D%BF.xlsx",
            ],
            body: .init(byteBuffer: ByteBuffer(data: Spreadsheet.xlsx([sheet]))))
    }

    /// The columns the roster importer reads, in its own words (docs/api.md, "Roster columns").
    static let templateHeader = ["姓名", "党员编号", "所在支部", "手机号", "状态", "类别"]

    /// A shared name as a located warning, Chinese first.
    static func warning(_ group: SameNameGroup) -> IssueJSON {
        let numbers = group.numbers.joined(separator: "、")
        return IssueJSON(
            location: group.unitPath,
            message:
                "同一组织有 \(group.numbers.count) 名党员都叫「\(group.name)」（编号 \(numbers)），请核对是否重复录入 (\(group.numbers.count) members named \(group.name) in this unit: \(group.numbers.joined(separator: ", ")))"
        )
    }

    /// `POST /api/roster?filename=…[&unit=ID][&createUnits=1]` with the XLSX or CSV file as the body.
    @Sendable func importRoster(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> Imported
    {
        let query = request.uri.queryParameters
        let base: UnitID?
        if let unitText = query.get("unit"), !unitText.isEmpty {
            guard let unit = UnitID(unitText) else { throw APIError.badRequest("unit 须为单位编号 (unit must be a unit id)") }
            try await authorizer.demandManage(unit: unit, principal: principal)
            base = unit
        } else {
            base = nil
        }
        let createUnits = ["1", "true", "yes"].contains(query.get("createUnits") ?? "")
        let storage = self.storage
        let scope = principal.scopeRoot
        return try await imports.run(.roster) {
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let data = Data(buffer: body, byteTransferStrategy: .noCopy)
            do {
                // Parsing a workbook of thousands of rows is CPU work: off Swift's pool.
                let (roster, readErrors) = try await onCPUThreads { try RosterReader.read(data) }
                let result = try await storage.importRoster(
                    roster, readErrors: readErrors, scope: scope, base: base, createUnits: createUnits)
                return Imported(
                    created: result.created, updated: result.updated, moved: result.moved, unchanged: result.unchanged,
                    unitsCreated: result.unitsCreated, sameNames: result.sameNames,
                    warnings: roster.warnings.map(IssueJSON.init) + result.sameNames.map(Self.warning))
            } catch let failure as ImportFailure {
                throw APIError(failure)
            }
        }
    }

    /// The `:number` path parameter, percent-decoded (Hummingbird hands it over still encoded).
    static func number(_ context: AppRequestContext) throws -> String {
        let raw = try context.parameters.require("number")
        return raw.removingPercentEncoding ?? raw
    }
}
