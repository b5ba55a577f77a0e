import DengaoCore
import Foundation
import GRDB
import Testing

@testable import DengaoStorage

/// Databases from before members' status was dated get the spans their rows allow (the dated spans themselves, on
/// both backends: `OrgContractTests.deactivatingAndReactivatingKeepDatedSpans`).
@Suite struct MemberStatusTests {
    func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

    @Test func existingMembersGetTheSpansTheirRowsAllow() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dengao-\(UUID().uuidString).sqlite")
            .path
        // A database as the release before kept it: migrated through v4, members with only an `active` flag.
        do {
            let pool = try DatabasePool(path: path)
            try Store.migrator.migrate(pool, upTo: "v4: answer-climbing campaigns")
            try pool.write { db in
                try db.execute(sql: "INSERT INTO unit (id, name, createdAt) VALUES (1, '一支部', ?)", arguments: [date(0)])
                for (id, active, created, updated) in [
                    (1, true, 100.0, 500.0), (2, false, 100.0, 300.0), (3, false, 200.0, 200.0),
                ] {
                    try db.execute(
                        sql:
                            "INSERT INTO member (id, number, name, unitId, active, createdAt, updatedAt) VALUES (?, ?, ?, 1, ?, ?, ?)",
                        arguments: [id, "\(id)", "党员\(id)", active, date(created), date(updated)])
                    try db.execute(
                        sql: "INSERT INTO memberPlacement (memberId, unitId, since) VALUES (?, 1, ?)",
                        arguments: [id, date(created)])
                }
            }
        }
        let store = try Store(path: path)
        #expect(try store.appliedMigrations().contains("v6: members' active spans"))
        let spans = try store.rosterHistory().activeSpans.sorted { $0.memberId < $1.memberId }
        // Active: since creation. Inactive and changed since: active until the last change, the latest moment the
        // deactivation can have happened. Inactive and never changed (created so): never active.
        #expect(
            spans == [
                Participation.ActiveSpan(memberId: 1, since: 100_000, until: nil),
                Participation.ActiveSpan(memberId: 2, since: 100_000, until: 300_000),
            ])
        // And the status keeps its history from then on.
        try store.updateMember(number: "1", MemberChanges(active: false), at: date(600))
        #expect(try store.rosterHistory().activeSpans.first { $0.memberId == 1 }?.until == 600_000)
    }
}
