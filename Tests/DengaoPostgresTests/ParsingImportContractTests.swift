import DengaoCore
import DengaoPostgres
import DengaoStorage
import Foundation
import Synchronization
import Testing

/// Importing a file through `importBank(named:…parsing:)`, where SQLite inserts the questions the parser delivers
/// while it reads on: both backends store the same bank, and a file broken in its last row changes nothing even
/// though SQLite had already inserted the rows before it.
@Suite struct ParsingImportContractTests {
    typealias Backend = StorageContractTests.Backend

    /// A CSV in the template's columns: `count` single-choice questions, the last with `lastAnswer` as its key.
    static func csv(count: Int, lastAnswer: String = "B") -> Data {
        var text = "题型,题干,选项A,选项B,选项C,选项D,答案,解析,难度,分类,标签\n"
        for number in 1...count {
            let answer = number == count ? lastAnswer : ["A", "B", "C", "D"][number % 4]
            text += "单选,第\(number)题：党的根本宗旨是什么（ ）,甲\(number),乙,丙,丁,\(answer),解析\(number),\(1 + number % 5),党史,标签\n"
        }
        return Data(text.utf8)
    }

    /// Counts the questions a backend took while the parse was still reading.
    final class Delivered: Sendable {
        let count = Mutex(0)

        /// `delivery` with each batch counted on its way through.
        func counting(_ delivery: QuestionDelivery?) -> QuestionDelivery? {
            delivery.map { delivery in
                QuestionDelivery(batchSize: delivery.batchSize) { batch in
                    self.count.withLock { $0 += batch.count }
                    return delivery.deliver(batch)
                }
            }
        }
    }

    @Test(arguments: Backend.available)
    func aLargeFileIsStoredAsParsed(backend: Backend) async throws {
        let data = Self.csv(count: 5_001)
        let expected = try BankImporter.parse(data, fileName: "bank.csv").questions
        let delivered = Delivered()
        try await backend.withStorage { storage in
            let (bank, version) = try await storage.importBank(named: "大题库", sourceName: "bank.csv") { delivery in
                try BankImporter.parse(data, fileName: "bank.csv", delivery: delivered.counting(delivery))
            }
            #expect(bank.questions == expected && bank.format == .csv)
            #expect(version.version == 1 && version.questionCount == 5_001 && version.sourceFormat == "csv")
            #expect(try await storage.allQuestions(ofBank: "大题库", version: nil).questions == expected)
        }
        // SQLite inserts batches while parsing (all but the last partial one); PostgreSQL takes the parsed bank.
        #expect(delivered.count.withLock { $0 } == (backend == .sqlite ? 4_000 : 0))
    }

    @Test(arguments: Backend.available)
    func anErrorInTheLastRowChangesNothing(backend: Backend) async throws {
        let broken = Self.csv(count: 5_001, lastAnswer: "E")
        let delivered = Delivered()
        try await backend.withStorage { storage in
            _ = try await storage.importBank(
                named: "旧题库", questions: [Question(type: .trueFalse, stem: "旧题", answer: .truth(true))],
                format: .json, sourceName: nil, at: Date())
            for name in ["旧题库", "新题库"] {
                do {
                    _ = try await storage.importBank(named: name, sourceName: "bank.csv") { delivery in
                        try BankImporter.parse(broken, fileName: "bank.csv", delivery: delivered.counting(delivery))
                    }
                    Issue.record("a broken file was imported")
                } catch let failure as ImportFailure {
                    #expect(failure.errors.map(\.location) == [.lineField(line: 5_002, column: "答案")])
                }
            }
            #expect(try await storage.versions(ofBank: "旧题库").map(\.questionCount) == [1])
            #expect(try await storage.bankOwnership(named: "新题库") == nil)
            #expect(try await storage.banks().map(\.name) == ["旧题库"])
        }
        // The rollback undid rows that were really inserted: two files' worth of delivered batches.
        #expect(delivered.count.withLock { $0 } == (backend == .sqlite ? 8_000 : 0))
    }
}
