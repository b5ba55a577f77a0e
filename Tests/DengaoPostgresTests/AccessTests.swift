import DengaoCore
import DengaoPostgres
import Foundation
import Testing

/// Accounts, sessions and invitations on a real PostgreSQL: the SQLite store's tests of them, and the races its
/// single writer rules out.
@Suite(.postgres) struct AccessTests {
    @Test func sessionsEndWithTheirInvitationAccountOrMember() async throws {
        try await TestDatabase.withStore { store, _ in
            let unit = try await store.createUnit(name: "支部", parentId: nil).id
            try await store.addMember(number: "1", name: "王一", unitId: unit)
            let organizer = try await store.createAccount(
                username: "Org", displayName: nil, passwordHash: "x", role: .organizer, unitId: unit)
            let invitation = try await store.createInvitation(
                memberNumber: "1", tokenHash: "inv", createdBy: organizer.id)
            #expect(try await store.invitationUnit(id: invitation.id) == unit)
            #expect(try await store.member(number: "1").member.invitations == 1)
            let later = Date().addingTimeInterval(3600)
            try await store.createSession(
                tokenHash: "s1", csrfToken: "c", owner: .account(organizer.id), expiresAt: later)
            let member = try #require(try await store.redeemableInvitation(tokenHash: "inv"))
            try await store.createSession(
                tokenHash: "s2", csrfToken: "c", owner: .member(member.memberId, invitationId: member.invitationId),
                expiresAt: later)
            #expect(
                try await store.session(tokenHash: "s1")?.principal == .organizer(accountId: organizer.id, unitId: unit)
            )
            #expect(
                try await store.session(tokenHash: "s2")?.principal == .member(memberId: member.memberId, unitId: unit))
            #expect(try await store.session(tokenHash: "s1", at: later.addingTimeInterval(1)) == nil, "expired")
            #expect(try await store.credentials(username: "org")?.account.username == "Org", "user names ignore case")
            #expect(try await store.member(number: "1").invitations.first?.sessions == 1)

            try await store.revokeInvitation(id: invitation.id)
            #expect(try await store.session(tokenHash: "s2") == nil)
            #expect(try await store.redeemableInvitation(tokenHash: "inv") == nil)
            try await store.updateAccount(id: organizer.id, AccountChanges(disabled: true))
            #expect(try await store.session(tokenHash: "s1") == nil)
            await #expect(throws: StorageError.invitationNotFound(999)) { try await store.revokeInvitation(id: 999) }
            await #expect(throws: StorageError.memberNotFound("9")) {
                try await store.createInvitation(memberNumber: "9", tokenHash: "x", createdBy: nil)
            }
        }
    }

    @Test func theLastAdministratorStays() async throws {
        try await TestDatabase.withStore { store, _ in
            #expect(try await store.hasAdministrator() == false)
            let admin = try await store.createAccount(
                username: "admin", displayName: nil, passwordHash: "x", role: .admin, unitId: nil)
            #expect(try await store.hasAdministrator())
            await #expect(throws: StorageError.lastAdministratorRemoved) {
                try await store.deleteAccount(id: admin.id)
            }
            await #expect(throws: StorageError.lastAdministratorDisabled) {
                try await store.updateAccount(id: admin.id, AccountChanges(disabled: true))
            }
            await #expect(throws: StorageError.organizerNeedsUnit) {
                try await store.createAccount(
                    username: "o", displayName: nil, passwordHash: "x", role: .organizer, unitId: nil)
            }
        }
    }

    @Test func administratorsDisablingThemselvesAtOnceLeaveOne() async throws {
        try await TestDatabase.withStore { store, _ in
            var admins: [Int64] = []
            for index in 0..<6 {
                admins.append(
                    try await store.createAccount(
                        username: "a\(index)", displayName: nil, passwordHash: "x", role: .admin, unitId: nil
                    ).id)
            }
            // Every check may see several administrators left; only the account lock keeps all six from committing
            // (without it, most runs end with fewer than one).
            let tasks = admins.map { id in
                Task { try await store.updateAccount(id: id, AccountChanges(disabled: true)) }
            }
            var succeeded = 0
            for task in tasks where (try? await task.value) != nil { succeeded += 1 }
            #expect(succeeded == 5)
            #expect(try await store.hasAdministrator())
        }
    }

    @Test func accountsAreListedByNameIgnoringCaseAndNamesAreUniqueIgnoringCase() async throws {
        try await TestDatabase.withStore { store, _ in
            let unit = try await store.createUnit(name: "支部", parentId: nil).id
            for name in ["bob", "Alice", "carol"] {
                try await store.createAccount(
                    username: name, displayName: " 显示名 ", passwordHash: "h", role: .organizer, unitId: unit)
            }
            let accounts = try await store.accounts()
            #expect(accounts.map(\.username) == ["Alice", "bob", "carol"])
            #expect(accounts[0].displayName == "显示名" && accounts[0].unit?.name == "支部" && !accounts[0].disabled)
            await #expect(throws: StorageError.usernameTaken("BOB")) {
                try await store.createAccount(
                    username: "BOB", displayName: nil, passwordHash: "h", role: .admin, unitId: nil)
            }
            await #expect(throws: StorageError.self) {
                try await store.createAccount(
                    username: "has space", displayName: nil, passwordHash: "h", role: .admin, unitId: nil)
            }
            let bob = try await store.accountId(username: "BOB")
            #expect(try await store.account(id: bob).username == "bob")
            await #expect(throws: StorageError.accountNotFound("nobody")) {
                try await store.accountId(username: "nobody")
            }
            let changed = try await store.updateAccount(id: bob, AccountChanges(displayName: "鲍勃", passwordHash: "new"))
            #expect(changed.displayName == "鲍勃")
            #expect(try await store.credentials(username: "Bob")?.passwordHash == "new")
            await #expect(throws: StorageError.administratorHasNoUnit) {
                let admin = try await store.createAccount(
                    username: "root", displayName: nil, passwordHash: "h", role: .admin, unitId: nil)
                try await store.updateAccount(id: admin.id, AccountChanges(unitId: unit))
            }
            try await store.deleteAccount(id: bob)
            await #expect(throws: StorageError.accountNotFound("#\(bob)")) { try await store.account(id: bob) }
        }
    }

    @Test func sessionsSlideAndExpire() async throws {
        try await TestDatabase.withStore { store, _ in
            let admin = try await store.createAccount(
                username: "admin", displayName: nil, passwordHash: "x", role: .admin, unitId: nil)
            let now = Date(timeIntervalSince1970: 1_000_000)
            try await store.createSession(
                tokenHash: "a", csrfToken: "c", owner: .account(admin.id), expiresAt: now.addingTimeInterval(60),
                at: now)
            try await store.createSession(
                tokenHash: "b", csrfToken: "c", owner: .account(admin.id), expiresAt: now.addingTimeInterval(10),
                at: now)
            let session = try #require(try await store.session(tokenHash: "a", at: now))
            #expect(session.principal == .administrator(accountId: admin.id) && session.lastSeenAt == now)
            try await store.touchSession(
                id: session.id, expiresAt: now.addingTimeInterval(600), at: now.addingTimeInterval(30))
            #expect(
                try await store.session(tokenHash: "a", at: now.addingTimeInterval(300))?.lastSeenAt
                    == now.addingTimeInterval(30))
            #expect(try await store.deleteExpiredSessions(at: now.addingTimeInterval(20)) == 1)
            #expect(try await store.session(tokenHash: "b", at: now) == nil)
            try await store.deleteSession(tokenHash: "a")
            #expect(try await store.session(tokenHash: "a", at: now) == nil)
        }
    }

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
