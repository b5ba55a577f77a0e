import DengaoCore
import Foundation
import GRDB
import Testing

@testable import DengaoStorage

/// Contest answers as rows (`contestAnswer`), on real SQLite files: written by the journal with the entry that
/// accepted them, pointed by the reveal's entry, equal to what the results' replay of the journal reads, and filled
/// in for contests played before the table existed.
@Suite struct ContestAnswerRowTests {
    /// Writes `entries` as the journal does (one batch, one transaction); the journal's loop is tested in the server.
    func write(_ entries: [JournalEntry], to store: Store) async throws {
        try await store.writeJournal(entries.map { .contest($0) })
    }

    func createContest(_ store: Store, settings: ContestSettings, questions: [ContestQuestion]) throws -> ContestID {
        let byRound = (0..<settings.rounds.count).map { round in
            questions.filter { $0.round == round }.map(\.questionId)
        }
        return try store.createContest(
            NewContest(
                ownerUnitId: nil, createdById: nil, settings: settings, seed: 9, questionIds: byRound,
                displayTokenHash: UUID().uuidString)
        ).id
    }

    /// The rows the store holds equal, for every seeded random contest, both the answers `ContestResults` reads
    /// from the stored journal (revealed questions, with their points) and the replay of the journal into rows
    /// (every accepted answer, points nil until its question is revealed).
    @Test func rowsEqualTheResultsReplayOfTheJournalOverSeededRandomContests() async throws {
        let store = try temporaryReportStore()
        _ = try store.importBank(named: "题库", questions: reportQuestions, format: .text, sourceName: nil)
        let pool = try store.latestQuestions(ofBanks: ["题库"])
        var revealedRows = 0, openRows = 0, kickedRows = 0, partialRows = 0
        for seed in UInt64(1)...40 {
            let (settings, questions) = RandomContestDriver.randomContest(pool: pool, seed: seed)
            let contestId = try createContest(store, settings: settings, questions: questions)
            var driver = RandomContestDriver(settings: settings, questions: questions, contestId: contestId, seed: seed)
            for _ in 0..<800 where driver.machine.phase != .finished {
                driver.step()
                // A third of the contests stop mid-play, once a question has answers but no reveal yet.
                let unrevealed =
                    [.open, .closed].contains(driver.machine.phase) && driver.machine.current?.answers.isEmpty == false
                if seed % 3 == 0, unrevealed { break }
            }
            try await write(driver.entries, to: store)

            let stored = try store.contestResponses(contest: contestId)
            let live = stored.map(ComparableAnswer.init)
            #expect(Set(live).count == live.count)
            let journal = try store.journal(ofContest: contestId).map { (input: $0.input, at: $0.at) }
            #expect(journal.count == driver.entries.count)
            let replayed = ContestAnswerReplay.rows(settings: settings, questions: questions, journal: journal)
            #expect(Set(live) == Set(replayed.map(ComparableAnswer.init)), "seed \(seed)")

            let results = ContestResults(settings: settings, questions: questions, journal: journal)
            let byKey = Dictionary(
                live.map { ("\($0.number)/\($0.seat)", $0) }, uniquingKeysWith: { first, _ in first })
            for answer in results.answers {
                let row = byKey["\(answer.number)/\(answer.seat)"]
                #expect(row?.answer == answer.answer, "seed \(seed)")
                #expect(row?.correctness == answer.correctness, "seed \(seed)")
                #expect(row?.points == answer.points, "seed \(seed) q\(answer.number) seat \(answer.seat)")
                #expect(row?.elapsed == answer.elapsedMilliseconds)
                #expect(row?.at == answer.receivedAt)
            }
            // Exactly the revealed questions' answers have points.
            #expect(live.filter { $0.points != nil }.count == results.answers.count, "seed \(seed)")
            for row in live {
                let seat = driver.machine.seats[row.seat]
                #expect(row.memberId == seat?.memberId && row.unitId == seat?.branchId)
                #expect(row.questionId == questions[row.number - 1].questionId)
                if driver.machine.kicked.contains(row.seat) { kickedRows += 1 }
                if row.correctness == .partial { partialRows += 1 }
            }
            // The seats are the machine's, kicked ones marked.
            let seats = try store.contestSeats(contest: contestId)
            #expect(seats.map(\.seat) == driver.machine.seats.keys.sorted())
            for seat in seats {
                let machineSeat = driver.machine.seats[seat.seat]
                #expect(
                    seat.memberId == machineSeat?.memberId && seat.unitId == machineSeat?.branchId
                        && seat.name == machineSeat?.name)
                #expect((seat.kickedAt != nil) == driver.machine.kicked.contains(seat.seat))
            }
            revealedRows += results.answers.count
            openRows += live.count - results.answers.count
        }
        // The seeds exercise what the comparison is about, not just empty contests.
        #expect(
            revealedRows > 80 && openRows > 0 && kickedRows > 0 && partialRows > 0,
            "\(revealedRows) \(openRows) \(kickedRows) \(partialRows)")
    }

    /// An answer row rides its journal entry: a commit that fails writes neither, nor the points of a reveal in it.
    @Test func aFailedCommitWritesNoRow() async throws {
        let store = try temporaryReportStore()
        _ = try store.importBank(named: "题库", questions: reportQuestions, format: .text, sourceName: nil)
        let pool = try store.latestQuestions(ofBanks: ["题库"])
        let settings = ContestSettings(
            title: "t", rounds: [RoundSettings(title: "r", kind: .everyone, banks: ["题库"], draw: DrawRule(count: 1))])
        let questions = [
            ContestQuestion(number: 1, round: 0, questionId: pool[0].id, question: pool[0].question)
        ]
        let contestId = try createContest(store, settings: settings, questions: questions)
        let row = ContestAnswerRow(
            number: 1, seat: 1, memberId: 7, unitId: 2, questionId: pool[0].id, answer: .choices([1]),
            correctness: .correct,
            elapsedMilliseconds: 1_200, receivedAt: 5_000)
        let first = JournalEntry(contestId: contestId, seq: 1, at: 0, input: .command(.next))
        let answered = JournalEntry(
            contestId: contestId, seq: 2, at: 5_000, input: .answer(seat: 1, number: 1, answer: .choices([1])),
            answerRow: row)
        let revealed = JournalEntry(
            contestId: contestId, seq: 3, at: 6_000, input: .command(.reveal),
            revealedPoints: RevealedPoints(number: 1, points: [1: 900]))
        // The same sequence number again breaks the primary key: the whole batch fails.
        let broken = JournalEntry(contestId: contestId, seq: 1, at: 6_000, input: .command(.close))
        await #expect(throws: (any Error).self) {
            try await store.writeJournal([first, answered, revealed, broken].map { .contest($0) })
        }
        #expect(try store.contestResponses(contest: contestId).isEmpty)
        #expect(try store.journal(ofContest: contestId).isEmpty)

        // The same entries without the broken one: the row, then its points.
        try await write([first, answered], to: store)
        #expect(try store.contestResponses(contest: contestId).map(\.points) == [nil])
        try await write([revealed], to: store)
        let rows = try store.contestResponses(contest: contestId)
        #expect(rows.map(\.points) == [900])
        #expect(rows.first?.answer == .choices([1]) && rows.first?.memberId == 7 && rows.first?.unitId == 2)
        #expect(
            rows.first?.elapsedMilliseconds == 1_200 && rows.first?.at == 5_000 && rows.first?.correctness == .correct)
    }

    /// A database made at v6 with contests played: v7 fills their rows by replaying their journals, and a contest
    /// whose journal cannot be read is skipped rather than failing the migration.
    @Test func theMigrationBackfillsContestsPlayedBeforeIt() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dengao-v6-\(UUID().uuidString).sqlite"
        ).path
        let (settings, questions) = RandomContestDriver.randomContest(
            pool: reportQuestions.enumerated().map { (QuestionID(Int64($0.offset + 1)), $0.element) }, seed: 77)
        var driver = RandomContestDriver(settings: settings, questions: questions, contestId: 1, seed: 77)
        for _ in 0..<400 where driver.machine.phase != .finished { driver.step() }
        let entries = driver.entries
        do {
            let pool = try DatabasePool(path: path)
            try Store.migrator.migrate(pool, upTo: "v6: members' active spans")
            try await pool.write { db in
                let now = Date()
                try db.execute(
                    sql: "INSERT INTO bank (id, name, createdAt, shared) VALUES (1, '题库', ?, 1)", arguments: [now])
                try db.execute(
                    sql:
                        "INSERT INTO bankVersion (id, bankId, version, sourceFormat, questionCount, importedAt) VALUES (1, 1, 1, 'text', ?, ?)",
                    arguments: [reportQuestions.count, now])
                for (index, question) in reportQuestions.enumerated() {
                    try db.execute(
                        sql: """
                            INSERT INTO question (id, bankVersionId, position, type, stem, options, answer, explanation, difficulty, category, tags)
                            VALUES (?, 1, ?, ?, ?, ?, ?, '', 3, ?, '[]')
                            """,
                        arguments: [
                            index + 1, index + 1, question.type.rawValue, question.stem,
                            QuestionColumns.array(question.options),
                            QuestionColumns.answer(question.answer), question.category,
                        ])
                }
                let encoder = JSONEncoder()
                for contest in [1, 2] {
                    try db.execute(
                        sql: """
                            INSERT INTO contest (id, title, settings, seed, pin, displayTokenHash, status, createdAt)
                            VALUES (?, 't', ?, 9, ?, ?, 'live', ?)
                            """,
                        arguments: [
                            contest, String(decoding: try encoder.encode(settings), as: UTF8.self), "12345\(contest)",
                            "h\(contest)", now,
                        ])
                    for question in questions {
                        try db.execute(
                            sql:
                                "INSERT INTO contestQuestion (contestId, number, round, questionId) VALUES (?, ?, ?, ?)",
                            arguments: [contest, question.number, question.round, question.questionId])
                    }
                    for entry in entries {
                        let input =
                            contest == 2 && entry.seq == 3
                            ? "{\"broken\":1}" : String(decoding: try encoder.encode(entry.input), as: UTF8.self)
                        try db.execute(
                            sql: "INSERT INTO contestEvent (contestId, seq, at, input) VALUES (?, ?, ?, ?)",
                            arguments: [contest, entry.seq, entry.at, input])
                    }
                }
            }
        }
        let store = try Store(path: path)
        #expect(try store.appliedMigrations().contains("v7: contest answers as rows, and the indexes reports read"))
        let rows = try store.contestResponses(contest: 1).map(ComparableAnswer.init)
        let journal = driver.entries.map { (input: $0.input, at: $0.at) }
        #expect(!rows.isEmpty)
        #expect(
            Set(rows)
                == Set(
                    ContestAnswerReplay.rows(settings: settings, questions: questions, journal: journal).map(
                        ComparableAnswer.init)))
        // The rows the room would have written live, entry by entry, are the rows the migration rebuilt.
        var live: [String: ComparableAnswer] = [:]
        for entry in driver.entries {
            if let row = entry.answerRow { live["\(row.number)/\(row.seat)"] = ComparableAnswer(row) }
            if let revealed = entry.revealedPoints {
                for (key, row) in live where row.number == revealed.number {
                    live[key] = row.with(points: revealed.points[row.seat] ?? 0)
                }
            }
        }
        #expect(Set(rows) == Set(live.values))
        let results = ContestResults(settings: settings, questions: questions, journal: journal)
        #expect(rows.filter { $0.points != nil }.count == results.answers.count)
        #expect(try store.contestResponses(contest: 2).isEmpty)
        // The seats too, with the times of their joins and kicks.
        var replayed = ContestMachine(settings: settings, questions: questions)
        var joined: [Int: ContestTime] = [:], kicked: [Int: ContestTime] = [:]
        for entry in entries {
            replayed.apply(entry.input, at: entry.at)
            if case .join(let seat) = entry.input { joined[seat.id] = entry.at }
            if case .kick(let seat) = entry.input { kicked[seat] = entry.at }
        }
        let seats = try store.contestSeats(contest: 1)
        #expect(!seats.isEmpty && seats.map(\.seat) == replayed.seats.keys.sorted())
        #expect(
            seats.allSatisfy {
                $0.joinedAt == joined[$0.seat] && $0.kickedAt == kicked[$0.seat]
                    && $0.name == replayed.seats[$0.seat]?.name
            })
        #expect(try store.contestSeats(contest: 2).isEmpty)
    }
}

extension ComparableAnswer {
    func with(points: Int) -> ComparableAnswer {
        ComparableAnswer(
            ContestAnswerRow(
                number: number, seat: seat, memberId: memberId, unitId: unitId, questionId: questionId, answer: answer!,
                correctness: correctness, elapsedMilliseconds: elapsed, receivedAt: at, points: points))
    }
}
