import DengaoCore
import Foundation
import GRDB
import Testing

@testable import DengaoStorage

/// A member's status (active / 停用) is kept with its dates, as placements are, so a day's roster counts a member
/// only while they were active; databases from before get spans their rows allow.
@Suite struct MemberStatusTests {
    func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

    @Test func deactivatingAndReactivatingKeepDatedSpans() throws {
        let (store, _) = try temporaryStore()
        let unit = try store.createUnit(name: "一支部", parentId: nil).id
        try store.addMember(number: "1", name: "王一", unitId: unit, at: date(100))
        try store.updateMember(number: "1", MemberChanges(active: false), at: date(200))
        try store.updateMember(number: "1", MemberChanges(active: false), at: date(250))  // already inactive: no change
        try store.updateMember(number: "1", MemberChanges(name: "王壹"), at: date(260))  // status untouched
        try store.updateMember(number: "1", MemberChanges(active: true), at: date(300))

        // A roster file with a 状态 column deactivates and creates inactive members the same way.
        let csv = "姓名,党员编号,所在支部,状态\n王壹,1,一支部,停用\n王二,2,一支部,停用\n王三,3,一支部,在册\n"
        _ = try store.importRoster(
            try RosterReader.parse(Data(csv.utf8)), scope: nil, base: nil, createUnits: false, at: date(400))

        let history = try store.rosterHistory()
        let ids = Dictionary(uniqueKeysWithValues: history.people.map { ($0.value.number, $0.key) })
        let spans = history.activeSpans.sorted { ($0.memberId, $0.since) < ($1.memberId, $1.since) }
        #expect(
            spans == [
                Participation.ActiveSpan(memberId: ids["1"]!, since: 100_000, until: 200_000),
                Participation.ActiveSpan(memberId: ids["1"]!, since: 300_000, until: 400_000),
                Participation.ActiveSpan(memberId: ids["3"]!, since: 400_000, until: nil),
            ])
        #expect(history.people[ids["1"]!] == Participation.History.Person(number: "1", name: "王壹"))
        #expect(history.roster(at: 150_000, within: nil) == [ids["1"]!: unit])
        #expect(history.roster(at: 200_000, within: nil).isEmpty, "inactive from the moment of the change")
        #expect(history.roster(at: 350_000, within: nil) == [ids["1"]!: unit])
        #expect(history.roster(at: 400_000, within: nil) == [ids["3"]!: unit])
        #expect(history.roster(at: 400_000, within: [unit + 1]).isEmpty)
    }

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
