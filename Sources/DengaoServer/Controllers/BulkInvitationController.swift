import DengaoCore
import Foundation
import Hummingbird

/// Invitation links for a whole branch (or chosen members) at once, for organizers who hand them out on paper
/// (送学上门): each new link comes with its QR code, shown this once like a single invitation's; and revoking them
/// all at once. Scoped as single invitations are: the caller must manage the unit.
struct BulkInvitationController {
    let storage: any Storage
    /// Where invitation links point: the server's public address.
    let publicBaseURL: String

    /// At most this many members in one request: a sheet of 8 cards a page is already 250 pages.
    static let maximumMembers = 2000

    func addRoutes(to api: GuardedRoutes) {
        api.post("units/:unit/invitations", .unit(parameter: "unit"), use: invite)
        api.post("units/:unit/invitations/revoke", .unit(parameter: "unit"), use: revoke)
    }

    /// `{"subunits"?: true, "numbers"?: [String]}`: the unit with its sub-units (the default) or alone, narrowed to
    /// the chosen members if `numbers` is given.
    struct Body: Decodable {
        var subunits: Bool?
        var numbers: [String]?
    }

    struct Card: Encodable {
        var id: InvitationID
        var number: String
        var name: String
        var unit: String
        var link: String
        /// The link as a QR code, SVG text.
        var qr: String
    }

    struct Sheet: ResponseEncodable {
        var invitations: [Card]
        /// Selected members who already hold a live link (kept as it is; revoke to replace it).
        var alreadyInvited: Int
    }

    struct Revoked: ResponseEncodable {
        var revoked: Int
    }

    @Sendable func invite(_ request: Request, context: AppRequestContext, principal: Principal) async throws
        -> EditedResponse<Sheet>
    {
        let selection = try await Self.selection(request, context: context)
        let (storage, base) = (self.storage, publicBaseURL)
        let (created, already) = try await storage.inviteUninvited(
            selection, createdBy: principal.accountId, limit: Self.maximumMembers
        ) {
            let token = SecretTokens.generate()
            return (token, SecretTokens.hash(token))
        }
        // Up to maximumMembers QR codes: CPU work, off Swift's pool.
        let sheet = try await onCPUThreads {
            let cards = try created.map { invitation in
                let link = AccessTools.invitationLink(base: base, token: invitation.token)
                return Card(
                    id: invitation.id, number: invitation.number, name: invitation.name, unit: invitation.unitPath,
                    link: link,
                    qr: try QRCode(encoding: link, errorCorrection: .medium).svg(moduleSize: 4))
            }
            return Sheet(invitations: cards, alreadyInvited: already)
        }
        return EditedResponse(status: .created, response: sheet)
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> Revoked
    {
        let selection = try await Self.selection(request, context: context)
        let storage = self.storage
        return Revoked(revoked: try await storage.revokeInvitations(selection))
    }

    private static func selection(_ request: Request, context: AppRequestContext) async throws -> MemberSelection {
        let unit = try context.parameters.require("unit", as: UnitID.self)
        let body = try await request.decodeJSON(Body.self, context: context)
        if let numbers = body.numbers {
            guard !numbers.isEmpty else {
                throw APIError(status: .unprocessableContent, message: "请至少选择一名党员 (choose at least one member)")
            }
            guard numbers.count <= maximumMembers else {
                throw APIError(
                    status: .unprocessableContent,
                    message: "一次最多选择 \(maximumMembers) 名党员 (at most \(maximumMembers) members at once)")
            }
        }
        return MemberSelection(unitId: unit, includeSubunits: body.subunits ?? true, numbers: body.numbers)
    }
}
