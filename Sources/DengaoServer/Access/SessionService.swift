import DengaoCore
import Foundation
import Hummingbird

/// Opens, looks up, slides and ends sessions; the one place that knows lifetimes and cookie attributes.
struct SessionService: Sendable {
    let storage: any Storage
    let secureCookies: Bool
    /// Lifetimes run on the server's clock, so a test moves past an expiry instead of waiting for it.
    let clock: any ServerClock
    /// Console sessions end after this long without use.
    static let staffIdleLifetime: TimeInterval = 12 * 3600
    /// Members stay signed in on their phone: 400 days is the longest cookie lifetime browsers keep.
    static let memberLifetime: TimeInterval = 400 * 86400
    /// Sliding the expiry is a write; doing it at most once a minute keeps reads reads.
    static let touchInterval: TimeInterval = 60

    /// The live session of a cookie's token; when its expiry slid, also the cookie to send again so the browser
    /// keeps it as long as the server does.
    func session(token: String, hash: String) async throws -> (session: SessionView, renewal: Cookie?)? {
        let storage = self.storage
        let now = clock.now()
        guard let session = try await storage.session(tokenHash: hash, at: now) else { return nil }
        guard now.timeIntervalSince(session.lastSeenAt) > Self.touchInterval else { return (session, nil) }
        let lifetime = session.principal.isStaff ? Self.staffIdleLifetime : Self.memberLifetime
        try await storage.touchSession(id: session.id, expiresAt: now.addingTimeInterval(lifetime), at: now)
        return (session, cookie(value: token, maxAge: Int(lifetime)))
    }

    /// A new session with fresh token and CSRF token; the caller sets the returned cookie.
    func open(for owner: SessionOwner) async throws -> (cookie: Cookie, csrfToken: String) {
        let token = SecretTokens.generate()
        let csrf = SecretTokens.generate()
        let lifetime: TimeInterval
        switch owner {
        case .account: lifetime = Self.staffIdleLifetime
        case .member: lifetime = Self.memberLifetime
        }
        let storage = self.storage
        let hash = SecretTokens.hash(token)
        let now = clock.now()
        try await storage.createSession(
            tokenHash: hash, csrfToken: csrf, owner: owner, expiresAt: now.addingTimeInterval(lifetime), at: now)
        return (cookie(value: token, maxAge: Int(lifetime)), csrf)
    }

    func end(tokenHash: String?) async throws {
        guard let tokenHash else { return }
        let storage = self.storage
        try await storage.deleteSession(tokenHash: tokenHash)
    }

    /// `HttpOnly; SameSite=Lax; Path=/`, `Secure` under TLS; an empty value with Max-Age=0 clears the cookie.
    func cookie(value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: SessionMiddleware.cookieName, value: value, maxAge: maxAge, path: "/", secure: secureCookies,
            httpOnly: true, sameSite: .lax)
    }
}
