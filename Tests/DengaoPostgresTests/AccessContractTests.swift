import DengaoCore
import DengaoPostgres
import Foundation
import Testing

/// Accounts, sessions and invitations through `any Storage`, on a SQLite file and a PostgreSQL schema: sessions end
/// with their invitation, account or member; the last administrator stays (also when several disable themselves at
/// once, the race SQLite's single writer rules out and PostgreSQL's account lock must); names are unique ignoring
/// case; sessions slide and expire.
@Suite struct AccessContractTests {
    @Test(arguments: StorageBackend.available) func sessionsEndWithTheirInvitationAccountOrMember(
        _ backend: StorageBackend
    ) async throws {
        try await backend.withStorage { store in
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

    @Test(arguments: StorageBackend.available) func theLastAdministratorStays(_ backend: StorageBackend) async throws {
        try await backend.withStorage { store in
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

    @Test(arguments: StorageBackend.available) func administratorsDisablingThemselvesAtOnceLeaveOne(
        _ backend: StorageBackend
    ) async throws {
        try await backend.withStorage { store in
            var admins: [AccountID] = []
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

    @Test(arguments: StorageBackend.available) func accountsAreListedByNameIgnoringCaseAndNamesAreUniqueIgnoringCase(
        _ backend: StorageBackend
    ) async throws {
        try await backend.withStorage { store in
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

    @Test(arguments: StorageBackend.available) func sessionsSlideAndExpire(_ backend: StorageBackend) async throws {
        try await backend.withStorage { store in
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
}
