import DengaoCore
import Foundation
import GRDB
import Synchronization
import Testing

@testable import DengaoStorage

/// The SQLite side of parsing and inserting at once: a failing insert stops the parser and rolls everything back.
@Suite struct ParsingImportTests {
    // Through `SQLiteStorage`, as every caller does: the store's own method waits for the parse on its calling
    // thread, which on one of the test process's cooperative threads starved every other suite (CI caught it).
    @Test func aFailedInsertStopsTheParserAndStoresNothing() async throws {
        let (store, _) = try temporaryStore()
        let refusedAfter = Mutex<Int?>(nil)
        await #expect(throws: DatabaseError.self) {
            _ = try await SQLiteStorage(store).importBank(
                named: "坏题库", sourceName: nil, owner: nil, shared: false, at: Date()
            ) { delivery in
                let delivery = try #require(delivery)
                // Difficulty 9 breaks the table's CHECK: the batch reaches SQLite and its insert fails.
                var batch = [Question(type: .trueFalse, stem: "题", answer: .truth(true), difficulty: 9)]
                for deliveries in 1...1_000_000 {
                    guard delivery.deliver(batch) else {
                        refusedAfter.withLock { $0 = deliveries }
                        break
                    }
                    batch[0].difficulty = 1
                }
                return ParsedBank(format: .csv, questions: [])
            }
        }
        // The parser was told to stop (not left reading to the end) and nothing of the import stayed.
        #expect(try #require(refusedAfter.withLock { $0 }) > 1)
        #expect(try store.banks().isEmpty)
        #expect(try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM question") } == 0)
    }
}
