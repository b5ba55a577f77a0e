import DengaoCore
import Hummingbird

/// The only way API routes are registered: each states its `AccessRule`, checked before its handler runs, and
/// the handler receives the authorized principal. A route cannot be added without a rule.
struct GuardedRoutes {
    let group: RouterGroup<AppRequestContext>
    let authorizer: Authorizer

    func group(_ path: RouterPath) -> GuardedRoutes {
        GuardedRoutes(group: group.group(path), authorizer: authorizer)
    }

    func get<Output: ResponseGenerator>(
        _ path: RouterPath = "", _ rule: AccessRule,
        use handler: @escaping @Sendable (Request, AppRequestContext, Principal) async throws -> Output
    ) {
        on(path, .get, rule, use: handler)
    }

    func post<Output: ResponseGenerator>(
        _ path: RouterPath = "", _ rule: AccessRule,
        use handler: @escaping @Sendable (Request, AppRequestContext, Principal) async throws -> Output
    ) {
        on(path, .post, rule, use: handler)
    }

    func patch<Output: ResponseGenerator>(
        _ path: RouterPath = "", _ rule: AccessRule,
        use handler: @escaping @Sendable (Request, AppRequestContext, Principal) async throws -> Output
    ) {
        on(path, .patch, rule, use: handler)
    }

    func delete<Output: ResponseGenerator>(
        _ path: RouterPath = "", _ rule: AccessRule,
        use handler: @escaping @Sendable (Request, AppRequestContext, Principal) async throws -> Output
    ) {
        on(path, .delete, rule, use: handler)
    }

    /// Routes anyone may call (sign-in, invitation redemption); the handler sees the principal if there is one.
    func open<Output: ResponseGenerator>(
        _ path: RouterPath, _ method: HTTPRequest.Method,
        use handler: @escaping @Sendable (Request, AppRequestContext, Principal?) async throws -> Output
    ) {
        let authorizer = self.authorizer
        group.on(path, method: method) { request, context in
            try await handler(request, context, try await authorizer.authorize(.open, request, context))
        }
    }

    private func on<Output: ResponseGenerator>(
        _ path: RouterPath, _ method: HTTPRequest.Method, _ rule: AccessRule,
        use handler: @escaping @Sendable (Request, AppRequestContext, Principal) async throws -> Output
    ) {
        let authorizer = self.authorizer
        group.on(path, method: method) { request, context in
            guard let principal = try await authorizer.authorize(rule, request, context) else {
                throw APIError.notSignedIn
            }
            return try await handler(request, context, principal)
        }
    }
}
