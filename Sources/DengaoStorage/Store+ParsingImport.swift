import DengaoCore
import Foundation
import GRDB

extension Store {
    /// Parses a bank file and stores it as a new version of the bank `name` in one transaction, inserting the
    /// questions the parser has read while it reads on (in a task of its own): on two cores the import then takes
    /// about as long as the longer of the two, not their sum. Any parse error, even in the file's last row, or any
    /// storage error rolls the whole transaction back, so a broken file still changes nothing.
    ///
    /// `parse` must hand its questions to the `QuestionDelivery` it is given (or none of them) and return the whole
    /// bank, those delivered first; `BankImporter.parse(_:fileName:format:delivery:)` does. It must not use this
    /// store: the transaction waits for it.
    ///
    /// It blocks its calling thread until the parse ends, and the parse runs as a task: never call it on one of Swift
    /// concurrency's cooperative threads (an async function, a test), or the parse may wait for the very thread it
    /// blocks. `SQLiteStorage.importBank` runs it on a thread of its own.
    public func importBank(
        named name: String, sourceName: String?, owner: UnitID? = nil, shared: Bool = false, at date: Date = Date(),
        parsing parse: @escaping @Sendable (QuestionDelivery?) async throws -> ParsedBank
    ) throws -> (bank: ParsedBank, version: BankVersionSummary) {
        let name = try Store.validatedBankName(name)
        return try pool.write { db in
            var version = try newVersion(
                ofBank: name, format: .csv, sourceName: sourceName, owner: owner, shared: shared, at: date, db)
            let insert = try QuestionInsert(db, versionId: version.id!)
            let handoff = QuestionHandoff()
            let parsed = ParseOutcome()
            let finished = DispatchSemaphore(value: 0)
            // A task, not this thread: the caller may run the parse on threads of its own (the server's CPU pool).
            Task {
                do {
                    parsed.result = .success(try await parse(QuestionDelivery(deliver: handoff.put)))
                } catch {
                    parsed.result = .failure(error)
                }
                handoff.close()
                finished.signal()
            }
            do {
                while let batch = handoff.take() { try insert.append(batch) }
            } catch {
                handoff.refuse()
                finished.wait()
                throw error
            }
            finished.wait()
            let bank = try parsed.result!.get()
            // The parse must return what it delivered at the head of its bank; a shorter bank is a reader's bug.
            guard insert.count <= bank.questions.count else {
                throw StorageError.invalid("解析交出的题目多于结果 (the parser delivered more questions than it returned)")
            }
            try insert.append(bank.questions[insert.count...])
            version.sourceFormat = bank.format.rawValue
            version.questionCount = bank.questions.count
            try version.update(db)
            return (bank, version.summary)
        }
    }

    /// The bank `name` (created with `owner` and `shared` if new) with a new version row, numbered after its latest.
    func newVersion(
        ofBank name: String, format: BankFormat, sourceName: String?, owner: UnitID?, shared: Bool, at date: Date,
        questionCount: Int = 0, _ db: Database
    ) throws -> BankVersionRecord {
        let bank =
            try BankRecord.filter(BankRecord.Columns.name == name).fetchOne(db)
            ?? BankRecord(id: nil, name: name, createdAt: date, ownerUnitId: owner, shared: shared).inserted(db)
        let bankId = bank.id!
        let latest =
            try Int.fetchOne(
                db,
                BankVersionRecord.filter(BankVersionRecord.Columns.bankId == bankId)
                    .select(max(BankVersionRecord.Columns.version))) ?? 0
        var version = BankVersionRecord(
            id: nil, bankId: bankId, version: latest + 1, sourceFormat: format.rawValue, sourceName: sourceName,
            questionCount: questionCount, importedAt: date)
        try version.insert(db)
        return version
    }
}

/// One prepared INSERT for a version's question rows, numbering them in the order they are appended.
final class QuestionInsert {
    private let statement: Statement
    private let versionId: BankVersionID
    /// How many questions have been inserted so far.
    private(set) var count = 0

    init(_ db: Database, versionId: BankVersionID) throws {
        self.versionId = versionId
        statement = try db.makeStatement(
            sql: """
                INSERT INTO question
                  (bankVersionId, position, type, stem, options, answer, explanation, difficulty, category, tags)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
    }

    /// Inserts `questions` after those already inserted.
    func append<Questions: Collection<Question>>(_ questions: Questions) throws {
        for question in questions {
            count += 1
            try statement.execute(arguments: [
                versionId, count, question.type.rawValue, question.stem, QuestionColumns.array(question.options),
                QuestionColumns.answer(question.answer), question.explanation, question.difficulty,
                question.category, QuestionColumns.array(question.tags),
            ])
        }
    }
}

/// Batches of questions passed from the parsing thread to the inserting one, in order.
///
/// `@unchecked Sendable` is safe: every stored property is read and written only while `condition` is locked.
final class QuestionHandoff: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[Question]] = []
    private var closed = false
    private var refused = false

    /// Queues a batch; false once the inserter has failed, so the parser stops reading.
    @Sendable func put(_ batch: [Question]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !refused else { return false }
        batches.append(batch)
        condition.signal()
        return true
    }

    /// The parser has finished, with or without an error: no more batches.
    func close() {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.signal()
    }

    /// The inserter has failed: later batches are refused and those queued dropped.
    func refuse() {
        condition.lock()
        defer { condition.unlock() }
        refused = true
        batches.removeAll()
    }

    /// The next batch, waiting for the parser; nil once it has closed and every batch was taken.
    func take() -> [Question]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !closed { condition.wait() }
        return batches.isEmpty ? nil : batches.removeFirst()
    }
}

/// The parser's result, written by its thread before it signals and read by the inserter after waiting.
///
/// `@unchecked Sendable` is safe: `result` is written once, before the semaphore's signal, and read only after
/// the matching wait, which orders the two.
final class ParseOutcome: @unchecked Sendable {
    var result: Result<ParsedBank, any Error>?
}
