import DengaoCore
import DengaoPostgres
import DengaoStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DengaoServer

/// Sessions are answered from memory once seen, and every way a session ends or changes still reaches the very next
/// request: a real server on a loopback port over SQLite (whose `Store` the test keeps to look into the cache), and
/// for the server's own revocations over PostgreSQL too.
@Suite struct SessionCacheTests {
    /// A member A1 in 第一党支部, an organizer "yi" there, an administrator "root", and a server on loopback.
    struct Installation {
        var configuration = testConfiguration(samples: "/nonexistent")
        let store: Store
        let first: UnitID
        let second: UnitID

        init() throws {
            store = try Store(directory: configuration.dataDirectory)
            let committee = try store.createUnit(name: "机关党委", parentId: nil).id
            first = try store.createUnit(name: "第一党支部", parentId: committee).id
            second = try store.createUnit(name: "第二党支部", parentId: committee).id
            try store.addMember(number: "A1", name: "王一", unitId: first)
            try seedAccount("root", in: configuration)
            try seedAccount("yi", role: .organizer, unit: first, in: configuration)
            // Served from this very store (not a second one opened by the app), so the test sees its cache.
            configuration.storage = SQLiteStorage(store)
        }

        /// The session the server holds in memory for a client's cookie, if any.
        func cached(_ client: SignedInClient) -> SessionView? {
            let hash = SecretTokens.hash(client.cookie)
            if let postgres = configuration.storage as? PostgresStore {
                return postgres.cachedSession(tokenHash: hash, at: Date())
            }
            return store.cachedSession(tokenHash: hash, at: Date())
        }

        /// The same installation served from `backend`.
        func served(from backend: String) async throws -> Installation {
            guard backend == "postgres" else { return self }
            var installation = self
            installation.configuration.storage = nil
            installation.configuration = try await TestBackend.onPostgres(installation.configuration)
            return installation
        }
    }

    /// A member's phone, signed in through a fresh invitation link; also the invitation's id.
    static func phone(of number: String, invitedBy organizer: SignedInClient, client: any TestClientProtocol)
        async throws -> (SignedInClient, InvitationID)
    {
        let invitation = try await organizer.execute(uri: "/api/members/\(number)/invitations", method: .post) {
            try $0.body.decode(InvitationBody.self)
        }
        return (try await client.redeem(invitation.link), invitation.id)
    }

    /// The backends the server's own revocations are tested on: each keeps sessions in memory its own way.
    static let backends = ["sqlite"] + (TestBackend.postgresReachable ? ["postgres"] : [])

    @Test(arguments: backends) func revocationsThroughTheServerReachTheNextRequest(_ backend: String) async throws {
        let installation = try await Installation().served(from: backend)
        try await withLiveApp(installation.configuration) { client in
            let root = try await client.signIn("root")
            let yi = try await client.signIn("yi")
            let (phone, _) = try await Self.phone(of: "A1", invitedBy: root, client: client)

            // Seen once, then held in memory.
            for signedIn in [phone, yi, root] {
                try await signedIn.execute(uri: "/api/session", method: .get) { #expect($0.status == .ok) }
                #expect(installation.cached(signedIn) != nil)
            }

            // A member moved to another branch: the next request sees the new branch, not the cached one.
            try await root.send(.patch, "/api/members/A1", json: ["unitId": installation.second]) {
                #expect($0.status == .ok)
            }
            try await phone.execute(uri: "/api/me", method: .get) { #expect($0.status == .ok) }
            guard case .member(_, let unitId) = installation.cached(phone)?.principal else {
                Issue.record("the member's session is not cached again")
                return
            }
            #expect(unitId == installation.second)

            // A member made inactive.
            try await root.send(.patch, "/api/members/A1", json: ["active": false]) { #expect($0.status == .ok) }
            try await phone.execute(uri: "/api/me", method: .get) { #expect($0.status == .unauthorized) }

            // An account disabled.
            try await yi.execute(uri: "/api/session", method: .get) { #expect($0.status == .ok) }
            let yiId = try await yi.execute(uri: "/api/session", method: .get) {
                try $0.body.decode(SessionBody.self).account!.id
            }
            try await root.send(.patch, "/api/accounts/\(yiId)", json: ["disabled": true]) {
                #expect($0.status == .ok)
            }
            try await yi.execute(uri: "/api/session", method: .get) { #expect($0.status == .unauthorized) }

            // Signing out.
            try await root.execute(uri: "/api/session", method: .get) { #expect($0.status == .ok) }
            try await root.execute(uri: "/api/session", method: .delete) { #expect($0.status == .noContent) }
            try await root.execute(uri: "/api/session", method: .get) { #expect($0.status == .unauthorized) }
            #expect(installation.cached(root) == nil)
        }
    }

    @Test func anotherProcessRevokingIsSeenOnTheNextRequest() async throws {
        let installation = try Installation()
        try await withLiveApp(installation.configuration) { client in
            let root = try await client.signIn("root")
            let (phone, invitation) = try await Self.phone(of: "A1", invitedBy: root, client: client)
            try await phone.execute(uri: "/api/me", method: .get) { #expect($0.status == .ok) }
            #expect(installation.cached(phone) != nil)
            // A second store on the same file stands for a `dengao` CLI command run while the server serves: its
            // commits are not the server's pool's, so only the shared epoch file can tell the server's cache.
            let otherProcess = try Store(directory: installation.configuration.dataDirectory)
            try otherProcess.revokeInvitation(id: invitation)
            try await phone.execute(uri: "/api/me", method: .get) { #expect($0.status == .unauthorized) }

            try await root.execute(uri: "/api/session", method: .get) { #expect($0.status == .ok) }
            #expect(installation.cached(root) != nil)
            let rootId = try await root.execute(uri: "/api/session", method: .get) {
                try $0.body.decode(SessionBody.self).account!.id
            }
            _ = try otherProcess.updateAccount(
                id: rootId, AccountChanges(passwordHash: AccessTools.hashPassword("another password", cost: 4)))
            try await root.execute(uri: "/api/session", method: .get) { #expect($0.status == .unauthorized) }
        }
    }
}

@Suite struct SessionCacheBoundsTests {
    @Test func theCacheHoldsAtMostItsCapacityAndEveryLookupStaysRight() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dengao-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Store(directory: directory.path, sessionCacheCapacity: 4)
        let account = try store.createAccount(
            username: "root", displayName: nil, passwordHash: "x", role: .admin, unitId: nil)
        let now = Date()
        let hashes = (0..<20).map { String(format: "%064x", $0) }
        for hash in hashes {
            try store.createSession(
                tokenHash: hash, csrfToken: "csrf-\(hash)", owner: .account(account.id),
                expiresAt: now.addingTimeInterval(3600), at: now)
        }
        for _ in 0..<3 {
            for hash in hashes {
                #expect(try store.session(tokenHash: hash, at: now)?.csrfToken == "csrf-\(hash)")
                #expect(store.sessionCache.count <= 4)
            }
        }
        #expect(store.sessionCache.count == 4)
    }

    @Test func aCachedSessionExpiresOnTime() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dengao-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Store(directory: directory.path)
        let account = try store.createAccount(
            username: "root", displayName: nil, passwordHash: "x", role: .admin, unitId: nil)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let hash = String(repeating: "a", count: 64)
        try store.createSession(
            tokenHash: hash, csrfToken: "c", owner: .account(account.id), expiresAt: now.addingTimeInterval(60), at: now
        )
        #expect(try store.session(tokenHash: hash, at: now) != nil)
        #expect(store.cachedSession(tokenHash: hash, at: now.addingTimeInterval(59)) != nil)
        #expect(store.cachedSession(tokenHash: hash, at: now.addingTimeInterval(60)) == nil)
        #expect(try store.session(tokenHash: hash, at: now.addingTimeInterval(60)) == nil)
    }
}
