import DengaoCore
import DengaoPostgres
import Foundation
import PostgresNIO
import Synchronization
import Testing

/// The journal's transaction on a real PostgreSQL: what is written reads back, a batch is all or nothing, and a
/// connection lost before the commit leaves nothing behind and says so.
@Suite(.postgres) struct JournalTests {
    /// A store with one bank of three questions and a contest drawing them.
    static func contest(_ store: PostgresStore) async throws -> (contest: Int64, questions: [Int64]) {
        let questions = [
            Question(type: .single, stem: "一", options: ["甲", "乙"], answer: .choices([0])),
            Question(type: .trueFalse, stem: "二", options: ["对", "错"], answer: .truth(true)),
            Question(type: .fill, stem: "三", options: [], answer: .texts(["登高"])),
        ]
        _ = try await store.importBank(named: "题库", questions: questions, format: .text, sourceName: nil)
        let ids = try await store.latestQuestions(ofBanks: ["题库"]).map(\.id)
        let contest = try await store.createContest(
            NewContest(
                ownerUnitId: nil, createdById: nil,
                settings: ContestSettings(
                    title: "t",
                    rounds: [RoundSettings(title: "r", kind: .everyone, banks: ["题库"], draw: DrawRule(count: 3))]),
                seed: 1, questionIds: [ids], displayTokenHash: "hash-\(UUID())"))
        return (contest.id, ids)
    }

    @Test func recordsWrittenReadBackWithTheirSeatsAnswersPointsAndStatus() async throws {
        try await TestDatabase.withStore { store, schema in
            let (contest, questions) = try await Self.contest(store)
            let row = ContestAnswerRow(
                number: 1, seat: 1, memberId: nil, unitId: 7, questionId: questions[0], answer: .choices([0]),
                correctness: .correct, elapsedMilliseconds: 1_200, receivedAt: 3_000)
            let entries = [
                JournalEntry(
                    contestId: contest, seq: 1, at: 1_000,
                    input: .join(Seat(id: 1, branchId: 7, name: "甲", memberId: nil)), tokenHash: "tok"),
                JournalEntry(contestId: contest, seq: 2, at: 2_000, input: .command(.next), status: .live),
                JournalEntry(
                    contestId: contest, seq: 3, at: 3_000, input: .answer(seat: 1, number: 1, answer: .choices([0])),
                    answerRow: row),
                JournalEntry(
                    contestId: contest, seq: 4, at: 4_000, input: .command(.reveal),
                    revealedPoints: RevealedPoints(number: 1, points: [1: 150])),
                JournalEntry(contestId: contest, seq: 5, at: 5_000, input: .kick(seat: 1)),
            ]
            try await store.writeJournal(entries.map { .contest($0) })
            let stored = try await store.journal(ofContest: contest)
            #expect(stored.map(\.seq) == [1, 2, 3, 4, 5])
            #expect(stored.map(\.input) == entries.map(\.input))
            #expect(stored.map(\.at) == [1_000, 2_000, 3_000, 4_000, 5_000])
            #expect(stored[0].tokenHash == "tok")
            #expect(try await store.contest(id: contest)?.status == .live)
            let live = try await store.liveContests()
            #expect(live.map(\.id) == [contest])
            let (answer, seat) = try await TestDatabase.withAdmin(schema: schema) { client in
                (
                    try await client.query("SELECT answer, correctness, points, elapsedMs FROM contestAnswer").collect()
                        .map { try $0.decode((String, String, Int?, Int).self) },
                    try await client.query("SELECT seat, name, joinedAt, kickedAt FROM contestSeat").collect()
                        .map { try $0.decode((Int, String, Int64, Int64?).self) }
                )
            }
            #expect(answer.count == 1 && answer[0].1 == "correct" && answer[0].2 == 150 && answer[0].3 == 1_200)
            #expect(try JSONDecoder().decode(PlayerAnswer.self, from: Data(answer[0].0.utf8)) == .choices([0]))
            #expect(seat.count == 1 && seat[0].0 == 1 && seat[0].1 == "甲" && seat[0].2 == 1_000 && seat[0].3 == 5_000)

            try await store.writeJournal([
                .contest(
                    JournalEntry(contestId: contest, seq: 6, at: 6_000, input: .command(.finish), status: .finished))
            ])
            let finished = try #require(try await store.contest(id: contest))
            #expect(finished.status == .finished)
            #expect(finished.finishedAt == Date(timeIntervalSince1970: 6))
            // The PIN is free again once the finish is committed.
            #expect(try await store.contest(pin: finished.pin) == nil)
        }
    }

    @Test func campaignChangesReadBackAsAttempts() async throws {
        try await TestDatabase.withStore { store, schema in
            let (_, questions) = try await Self.contest(store)
            let (unit, member) = try await Self.unitAndMember(schema: schema)
            let campaign = try await store.createCampaign(
                NewCampaign(
                    ownerUnitId: nil, createdById: nil,
                    settings: CampaignSettings(
                        title: "登高", startDate: "2026-12-01", endDate: "2026-12-31", banks: ["题库"]),
                    seed: 5, displayTokenHash: "d"))
            let ref = AttemptRef(campaignId: campaign.id, memberId: member, seq: 1)
            let second = AttemptRef(campaignId: campaign.id, memberId: member, seq: 2)
            let started = StartedAttempt(
                ref: ref, unitId: unit, level: 1, day: CampaignDay(year: 2026, month: 12, day: 3), seed: UInt64.max,
                questionIds: [questions[2], questions[0], questions[1]], startedAt: 10_000)
            let changes: [CampaignChange] = [
                .started(started),
                .served(ref, index: 0, at: 10_100),
                .answered(
                    ref,
                    AttemptAnswer(
                        index: 0, answer: .text("含 \"引号\" 与 / 斜杠"), correctness: .correct, at: 11_000,
                        elapsedMilliseconds: 900),
                    status: .answering, endedAt: nil),
                .served(ref, index: 1, at: 11_100),
                .answered(
                    ref,
                    AttemptAnswer(index: 1, answer: nil, correctness: .wrong, at: 40_000, elapsedMilliseconds: 20_000),
                    status: .failed, endedAt: 40_000),
                .started(
                    StartedAttempt(
                        ref: second, unitId: unit, level: 1, day: CampaignDay(year: 2026, month: 12, day: 4), seed: 2,
                        questionIds: [questions[1]], startedAt: 90_000)),
                .served(second, index: 0, at: 90_100),
            ]
            try await store.writeJournal(changes.map { .campaign($0) })
            let attempts = try await store.campaignAttempts(campaign.id)
            #expect(attempts.count == 2)
            #expect(attempts[0].started == started)
            #expect(attempts[0].status == .failed && attempts[0].endedAt == 40_000)
            #expect(attempts[0].servedIndex == nil && attempts[0].servedAt == nil)
            #expect(attempts[0].answers.map(\.answer) == [.text("含 \"引号\" 与 / 斜杠"), nil])
            #expect(attempts[0].answers.map(\.correctness) == [.correct, .wrong])
            #expect(attempts[1].status == .answering && attempts[1].servedIndex == 0 && attempts[1].servedAt == 90_100)
            let drawn = try await store.questions(ids: Set(attempts[0].started.questionIds))
            #expect(drawn[questions[2]]?.answer == .texts(["登高"]))

            // An attempt started in an earlier batch is updated in place (above, each was inserted already changed).
            try await store.writeJournal([
                .campaign(
                    .answered(
                        second,
                        AttemptAnswer(
                            index: 0, answer: .text("乙"), correctness: .correct, at: 91_000, elapsedMilliseconds: 900),
                        status: .passed, endedAt: 91_000))
            ])
            let later = try await store.campaignAttempts(campaign.id)
            #expect(later[1].status == .passed && later[1].endedAt == 91_000)
            #expect(later[1].servedIndex == nil && later[1].servedAt == nil)
            #expect(later[1].answers.map(\.answer) == [.text("乙")])
            #expect(later[0].status == .failed && later[0].endedAt == 40_000, "the other attempt is left as it was")
        }
    }

    @Test func aBatchIsAllOrNothing() async throws {
        try await TestDatabase.withStore { store, _ in
            let (contest, _) = try await Self.contest(store)
            try await store.writeJournal([
                .contest(JournalEntry(contestId: contest, seq: 1, at: 0, input: .command(.next), status: .live))
            ])
            // The second record repeats seq 1: the primary key refuses it, and the first record, the status change
            // and the seat of the same batch are rolled back with it.
            await #expect(throws: PostgresFailure.self) {
                try await store.writeJournal([
                    .contest(
                        JournalEntry(
                            contestId: contest, seq: 2, at: 1,
                            input: .join(Seat(id: 1, branchId: 1, name: "甲", memberId: nil)))),
                    .contest(
                        JournalEntry(contestId: contest, seq: 1, at: 2, input: .command(.finish), status: .finished)),
                ])
            }
            #expect(try await store.journal(ofContest: contest).map(\.seq) == [1])
            #expect(try await store.contest(id: contest)?.status == .live)
        }
    }

    @Test func concurrentBatchesAllLand() async throws {
        try await TestDatabase.withStore { store, _ in
            let (contest, _) = try await Self.contest(store)
            // What the journal's loop never does (it writes one batch at a time), but two servers might: batches on
            // different pooled connections at once.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for batch in 0..<10 {
                    group.addTask {
                        try await store.writeJournal(
                            (1...20).map { index in
                                .contest(
                                    JournalEntry(
                                        contestId: contest, seq: Int64(batch * 20 + index), at: 0,
                                        input: .kick(seat: index)))
                            })
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.journal(ofContest: contest).map(\.seq) == (1...200).map(Int64.init))
        }
    }

    @Test func aConnectionLostBeforeTheCommitThrowsAndLeavesNothing() async throws {
        try await TestDatabase.withStore { store, schema in
            let (contest, _) = try await Self.contest(store)
            try await TestDatabase.withAdmin(schema: schema) { admin in
                try await admin.withConnection { blocker in
                    // Another session holds the contest row (but not its key, so inserting events that reference it
                    // is not blocked): the journal's transaction inserts its event, then waits on the status update.
                    try await blocker.query("BEGIN", logger: .init(label: "test"))
                    try await blocker.query(
                        "SELECT id FROM contest WHERE id = \(contest) FOR NO KEY UPDATE", logger: .init(label: "test"))
                    let blockerPid = try await blocker.query("SELECT pg_backend_pid()", logger: .init(label: "test"))
                        .collect()[0].decode(Int32.self)
                    let write = Task {
                        try await store.writeJournal([
                            .contest(JournalEntry(contestId: contest, seq: 1, at: 1_000, input: .kick(seat: 1))),
                            .contest(
                                JournalEntry(
                                    contestId: contest, seq: 2, at: 2_000, input: .command(.next), status: .live)),
                        ])
                    }
                    // Find the journal's backend once it waits on the blocker (bounded: 30 s on a loaded machine), and
                    // terminate it mid-transaction. The blocker is rolled back whatever happens.
                    do {
                        var victim: Int32?
                        let deadline = ContinuousClock.now + .seconds(30)
                        while victim == nil, ContinuousClock.now < deadline {
                            victim = try await admin.query(
                                "SELECT pid FROM pg_stat_activity WHERE \(blockerPid) = ANY(pg_blocking_pids(pid))"
                            ).collect().first?.decode(Int32.self)
                            if victim == nil { try await Task.sleep(for: .milliseconds(20)) }
                        }
                        let pid = try #require(victim, "the journal's transaction never waited on the held row")
                        _ = try await admin.query("SELECT pg_terminate_backend(\(pid))").collect()
                        let outcome = try #require(
                            await Self.within(.seconds(30)) { await write.result },
                            "writeJournal did not return within 30 s of its connection being terminated")
                        // The storage boundary says "unavailable" (a 503 at the server), not the driver's words.
                        #expect(throws: StorageError.self) { try outcome.get() }
                        if case .failure(let error as StorageError) = outcome {
                            #expect(error.category == .unavailable)
                            #expect(error.description.hasPrefix("数据库暂时无法访问"))
                            #expect(!error.description.contains("PSQLError"))
                        }
                    } catch {
                        try await blocker.query("ROLLBACK", logger: .init(label: "test"))
                        _ = await write.result
                        throw error
                    }
                    try await blocker.query("ROLLBACK", logger: .init(label: "test"))
                }
            }
            // Nothing of the batch is there: not the event inserted before the wait, not the status.
            #expect(try await store.journal(ofContest: contest).isEmpty)
            #expect(try await store.contest(id: contest)?.status == .ready)
            // The pool replaces the lost connection: the next batch commits.
            try await store.writeJournal([
                .contest(JournalEntry(contestId: contest, seq: 1, at: 1_000, input: .kick(seat: 1)))
            ])
            #expect(try await store.journal(ofContest: contest).count == 1)
        }
    }

    /// `body`'s value, or nil if it has not returned after `limit` (then it is left running).
    static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async -> T) async -> T? {
        let result = Mutex<T?>(nil)
        let done = Task {
            let value = await body(); result.withLock { $0 = value }
        }
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let value = result.withLock({ $0 }) { return value }
            try? await Task.sleep(for: .milliseconds(20))
        }
        _ = done
        return result.withLock { $0 }
    }

    /// A unit and a member in it, written directly (the roster's own methods have their tests).
    static func unitAndMember(schema: String) async throws -> (unit: Int64, member: Int64) {
        try await TestDatabase.withAdmin(schema: schema) { client in
            let unit = try await client.query(
                "INSERT INTO unit (name, createdAt) VALUES ('第一党支部', '2026-01-01 00:00:00.000') RETURNING id"
            ).collect()[0].decode(Int64.self)
            let member = try await client.query(
                """
                INSERT INTO member (number, name, unitId, createdAt, updatedAt)
                VALUES ('001', '张三', \(unit), '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000') RETURNING id
                """
            ).collect()[0].decode(Int64.self)
            return (unit, member)
        }
    }
}
