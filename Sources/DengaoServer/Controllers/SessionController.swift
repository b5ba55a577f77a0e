import DengaoCore
import Foundation
import Hummingbird

/// Signing in and out, the current session, and members redeeming their invitation link.
struct SessionController {
    let storage: any Storage
    let sessions: SessionService
    let passwords: PasswordHasher
    let throttle: LoginThrottle
    let metrics: ServerMetrics

    func addRoutes(to routes: GuardedRoutes) {
        routes.open("session", .post, use: signIn)
        routes.open("session", .get, use: current)
        routes.open("session", .delete, use: signOut)
        routes.open("invitations/redeem", .post, use: redeem)
        routes.get("me", .signedInMember, use: me)
    }

    struct Credentials: Decodable {
        var username: String
        var password: String
    }

    /// What the pages learn about the signed-in caller.
    struct SessionJSON: ResponseEncodable {
        var kind: String
        var account: AccountView?
        var member: MemberView?
        var csrfToken: String
    }

    /// The body as `T`: one refusal for any JSON that is not `T`, but an over-long body keeps its own 413.
    private static func body<T: Decodable>(
        _ type: T.Type, of request: Request, context: AppRequestContext, refusal: String
    ) async throws -> T {
        do {
            return try await request.decode(as: type, context: context)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequest(refusal)
        }
    }

    /// The message for every failed sign-in, whatever the cause, so names cannot be probed.
    static let failedSignIn = APIError(status: .unauthorized, message: "用户名或密码错误 (wrong user name or password)")

    @Sendable func signIn(_ request: Request, context: AppRequestContext, principal: Principal?) async throws
        -> EditedResponse<SessionJSON>
    {
        let credentials = try await Self.body(
            Credentials.self, of: request, context: context,
            refusal: "请填写用户名和密码 (expected {\"username\", \"password\"})")
        let username = credentials.username.trimmingCharacters(in: .whitespacesAndNewlines)
        if let wait = await throttle.retryAfter(account: username, address: context.clientAddress) {
            metrics.signInThrottled[.password]?.increment()
            throw APIError.tooManyAttempts(retryAfter: wait)
        }
        let storage = self.storage
        let found =
            username.isEmpty || username.count > StorageRules.maximumUsernameLength
            ? nil : try await storage.credentials(username: username)
        let usable = found.flatMap { $0.account.disabled ? nil : $0 }
        guard try await passwords.verify(credentials.password, against: usable?.passwordHash),
            let account = usable?.account
        else {
            await throttle.recordFailure(account: username, address: context.clientAddress)
            metrics.signInFailures[.password]?.increment()
            throw Self.failedSignIn
        }
        await throttle.recordSuccess(account: username)
        // A fresh token on every sign-in, and the session the browser arrived with (if any) ends: a token planted
        // before sign-in never becomes an authenticated one.
        try await sessions.end(tokenHash: context.sessionTokenHash)
        let (cookie, csrf) = try await sessions.open(for: .account(account.id))
        var response = EditedResponse(response: SessionJSON(kind: "account", account: account, csrfToken: csrf))
        response.setCookie(cookie)
        return response
    }

    @Sendable func current(_ request: Request, context: AppRequestContext, principal: Principal?) async throws
        -> SessionJSON
    {
        guard let session = context.session else { throw APIError.notSignedIn }
        return try await describe(session)
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext, principal: Principal?) async throws
        -> EditedResponse<HTTPResponse.Status>
    {
        // Open so that signing out always clears the cookie, but a live session still needs its CSRF token.
        if let session = context.session { try Authorizer.checkCSRFToken(request, session) }
        try await sessions.end(tokenHash: context.sessionTokenHash)
        var response = EditedResponse(status: .noContent, response: HTTPResponse.Status.noContent)
        response.setCookie(sessions.cookie(value: "", maxAge: 0))
        return response
    }

    struct Redemption: Decodable {
        var token: String
    }

    static let invalidInvitation = APIError(status: .notFound, message: "邀请链接无效或已被撤销 (invalid or revoked invitation)")

    @Sendable func redeem(_ request: Request, context: AppRequestContext, principal: Principal?) async throws
        -> EditedResponse<SessionJSON>
    {
        let redemption = try await Self.body(
            Redemption.self, of: request, context: context, refusal: "邀请链接不完整 (expected {\"token\"})")
        // Guessing links is guessing 256 bits, but failures still count against the address like sign-ins do.
        if let wait = await throttle.retryAfter(
            account: "invitation:" + context.clientAddress, address: context.clientAddress)
        {
            metrics.signInThrottled[.invitation]?.increment()
            throw APIError.tooManyAttempts(retryAfter: wait)
        }
        let storage = self.storage
        let token = redemption.token.trimmingCharacters(in: .whitespacesAndNewlines)
        guard SecretTokens.isWellFormed(token),
            let (invitationId, memberId) = try await storage.redeemableInvitation(tokenHash: SecretTokens.hash(token))
        else {
            await throttle.recordFailure(account: "invitation:" + context.clientAddress, address: context.clientAddress)
            metrics.signInFailures[.invitation]?.increment()
            throw Self.invalidInvitation
        }
        try await sessions.end(tokenHash: context.sessionTokenHash)
        let (cookie, csrf) = try await sessions.open(for: .member(memberId, invitationId: invitationId))
        let member = try await storage.member(id: memberId)
        var response = EditedResponse(response: SessionJSON(kind: "member", member: member, csrfToken: csrf))
        response.setCookie(cookie)
        return response
    }

    /// The signed-in member, and whether their pages open in 大字 until they choose a size on the phone (a
    /// category of theirs says so: `MemberCategories.largeTextByDefault`).
    struct MeJSON: ResponseEncodable {
        var member: MemberView
        var largeText: Bool
    }

    @Sendable func me(_ request: Request, context: AppRequestContext, principal: Principal) async throws -> MeJSON {
        guard case .member(let id, _) = principal else { throw APIError.forbidden }
        let storage = self.storage
        let member = try await storage.member(id: id)
        let largeText = MemberCategories.largeTextByDefault(
            held: member.categories, in: try await storage.memberCategories())
        return MeJSON(member: member, largeText: largeText)
    }

    private func describe(_ session: SessionView) async throws -> SessionJSON {
        let storage = self.storage
        switch session.principal {
        case .administrator(let id), .organizer(let id, _):
            let account = try await storage.account(id: id)
            return SessionJSON(kind: "account", account: account, csrfToken: session.csrfToken)
        case .member(let id, _):
            let member = try await storage.member(id: id)
            return SessionJSON(kind: "member", member: member, csrfToken: session.csrfToken)
        }
    }
}
