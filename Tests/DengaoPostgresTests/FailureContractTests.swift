import DengaoCore
import DengaoPostgres
import DengaoStorage
import Foundation
import Testing

/// Refusals on every protocol, on a SQLite file and a PostgreSQL schema: each unique violation and each missing row is
/// the `StorageError` the edges map (a conflict is 409, a missing row 404), in the same words on both backends, and a
/// refused write changes nothing.
@Suite struct FailureContractTests {
    /// One refusal to provoke: its name, the category the server maps, and the call.
    struct Refusal: Sendable {
        var name: String
        var category: StorageError.Category
        var call: @Sendable (any Storage, StorageContractTests.History) async throws -> Void
    }

    /// Unique violations: a name, code, number or user name already taken, whichever method writes it.
    static let uniqueViolations: [Refusal] = [
        Refusal(name: "a member number taken, added", category: .conflict) { storage, history in
            _ = try await storage.addMember(
                number: "001", name: "重复", unitId: history.units.second, phone: nil, at: Date())
        },
        Refusal(name: "a unit name taken among siblings, created", category: .conflict) { storage, history in
            _ = try await storage.createUnit(name: "第二支部", parentId: history.units.root, code: nil, at: Date())
        },
        Refusal(name: "a unit name taken among siblings, renamed", category: .conflict) { storage, history in
            _ = try await storage.updateUnit(history.units.first, name: "第二支部")
        },
        Refusal(name: "a unit code taken", category: .conflict) { storage, history in
            _ = try await storage.createUnit(name: "第三支部", parentId: history.units.root, code: "R", at: Date())
        },
        Refusal(name: "a user name taken, another case", category: .conflict) { storage, _ in
            _ = try await storage.createAccount(
                username: "ORGANIZER", displayName: nil, passwordHash: "x", role: .admin, unitId: nil)
        },
        Refusal(name: "a member category name taken, created", category: .conflict) { storage, _ in
            _ = try await storage.createMemberCategory(name: "党务干部")
        },
        Refusal(name: "a member category name taken, renamed", category: .conflict) { storage, _ in
            let categories = try await storage.memberCategories()
            let other = try #require(categories.first { $0.name != "党务干部" })
            _ = try await storage.renameMemberCategory(other.id, name: "党务干部")
        },
    ]

    /// Missing rows: every protocol's lookups and writes of an id, number or name that is not there.
    static let missingRows: [Refusal] = [
        Refusal(name: "bank summary", category: .notFound) { storage, _ in _ = try await storage.bank(named: "无") },
        Refusal(name: "bank versions", category: .notFound) { storage, _ in _ = try await storage.versions(ofBank: "无")
        },
        Refusal(name: "bank questions", category: .notFound) { storage, _ in
            _ = try await storage.questions(ofBank: "无", matching: QuestionQuery())
        },
        Refusal(name: "bank version", category: .notFound) { storage, _ in
            _ = try await storage.allQuestions(ofBank: "题库", version: 9)
        },
        Refusal(name: "bank update", category: .notFound) { storage, _ in
            _ = try await storage.updateBank(named: "无", shared: true)
        },
        Refusal(name: "bank owner unit", category: .notFound) { storage, _ in
            _ = try await storage.updateBank(named: "题库", ownerUnitId: 404)
        },
        Refusal(name: "unit update", category: .notFound) { storage, _ in
            _ = try await storage.updateUnit(404, name: "x")
        },
        Refusal(name: "unit parent", category: .notFound) { storage, _ in
            _ = try await storage.createUnit(name: "新", parentId: 404, code: nil, at: Date())
        },
        Refusal(name: "unit members", category: .notFound) { storage, _ in _ = try await storage.members(ofUnit: 404) },
        Refusal(name: "member by id", category: .notFound) { storage, _ in _ = try await storage.member(id: 404) },
        Refusal(name: "member update", category: .notFound) { storage, _ in
            _ = try await storage.updateMember(number: "404", MemberChanges(name: "无"), at: Date())
        },
        Refusal(name: "member added to a missing unit", category: .notFound) { storage, _ in
            _ = try await storage.addMember(number: "900", name: "新", unitId: 404, phone: nil, at: Date())
        },
        Refusal(name: "account by id", category: .notFound) { storage, _ in _ = try await storage.account(id: 404) },
        Refusal(name: "account update", category: .notFound) { storage, _ in
            _ = try await storage.updateAccount(id: 404, AccountChanges(displayName: "无"))
        },
        Refusal(name: "account delete", category: .notFound) { storage, _ in try await storage.deleteAccount(id: 404) },
        Refusal(name: "invitation for a missing member", category: .notFound) { storage, _ in
            _ = try await storage.createInvitation(memberNumber: "404", tokenHash: "x", createdBy: nil)
        },
        Refusal(name: "invitation revoke", category: .notFound) { storage, _ in
            try await storage.revokeInvitation(id: 404)
        },
        Refusal(name: "contest display token", category: .notFound) { storage, _ in
            try await storage.replaceDisplayToken(ofContest: 404, hash: "x")
        },
        Refusal(name: "contest results", category: .notFound) { storage, _ in _ = try await storage.contestResults(404)
        },
        Refusal(name: "contest result sheets", category: .notFound) { storage, _ in
            _ = try await storage.contestResultSheets(404, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        },
        Refusal(name: "contest delete", category: .notFound) { storage, _ in
            try await storage.deleteUnplayedContest(404)
        },
        Refusal(name: "campaign display token", category: .notFound) { storage, _ in
            try await storage.replaceDisplayToken(ofCampaign: 404, hash: "x")
        },
        Refusal(name: "member category rename", category: .notFound) { storage, _ in
            _ = try await storage.renameMemberCategory(404, name: "新类别")
        },
        Refusal(name: "member category delete", category: .notFound) { storage, _ in
            try await storage.deleteMemberCategory(404)
        },
    ]

    /// The history `StorageContractTests.fill` writes, an organizer account and the member categories the refusals
    /// collide with.
    static func prepared(_ storage: any Storage) async throws -> StorageContractTests.History {
        let history = try await StorageContractTests.fill(storage)
        _ = try await storage.createAccount(
            username: "organizer", displayName: nil, passwordHash: "x", role: .organizer, unitId: history.units.first)
        let present = Set(try await storage.memberCategories().map(\.name))
        for name in ["党务干部", "农村党员"] where !present.contains(name) {
            _ = try await storage.createMemberCategory(name: name)
        }
        return history
    }

    /// What each refusal threw on `storage`, by name: the `StorageError`'s category and words, or the other error.
    static func outcomes(of refusals: [Refusal], on storage: any Storage) async throws -> [String: String] {
        let history = try await prepared(storage)
        var outcomes: [String: String] = [:]
        for refusal in refusals {
            do {
                try await refusal.call(storage, history)
                outcomes[refusal.name] = "no refusal"
            } catch let error as StorageError {
                outcomes[refusal.name] = "\(error.category): \(error)"
            } catch {
                outcomes[refusal.name] = "not a StorageError: \(type(of: error))"
            }
        }
        return outcomes
    }

    /// What a refusal must not change: the tree, a member, the accounts, the banks, the categories.
    static func snapshot(_ storage: any Storage) async throws -> [String] {
        let units = try await storage.units(under: nil).map { "\($0.id) \($0.path) \($0.code ?? "")" }
        let member = try await storage.member(number: "001").member
        let accounts = try await storage.accounts().map { "\($0.id) \($0.username) \($0.displayName)" }
        let banks = try await storage.banks().map { "\($0.name) \($0.latest.version) \($0.shared)" }
        let categories = try await storage.memberCategories().map { "\($0.id) \($0.name)" }
        return units + ["\(member.name) \(member.unit.id)"] + accounts + banks + categories
    }

    @Test(arguments: StorageBackend.available) func uniqueViolationsAreConflictsAndChangeNothing(
        _ backend: StorageBackend
    ) async throws {
        try await backend.withStorage { storage in
            let history = try await Self.prepared(storage)
            let before = try await Self.snapshot(storage)
            for refusal in Self.uniqueViolations {
                do {
                    try await refusal.call(storage, history)
                    Issue.record("\(refusal.name): not refused")
                } catch let error as StorageError {
                    #expect(error.category == refusal.category, "\(refusal.name): \(error)")
                    #expect(error.description.contains("("), "\(refusal.name): Chinese, then English in parentheses")
                } catch {
                    Issue.record("\(refusal.name): \(error) is not a StorageError")
                }
            }
            #expect(try await Self.snapshot(storage) == before)
            // The exact words the server shows for the commonest ones.
            await #expect(throws: StorageError.memberNumberTaken("001")) {
                try await storage.addMember(
                    number: "001", name: "重复", unitId: history.units.second, phone: nil, at: Date())
            }
            await #expect(throws: StorageError.unitNameTaken("第二支部")) {
                try await storage.createUnit(name: "第二支部", parentId: history.units.root, code: nil, at: Date())
            }
        }
    }

    @Test(arguments: StorageBackend.available) func missingRowsAreNotFoundAndChangeNothing(_ backend: StorageBackend)
        async throws
    {
        try await backend.withStorage { storage in
            let history = try await Self.prepared(storage)
            let before = try await Self.snapshot(storage)
            for refusal in Self.missingRows {
                do {
                    try await refusal.call(storage, history)
                    Issue.record("\(refusal.name): not refused")
                } catch let error as StorageError {
                    #expect(error.category == refusal.category, "\(refusal.name): \(error)")
                } catch {
                    Issue.record("\(refusal.name): \(error) is not a StorageError")
                }
            }
            #expect(try await Self.snapshot(storage) == before)
            // Lookups that answer "none" instead of refusing.
            #expect(try await storage.contest(id: 404) == nil)
            #expect(try await storage.contest(pin: "000000") == nil)
            #expect(try await storage.campaign(id: 404) == nil)
            #expect(try await storage.memberUnit(number: "404") == nil)
            #expect(try await storage.invitationUnit(id: 404) == nil)
            #expect(try await storage.bankOwnership(named: "无") == nil)
            #expect(try await storage.session(tokenHash: "无") == nil)
            #expect(try await storage.credentials(username: "无") == nil)
        }
    }

    /// The same refusal, provoked on each backend, is the same error in the same words: the server's answer does not
    /// depend on the database.
    @Test(.postgres) func bothBackendsRefuseInTheSameWords() async throws {
        let refusals = Self.uniqueViolations + Self.missingRows
        let sqlite = try await StorageBackend.sqlite.withStorage { try await Self.outcomes(of: refusals, on: $0) }
        let postgres = try await StorageBackend.postgres.withStorage { try await Self.outcomes(of: refusals, on: $0) }
        for refusal in refusals {
            #expect(sqlite[refusal.name] == postgres[refusal.name], "\(refusal.name)")
        }
    }
}
