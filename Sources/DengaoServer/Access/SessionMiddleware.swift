import DengaoCore
import Foundation
import HTTPTypes
import Hummingbird

/// Resolves the session cookie to a live session for every request and refuses cross-origin writes.
///
/// Written here rather than taken from hummingbird-auth's `SessionMiddleware`: that one keeps an opaque value per
/// cookie in a key-value driver, while Dengao needs sessions it can query and end by account, by member and by
/// invitation (revoking a link signs its devices out), stored in the same SQLite file as everything else.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "dengao_session"

    let sessions: SessionService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        if request.method.isUnsafe, let origin = request.headers[.origin],
            !Self.isSameOrigin(origin, host: request.head.authority)
        {
            throw APIError.crossOrigin
        }
        var renewal: Cookie?
        if let token = request.cookies[Self.cookieName]?.value, SecretTokens.isWellFormed(token) {
            let hash = SecretTokens.hash(token)
            context.sessionTokenHash = hash
            (context.session, renewal) = try await sessions.session(token: token, hash: hash) ?? (nil, nil)
        }
        var response = try await next(request, context)
        // A handler that set the cookie itself (sign-in, sign-out) has the last word.
        if let renewal, !response.headers[values: .setCookie].contains(where: { $0.hasPrefix(Self.cookieName + "=") }) {
            response.setCookie(renewal)
        }
        return response
    }

    /// Browsers send `Origin` on every cross-site POST; it must name the host the request was sent to.
    static func isSameOrigin(_ origin: String, host: String?) -> Bool {
        guard let host, let url = URL(string: origin), let originHost = url.host else { return false }
        let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
        let defaultPort = url.scheme == "https" ? 443 : 80
        return originAuthority.lowercased() == host.lowercased()
            || "\(originHost):\(defaultPort)".lowercased() == host.lowercased()
    }
}

extension HTTPRequest.Method {
    /// Methods that change state and therefore need the CSRF token.
    var isUnsafe: Bool { !(self == .get || self == .head || self == .options) }
}
