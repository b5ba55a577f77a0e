import DengaoCore
import Foundation
import GRDB
import Testing

@testable import DengaoStorage

/// A store on a real SQLite file in a fresh temporary directory.
func temporaryStore() throws -> (Store, String) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dengao-\(UUID().uuidString)").path
    return (try Store(directory: directory), directory)
}

let sampleQuestions: [Question] = [
    Question(
        type: .single, stem: "中共一大于（ ）年召开。", options: ["1919", "1921"], answer: .choices([1]), difficulty: 1,
        category: "党史", tags: ["建党"]),
    Question(
        type: .multiple, stem: "新发展理念包括（ ）。", options: ["创新", "协调", "封闭"], answer: .choices([0, 1]), difficulty: 3,
        category: "政治理论", tags: ["新发展理念", "理论"]),
    Question(
        type: .trueFalse, stem: "党员必须参加组织生活。", answer: .truth(true), explanation: "党章第一章", difficulty: 2, category: "党章"
    ),
    Question(
        type: .fill, stem: "遵义会议召开于（ ）年。", answer: .texts(["1935", "1935年"]), difficulty: 5, category: "党史",
        tags: ["长征"]),
    Question(
        type: .single, stem: "含 \"引号\"、\\反斜杠\\ 与\n换行", options: ["a\tb", "c\u{1}d"], answer: .choices([0]),
        category: "党史"),
]

/// What only SQLite's store has: the file's pragmas, its migrations and reopening. What every backend does through the
/// protocols is checked on both by the contract suites (`Tests/DengaoPostgresTests/*ContractTests.swift`).
@Suite struct StoreTests {
    @Test func migratesAFreshFileWithWALAndFullSync() throws {
        let (store, _) = try temporaryStore()
        #expect(
            try store.appliedMigrations() == [
                "v1: banks, versions, questions", "v2: org tree, members, accounts, sessions, invitations, bank owners",
                "v3: live contests and their journal", "v4: answer-climbing campaigns",
                "v5: live rooms set aside, and loads under way",
                "v6: members' active spans", "v7: contest answers as rows, and the indexes reports read",
                "v8: needs surveys", "v9: member categories and their history",
                "v10: the ladder each campaign attempt climbs",
                "v11: member categories' large-text default",
            ])
        let (mode, sync, foreignKeys) = try store.pool.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys")
            )
        }
        #expect(mode == "wal")
        #expect(sync == 2)  // FULL
        #expect(foreignKeys == 1)
        #expect(store.isHealthy())
    }

    @Test func reopeningKeepsDataAndDoesNotRemigrate() throws {
        let (store, directory) = try temporaryStore()
        _ = try store.importBank(named: "党史", questions: sampleQuestions, format: .csv, sourceName: "a.csv")
        let reopened = try Store(directory: directory)
        #expect(try reopened.allQuestions(ofBank: "党史").questions == sampleQuestions)
        #expect(
            try reopened.appliedMigrations() == Store.migrator.migrations, "every migration applied once, none again")
    }
}
