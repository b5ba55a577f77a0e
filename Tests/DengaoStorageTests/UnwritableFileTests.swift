import DengaoCore
import Foundation
import GRDB
import Testing

@testable import DengaoStorage

/// SQLite's counterpart of a lost connection: the file cannot be written just now (another process holds its write
/// lock past the busy timeout, or the disk fills under a transaction). Through `SQLiteStorage`, as the server calls
/// it, the write throws `StorageError.unavailable` (a 503, not a 500), leaves nothing, and succeeds once the file
/// can be written again.
@Suite struct UnwritableFileTests {
    /// Expects the storage boundary's "unavailable", in words, of a write the file could not take.
    static func expectUnavailable(_ error: StorageError?, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(error?.category == .unavailable, sourceLocation: sourceLocation)
        #expect(error?.description.hasPrefix("数据库暂时无法访问") == true, sourceLocation: sourceLocation)
    }

    static func questionRows(_ store: Store) async throws -> Int? {
        try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM question") }
    }

    /// The disk fills in the middle of an import (`max_page_count` on the writer stands in for a full disk: the bank
    /// and version rows fit in the file's pages, the questions do not).
    @Test func aDiskFillingUnderAnImportIsUnavailableAndRolledBack() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let storage = SQLiteStorage(store)
        _ = try await storage.importBank(named: "题库", questions: sampleQuestions, format: .text, sourceName: nil)
        let banks = try await storage.banks().map(\.name)
        let questions = try await Self.questionRows(store)
        let large = (1...500).map { n in
            Question(type: .trueFalse, stem: "第\(n)题：" + String(repeating: "登高望远", count: 50), answer: .truth(true))
        }
        try await store.pool.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
        let error = await #expect(throws: StorageError.self) {
            _ = try await storage.importBank(named: "大题库", questions: large, format: .text, sourceName: nil)
        }
        Self.expectUnavailable(error)
        #expect(try await storage.banks().map(\.name) == banks)
        #expect(try await Self.questionRows(store) == questions)
        // Space again: the same import commits.
        try await store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
        _ = try await storage.importBank(named: "大题库", questions: large, format: .text, sourceName: nil)
        #expect(try await storage.bank(named: "大题库").latest.questionCount == 500)
    }

    /// Another process holds the file's write lock (a `sqlite3` shell left in a transaction) past the busy timeout,
    /// shortened here to none so the test does not wait out the real ten seconds.
    @Test func aFileLockedByAnotherProcessIsUnavailableAndTheWriteLandsOnceItIsFree() async throws {
        let (store, directory) = try temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let storage = SQLiteStorage(store)
        let root = try await storage.createUnit(name: "机关党委", parentId: nil).id
        try await store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA busy_timeout = 0") }
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: store.path, configuration: configuration)
        try await other.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        let error = await #expect(throws: StorageError.self) {
            _ = try await storage.createUnit(name: "第一支部", parentId: root)
        }
        Self.expectUnavailable(error)
        try await other.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
        #expect(try await storage.units().map(\.name) == ["机关党委"])
        _ = try await storage.createUnit(name: "第一支部", parentId: root)
        #expect(try await storage.units().map(\.name).sorted() == ["机关党委", "第一支部"].sorted())
    }
}
