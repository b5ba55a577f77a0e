import DengaoCore
import DengaoPostgres
import Foundation
import Testing

/// PostgreSQL's sessions in memory (`PostgresStore.recentSessions`, a `SessionMemory`): this store's own writes end a
/// held session at once, another process's within `sessionMaximumAge`.
@Suite(.postgres) struct PostgresSessionCacheTests {
    /// Sessions are answered from memory once read, and each way this store ends or changes one reaches the very
    /// next lookup: signing out, a password change, a disabled account, a member made inactive or moved.
    @Test func cachedSessionsEndWithThisStoresOwnWrites() async throws {
        try await TestDatabase.withStore { store, _ in
            let first = try await store.createUnit(name: "一支部", parentId: nil).id
            let second = try await store.createUnit(name: "二支部", parentId: nil).id
            let member = try await store.addMember(number: "1", name: "王一", unitId: first).id
            let admin = try await store.createAccount(
                username: "admin", displayName: nil, passwordHash: "x", role: .admin, unitId: nil)
            let other = try await store.createAccount(
                username: "other", displayName: nil, passwordHash: "x", role: .admin, unitId: nil)
            let invitation = try await store.createInvitation(memberNumber: "1", tokenHash: "inv", createdBy: nil).id
            let now = Date()
            let later = now.addingTimeInterval(3600)
            for (hash, owner) in [
                ("admin", SessionOwner.account(admin.id)), ("other", .account(other.id)), ("out", .account(admin.id)),
                ("member", .member(member, invitationId: invitation)),
            ] {
                try await store.createSession(tokenHash: hash, csrfToken: "c", owner: owner, expiresAt: later, at: now)
                #expect(try await store.session(tokenHash: hash, at: now) != nil)
                #expect(store.cachedSession(tokenHash: hash, at: now) != nil, "held after the first lookup")
            }

            try await store.deleteSession(tokenHash: "out")
            #expect(try await store.session(tokenHash: "out", at: now) == nil, "signed out")

            _ = try await store.updateMember(number: "1", MemberChanges(unitId: second), at: now)
            #expect(
                try await store.session(tokenHash: "member", at: now)?.principal
                    == .member(memberId: member, unitId: second))
            _ = try await store.updateMember(number: "1", MemberChanges(active: false), at: now)
            #expect(try await store.session(tokenHash: "member", at: now) == nil, "member made inactive")

            _ = try await store.updateAccount(id: other.id, AccountChanges(passwordHash: "y"))
            #expect(try await store.session(tokenHash: "other", at: now) == nil, "password changed")
            #expect(try await store.session(tokenHash: "admin", at: now) != nil)
            _ = try await store.createAccount(
                username: "third", displayName: nil, passwordHash: "x", role: .admin, unitId: nil)
            _ = try await store.updateAccount(id: admin.id, AccountChanges(disabled: true))
            #expect(try await store.session(tokenHash: "admin", at: now) == nil, "account disabled")
        }
    }

    /// Another process's revocation (a `dengao` command, another node) is not seen by this store's memory: it is
    /// read again once the session has been held `sessionMaximumAge`, and never later.
    @Test func anotherProcessesRevocationIsSeenWithinTheMaximumAge() async throws {
        try await TestDatabase.withStore { store, schema in
            let admin = try await store.createAccount(
                username: "admin", displayName: nil, passwordHash: "x", role: .admin, unitId: nil)
            let now = Date()
            try await store.createSession(
                tokenHash: "s", csrfToken: "c", owner: .account(admin.id), expiresAt: now.addingTimeInterval(3600),
                at: now)
            #expect(try await store.session(tokenHash: "s", at: now) != nil)
            let url = try TestDatabase.serverURL()
            let otherProcess = try await PostgresStore(
                url: url + (url.contains("?") ? "&" : "?") + "search_path=" + schema)
            try await otherProcess.deleteSession(tokenHash: "s")
            await otherProcess.close()
            let age = PostgresStore.sessionMaximumAge
            #expect(try await store.session(tokenHash: "s", at: now.addingTimeInterval(age - 1)) != nil)
            #expect(try await store.session(tokenHash: "s", at: now.addingTimeInterval(age)) == nil)
            let uncached = try await PostgresStore(
                url: url + (url.contains("?") ? "&" : "?") + "search_path=" + schema, sessionMaximumAge: 0)
            try await uncached.createSession(
                tokenHash: "t", csrfToken: "c", owner: .account(admin.id), expiresAt: now.addingTimeInterval(3600),
                at: now)
            #expect(try await uncached.session(tokenHash: "t", at: now) != nil)
            #expect(uncached.cachedSession(tokenHash: "t", at: now) == nil, "a maximum age of zero holds nothing")
            await uncached.close()
        }
    }
}
