import DengaoCore
import Foundation
import GRDB
import Testing

@testable import DengaoStorage

/// The activity the organization's participation report reads is found by index (what it reads, on both backends:
/// `ActivityContractTests`).
@Suite struct ActivityQueryTests {
    /// One unit, members 1–3, one campaign, and attempts written as rows (member, seq, day).
    func storeWithAttempts(_ attempts: [(Int64, Int, String)]) throws -> Store {
        let (store, _) = try temporaryStore()
        try store.pool.write { db in
            let now = Date()
            try db.execute(sql: "INSERT INTO unit (id, name, createdAt) VALUES (1, '一支部', ?)", arguments: [now])
            for member in 1...3 {
                try db.execute(
                    sql:
                        "INSERT INTO member (id, number, name, unitId, createdAt, updatedAt) VALUES (?, ?, ?, 1, ?, ?)",
                    arguments: [member, "M\(member)", "党员\(member)", now, now])
            }
            try db.execute(
                sql:
                    "INSERT INTO campaign (id, title, settings, seed, displayTokenHash, createdAt) VALUES (1, '登高', '{}', 1, 'h', ?)",
                arguments: [now])
            for (member, seq, day) in attempts {
                try db.execute(
                    sql: """
                        INSERT INTO campaignAttempt (campaignId, memberId, seq, unitId, level, day, seed, startedAt, status)
                        VALUES (1, ?, ?, 1, 1, ?, 1, 0, 'passed')
                        """, arguments: [member, seq, day])
            }
        }
        return store
    }

    @Test func theActivityQueryReadsAnIndexNotTheTable() throws {
        let store = try storeWithAttempts([])
        let plan = try store.pool.read { db in
            try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN " + Store.campaignActivitySQL, arguments: ["2026-11-01", "2026-11-30"]
            ).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING COVERING INDEX campaignAttempt_activity") }, "\(plan)")
    }
}

extension ActivityQueryTests {
    @Test func contestJoinsAreReadByTheirMomentThroughAnIndex() throws {
        let store = try storeWithAttempts([])
        try store.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO contest (id, title, settings, seed, pin, displayTokenHash, status, createdAt)
                    VALUES (1, '竞赛', '{}', 1, '123456', 'c', 'finished', ?)
                    """, arguments: [Date()])
            for (seat, member, at) in [(1, 1 as Int64?, 1_000), (2, nil, 1_500), (3, 2, 2_000), (4, 3, 2_999)]
                as [(Int, Int64?, Int64)]
            {
                try db.execute(
                    sql:
                        "INSERT INTO contestSeat (contestId, seat, memberId, unitId, name, joinedAt) VALUES (1, ?, ?, 1, '某', ?)",
                    arguments: [seat, member, at])
            }
        }
        let joins = try store.contestActivity(from: 1_000, until: 2_999)
        #expect(joins.map(\.memberId) == [1, 2], "members only, the start included and the end excluded")
        let plan = try store.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + Store.contestActivitySQL, arguments: [0, 1]).map {
                $0["detail"] as String
            }
        }
        #expect(plan.contains { $0.contains("USING COVERING INDEX contestSeat_activity") }, "\(plan)")
    }
}
