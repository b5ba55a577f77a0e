import DengaoCore
import Foundation
import HTTPTypes
import Hummingbird

/// Decides every access: resolves the resource a rule names to the unit that owns it and asks `AccessPolicy`.
///
/// Routes get it through `GuardedRoutes`; handlers that accept a unit in the body (a new member's unit, a moved
/// unit's new parent) call `demand` with the same rules, so there is one decision path for everything.
struct Authorizer: Sendable {
    let storage: any Storage

    /// The principal if `rule` allows this request, otherwise 401 (no session) or 403 (not allowed).
    func authorize(_ rule: AccessRule, _ request: Request, _ context: AppRequestContext) async throws -> Principal? {
        if case .open = rule { return context.session?.principal }
        guard let session = context.session else { throw APIError.notSignedIn }
        try Self.checkCSRFToken(request, session)
        let principal = session.principal
        // Hummingbird hands path parameters over still percent-encoded; names are usually Chinese.
        let parameters = context.parameters
        try await demand(rule, principal: principal) { name in
            parameters.get(name).map { $0.removingPercentEncoding ?? $0 }
        }
        return principal
    }

    /// Every state change made with a session needs the session's CSRF token: a cookie alone proves nothing
    /// about which page sent the request.
    static func checkCSRFToken(_ request: Request, _ session: SessionView) throws {
        guard request.method.isUnsafe else { return }
        guard let presented = request.headers[.csrfToken], SecretTokens.constantTimeEquals(presented, session.csrfToken)
        else { throw APIError.csrfRejected }
    }

    /// Throws 403 unless `principal` satisfies `rule`; `parameter` gives the decoded path parameter of that name.
    func demand(
        _ rule: AccessRule, principal: Principal,
        parameter lookup: @escaping @Sendable (String) -> String? = { _ in nil }
    ) async throws {
        let storage = self.storage
        let allowed: Bool = try await {
            // Loaded only by the rules that name a resource: .staff and .administrator need no tree.
            func policy() async throws -> AccessPolicy { AccessPolicy(tree: try await storage.orgTree()) }
            func parameter(_ name: String) throws -> String {
                guard let value = lookup(name) else { throw APIError.badRequest("缺少参数 \(name) (missing \(name))") }
                return value
            }
            func id(_ name: String) throws -> Int64 {
                guard let id = Int64(try parameter(name)) else {
                    throw APIError.badRequest("\(name) 须为整数 (\(name) must be a whole number)")
                }
                return id
            }
            /// A contest or campaign of the whole organization (no owner) is the administrators' alone.
            func canManage(owner: UnitID?) async throws -> Bool {
                guard let owner else {
                    if case .administrator = principal { return true }
                    return false
                }
                return try await policy().canManage(unit: owner, as: principal)
            }
            switch rule {
            case .open: return true
            case .staff: return principal.isStaff
            case .administrator:
                if case .administrator = principal { return true }
                return false
            case .signedInMember:
                if case .member = principal { return true }
                return false
            case .unit(let name), .restructureUnit(let name):
                let unit = UnitID(try id(name))
                let policy = try await policy()
                guard policy.tree.unit(unit) != nil else { throw StorageError.unitNotFound(unit) }
                if case .restructureUnit = rule { return policy.canRestructure(unit: unit, as: principal) }
                return policy.canManage(unit: unit, as: principal)
            case .rosterMember(let name):
                let number = try parameter(name)
                guard let unit = try await storage.memberUnit(number: number) else {
                    throw StorageError.memberNotFound(number)
                }
                return try await policy().canManage(unit: unit, as: principal)
            case .invitation(let name):
                let invitation = InvitationID(try id(name))
                guard let unit = try await storage.invitationUnit(id: invitation) else {
                    throw StorageError.invitationNotFound(invitation)
                }
                return try await policy().canManage(unit: unit, as: principal)
            case .account(let name):
                let account = try await storage.account(id: AccountID(try id(name)))
                return try await policy().canManage(
                    account: AccountOwnership(role: account.role, unitId: account.unit?.id), as: principal)
            case .readBank(let name), .editBank(let name):
                let bank = try parameter(name)
                guard let ownership = try await storage.bankOwnership(named: bank) else {
                    throw StorageError.bankNotFound(bank)
                }
                if case .readBank = rule { return try await policy().canRead(bank: ownership, as: principal) }
                return try await policy().canEdit(bank: ownership, as: principal)
            case .contest(let name):
                let contest = ContestID(try id(name))
                guard let summary = try await storage.contest(id: contest) else {
                    throw StorageError.contestNotFound(contest)
                }
                return try await canManage(owner: summary.ownerUnitId)
            case .campaign(let name):
                let campaign = CampaignID(try id(name))
                guard let summary = try await storage.campaign(id: campaign) else {
                    throw StorageError.campaignNotFound(campaign)
                }
                return try await canManage(owner: summary.ownerUnitId)
            case .survey(let name):
                let survey = SurveyID(try id(name))
                guard let summary = try await storage.survey(id: survey) else {
                    throw StorageError.surveyNotFound(survey)
                }
                return try await canManage(owner: summary.ownerUnitId)
            }
        }()
        guard allowed else { throw APIError.forbidden }
    }

    /// For units named in a request body: managing `unitId` (a new member's unit, a new parent).
    func demandManage(unit unitId: UnitID, principal: Principal) async throws {
        try await demand(.unit(parameter: "unit"), principal: principal) { _ in String(unitId) }
    }

    /// Making a contest, a campaign or a survey: its owner unit must be the caller's to manage (no owner: the whole
    /// organization, administrators only), and every bank it draws from theirs to read.
    func demandCreate(ownerUnitId: UnitID?, banks: Set<String>, principal: Principal) async throws {
        if let unit = ownerUnitId {
            try await demandManage(unit: unit, principal: principal)
        } else {
            try await demand(.administrator, principal: principal)
        }
        for bank in banks {
            try await demand(.readBank(parameter: "bank"), principal: principal) { _ in bank }
        }
    }
}

extension HTTPField.Name {
    static let csrfToken = HTTPField.Name("X-CSRF-Token")!
}
