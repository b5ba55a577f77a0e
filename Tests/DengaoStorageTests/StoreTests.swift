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

    @Test func reimportCreatesVersionsAndOldOnesStayReadable() throws {
        let (store, _) = try temporaryStore()
        let first = try store.importBank(named: "题库", questions: sampleQuestions, format: .xlsx, sourceName: "v1.xlsx")
        let second = try store.importBank(
            named: "题库", questions: Array(sampleQuestions.prefix(2)), format: .gift, sourceName: nil)
        #expect(first.version == 1 && second.version == 2)
        #expect(try store.allQuestions(ofBank: "题库").questions.count == 2)
        #expect(try store.allQuestions(ofBank: "题库", version: 1).questions == sampleQuestions)
        #expect(try store.versions(ofBank: "题库").map(\.version) == [2, 1])
        let summary = try store.bank(named: "题库")
        #expect(summary.latest.version == 2 && summary.versionCount == 2)
        #expect(summary.countsByType == ["single": 1, "multiple": 1])
        #expect(throws: StorageError.versionNotFound(bank: "题库", version: 3)) {
            try store.allQuestions(ofBank: "题库", version: 3)
        }
    }

    @Test func summaryCountsByTypeCategoryAndDifficulty() throws {
        let (store, _) = try temporaryStore()
        _ = try store.importBank(named: "b", questions: sampleQuestions, format: .json, sourceName: nil)
        let summary = try #require(try store.banks().first)
        #expect(summary.countsByType == ["single": 2, "multiple": 1, "truefalse": 1, "fill": 1])
        #expect(summary.countsByCategory == ["党史": 3, "政治理论": 1, "党章": 1])
        #expect(summary.countsByDifficulty == ["1": 1, "2": 1, "3": 2, "5": 1])
    }

    @Test func filtersAndPaging() throws {
        let (store, _) = try temporaryStore()
        _ = try store.importBank(named: "b", questions: sampleQuestions, format: .json, sourceName: nil)
        func stems(_ query: QuestionQuery) throws -> [Int] {
            try store.questions(ofBank: "b", matching: query).questions.map(\.number)
        }
        #expect(try stems(QuestionQuery(type: .single)) == [1, 5])
        #expect(try stems(QuestionQuery(category: "党史")) == [1, 4, 5])
        #expect(try stems(QuestionQuery(difficulty: 2...3)) == [2, 3, 5])
        #expect(try stems(QuestionQuery(tag: "长征")) == [4])
        #expect(try stems(QuestionQuery(text: "遵义")) == [4])
        #expect(try stems(QuestionQuery(text: "协调")) == [2])  // matched in an option
        #expect(try stems(QuestionQuery(text: "%")) == [])  // LIKE wildcards are literal
        let page = try store.questions(ofBank: "b", matching: QuestionQuery(offset: 2, limit: 2))
        #expect(page.total == 5 && page.questions.map(\.number) == [3, 4])
    }

    @Test func deleteRemovesVersionsAndQuestions() throws {
        let (store, _) = try temporaryStore()
        _ = try store.importBank(named: "b", questions: sampleQuestions, format: .json, sourceName: nil)
        _ = try store.importBank(named: "b", questions: sampleQuestions, format: .json, sourceName: nil)
        try store.deleteBank(named: "b")
        #expect(try store.banks().isEmpty)
        let remaining = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM question") }
        #expect(remaining == 0)
        #expect(throws: StorageError.bankNotFound("b")) { try store.deleteBank(named: "b") }
    }

    @Test func badNamesAreRefused() throws {
        let (store, _) = try temporaryStore()
        for name in ["", "  ", "a/b", "x\u{7}", ".", "..", String(repeating: "长", count: 101)] {
            #expect(throws: StorageError.self) {
                try store.importBank(named: name, questions: sampleQuestions, format: .csv, sourceName: nil)
            }
        }
        #expect(try store.banks().isEmpty)
    }

    @Test func aFailedImportLeavesNothingBehind() throws {
        let (store, _) = try temporaryStore()
        var invalid = sampleQuestions
        invalid.append(Question(type: .single, stem: "x", options: ["a", "b"], answer: .choices([0]), difficulty: 9))
        // The CHECK constraint is the last line of defence when a caller skips validation.
        #expect(throws: (any Error).self) {
            try store.importBank(named: "b", questions: invalid, format: .csv, sourceName: nil)
        }
        #expect(try store.banks().isEmpty)
        #expect(try store.hasBanks() == false)
    }
}

/// The guard around loading live rooms: a load under way at a crash sets its room aside at the next start.
@Suite struct RoomLoadTests {
    @Test func aLoadInterruptedByACrashSetsItsRoomAsideOnce() throws {
        let (store, _) = try temporaryStore()
        #expect(try store.beginLoading(.contest, id: 7) == nil)
        #expect(try store.beginLoading(.campaign, id: 9) == nil)
        try store.finishLoading(.campaign, id: 9)
        // The process died while contest 7 loaded; campaign 9 loaded fine.
        let interrupted = try store.setAsideInterruptedLoads()
        #expect(interrupted.map(\.id) == [7])
        #expect(try store.setAsideInterruptedLoads().isEmpty)
        #expect(try store.beginLoading(.contest, id: 7)?.contains("意外停止") == true)
        #expect(try store.beginLoading(.campaign, id: 9) == nil)
        try store.finishLoading(.campaign, id: 9, setAsideBecause: "坏数据")
        #expect(try store.setAsideRooms().first { $0.kind == .campaign && $0.id == 9 }?.reason == "坏数据")
        #expect(try store.clearSetAside(.contest, id: 7))
        #expect(try !store.clearSetAside(.contest, id: 7))
        #expect(try store.beginLoading(.contest, id: 7) == nil)
    }
}
