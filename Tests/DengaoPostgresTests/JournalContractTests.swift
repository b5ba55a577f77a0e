import DengaoCore
import DengaoPostgres
import Foundation
import Testing

/// The journal's transaction through `any Storage`, on a SQLite file and a PostgreSQL schema: what is written reads
/// back, a batch is all or nothing, concurrent batches all land. (PostgreSQL's lost connection mid-commit:
/// `PostgresLostConnectionTests`.)
@Suite struct JournalContractTests {
    /// A store with one bank of three questions and a contest drawing them.
    static func contest(_ store: any Storage) async throws -> (contest: ContestID, questions: [QuestionID]) {
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

    @Test(arguments: StorageBackend.available) func recordsWrittenReadBackWithTheirSeatsAnswersPointsAndStatus(
        _ backend: StorageBackend
    ) async throws {
        try await backend.withStorage { store in
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
            // The answer's row carries the reveal's points; the seat its join and its kick.
            let responses = try await store.contestResponses(contest: contest)
            #expect(responses.count == 1)
            #expect(responses.first?.answer == .choices([0]) && responses.first?.correctness == .correct)
            #expect(responses.first?.points == 150 && responses.first?.elapsedMilliseconds == 1_200)
            let seats = try await store.contestSeats(contest: contest)
            #expect(seats.map(\.seat) == [1] && seats.map(\.name) == ["甲"])
            #expect(seats.map(\.joinedAt) == [1_000] && seats.map(\.kickedAt) == [5_000])

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

    @Test(arguments: StorageBackend.available) func campaignChangesReadBackAsAttempts(_ backend: StorageBackend)
        async throws
    {
        try await backend.withStorage { store in
            let (_, questions) = try await Self.contest(store)
            let (unit, member) = try await Self.unitAndMember(store)
            let campaign = try await store.createCampaign(
                NewCampaign(
                    ownerUnitId: nil, createdById: nil,
                    settings: CampaignSettings(
                        title: "登高", startDate: "2026-12-01", endDate: "2026-12-31", banks: ["题库"]),
                    seed: 5, displayTokenHash: "d"))
            let ref = AttemptRef(campaignId: campaign.id, memberId: member, seq: 1)
            let second = AttemptRef(campaignId: campaign.id, memberId: member, seq: 2)
            let started = StartedAttempt(
                ref: ref, unitId: unit, level: 1, day: CampaignDay(year: 2026, month: 12, day: 3),
                seed: UInt64.max, questionIds: [questions[2], questions[0], questions[1]], startedAt: 10_000)
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
                        ref: second, unitId: unit, level: 1, day: CampaignDay(year: 2026, month: 12, day: 4),
                        seed: 2, questionIds: [questions[1]], startedAt: 90_000)),
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

    @Test(arguments: StorageBackend.available) func aBatchIsAllOrNothing(_ backend: StorageBackend) async throws {
        try await backend.withStorage { store in
            let (contest, _) = try await Self.contest(store)
            try await store.writeJournal([
                .contest(JournalEntry(contestId: contest, seq: 1, at: 0, input: .command(.next), status: .live))
            ])
            // The second record repeats seq 1: the primary key refuses it (SQLite's constraint error, PostgreSQL's
            // `PostgresFailure`: a 500 without internals either way), and the first record, the status change and the
            // seat of the same batch are rolled back with it.
            await #expect(throws: (any Error).self) {
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

    @Test(arguments: StorageBackend.available) func concurrentBatchesAllLand(_ backend: StorageBackend) async throws {
        try await backend.withStorage { store in
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

    /// A unit 第一党支部 and a member 001 in it.
    static func unitAndMember(_ store: any Storage) async throws -> (unit: UnitID, member: MemberID) {
        let unit = try await store.createUnit(name: "第一党支部", parentId: nil).id
        let member = try await store.addMember(number: "001", name: "张三", unitId: unit).id
        return (unit, member)
    }
}
