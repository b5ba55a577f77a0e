import DengaoCore
import Foundation
import GRDB
import Testing

@testable import DengaoStorage

/// The queries the report API runs, on a real SQLite file: one row type for contests and campaigns, a bank's
/// answers across its versions and activities, questions with their bank, and a plan that never scans a table.
@Suite struct ReportQueryTests {
    /// A store with a bank in two versions, another bank, two units with a member each, a contest played on version
    /// 1 and a campaign on version 2 with attempts on two days.
    struct Fixture {
        let store: Store
        let bankId: BankID
        let units: (UnitID, UnitID)
        let members: (MemberID, MemberID)
        let contestId: ContestID
        let campaignId: CampaignID
        let v1: [(id: QuestionID, question: Question)]
        let v2: [(id: QuestionID, question: Question)]
        let other: [(id: QuestionID, question: Question)]
    }

    static func fixture() async throws -> Fixture {
        let store = try temporaryReportStore()
        _ = try store.importBank(named: "题库", questions: reportQuestions, format: .text, sourceName: nil)
        func pool(_ bank: String) throws -> [(id: QuestionID, question: Question)] {
            try store.latestQuestions(ofBanks: [bank]).map { ($0.id, $0.question) }
        }
        let v1 = try pool("题库")
        _ = try store.importBank(named: "题库", questions: reportQuestions, format: .text, sourceName: nil)
        let v2 = try pool("题库")
        _ = try store.importBank(named: "别的", questions: reportQuestions, format: .text, sourceName: nil)
        let other = try pool("别的")
        let bankId = try store.bank(named: "题库").id
        let root = try store.createUnit(name: "机关党委", parentId: nil)
        let first = try store.createUnit(name: "一支部", parentId: root.id)
        let second = try store.createUnit(name: "二支部", parentId: root.id)
        let alice = try store.addMember(number: "1", name: "甲", unitId: first.id)
        let bob = try store.addMember(number: "2", name: "乙", unitId: second.id)

        // Contest on v1 (single, true/false) plus a question of the other bank; seat 1 is Alice, seat 2 a guest.
        let settings = ContestSettings(
            title: "t",
            rounds: [
                RoundSettings(
                    title: "r", kind: .everyone, banks: ["题库"], draw: DrawRule(count: 3), timeLimitSeconds: 20)
            ])
        let questions = [v1[0], v1[4], other[0]].enumerated().map {
            ContestQuestion(
                number: $0.offset + 1, round: 0, questionId: $0.element.id, question: $0.element.question)
        }
        let contestId = try store.createContest(
            NewContest(
                ownerUnitId: nil, createdById: nil, settings: settings, seed: 3,
                questionIds: [questions.map(\.questionId)],
                displayTokenHash: "c")
        ).id
        var machine = ContestMachine(settings: settings, questions: questions)
        var entries: [JournalEntry] = []
        func play(_ input: ContestInput, at time: ContestTime) {
            var accepted: AnswerRecord?
            var changes: [ContestChange]
            if case .answer(let seat, let number, let answer) = input {
                let (outcome, answerChanges) = machine.answer(seat: seat, number: number, answer, at: time)
                if case .accepted(let record) = outcome { accepted = record }
                changes = answerChanges
            } else {
                changes = machine.apply(input, at: time)
            }
            let revealed = changes.compactMap {
                if case .revealed(let reveal) = $0 { RevealedPoints(reveal) } else { nil }
            }.first
            entries.append(
                JournalEntry(
                    contestId: contestId, seq: Int64(entries.count + 1), at: time, input: input,
                    answerRow: accepted.flatMap { ContestAnswerRow(accepted: $0, in: machine) },
                    revealedPoints: revealed))
        }
        play(.join(Seat(id: 1, branchId: first.id, name: "甲", memberId: alice.id)), at: 0)
        play(.join(Seat(id: 2, branchId: second.id, name: "访客", memberId: nil)), at: 0)
        var time: ContestTime = 1_000
        let answers: [[PlayerAnswer]] = [
            [.choices([1]), .choices([2])], [.truth(true), .truth(false)], [.choices([0]), .choices([1])],
        ]
        for number in 1...3 {
            play(.command(.next), at: time)
            play(.answer(seat: 1, number: number, answer: answers[number - 1][0]), at: time + 2_000)
            play(.answer(seat: 2, number: number, answer: answers[number - 1][1]), at: time + 5_000)
            if number < 3 { play(.command(.reveal), at: time + 6_000) }
            time += 10_000
        }
        try await ContestAnswerRowTests().write(entries, to: store)

        // Campaign on v2: Alice's attempt on the 3rd (two answers, one timed out), Bob's on the 4th (one answer).
        let campaign = try store.createCampaign(
            NewCampaign(
                ownerUnitId: nil, createdById: nil,
                settings: CampaignSettings(title: "登高", startDate: "2026-12-01", endDate: "2026-12-31", banks: ["题库"]),
                seed: 5,
                displayTokenHash: "d"))
        let aliceRef = AttemptRef(campaignId: campaign.id, memberId: alice.id, seq: 1)
        let bobRef = AttemptRef(campaignId: campaign.id, memberId: bob.id, seq: 1)
        let changes: [CampaignChange] = [
            .started(
                StartedAttempt(
                    ref: aliceRef, unitId: first.id, level: 1, day: CampaignDay(year: 2026, month: 12, day: 3),
                    seed: 1,
                    questionIds: [v2[2].id, v2[5].id, other[1].id], startedAt: 10_000)),
            .answered(
                aliceRef,
                AttemptAnswer(
                    index: 0, answer: .choices([0, 2]), correctness: .correct, at: 11_000, elapsedMilliseconds: 900),
                status: .answering, endedAt: nil),
            .answered(
                aliceRef,
                AttemptAnswer(index: 1, answer: nil, correctness: .wrong, at: 40_000, elapsedMilliseconds: 20_000),
                status: .answering, endedAt: nil),
            .answered(
                aliceRef,
                AttemptAnswer(
                    index: 2, answer: .text("含 \"引号\" 与 / 斜杠"), correctness: .wrong, at: 41_000,
                    elapsedMilliseconds: 700), status: .failed, endedAt: 41_000),
            .started(
                StartedAttempt(
                    ref: bobRef, unitId: second.id, level: 1, day: CampaignDay(year: 2026, month: 12, day: 4),
                    seed: 2, questionIds: [v2[4].id], startedAt: 90_000)),
            .answered(
                bobRef,
                AttemptAnswer(
                    index: 0, answer: .truth(true), correctness: .correct, at: 91_000, elapsedMilliseconds: 1_500),
                status: .passed, endedAt: 91_000),
        ]
        try await store.writeJournal(changes.map { .campaign($0) })
        return Fixture(
            store: store, bankId: bankId, units: (first.id, second.id), members: (alice.id, bob.id),
            contestId: contestId,
            campaignId: campaign.id, v1: v1, v2: v2, other: other)
    }

    @Test func contestResponsesAreTheContestsAnswersWithPointsOnceRevealed() async throws {
        let f = try await Self.fixture()
        let rows = try f.store.contestResponses(contest: f.contestId)
        #expect(rows.map(\.slot) == [1, 1, 2, 2, 3, 3])
        #expect(
            rows.map(\.attempt)
                == [1, 2, 1, 2, 1, 2].map { ResponseAttempt.contestSeat(contestId: f.contestId, seat: $0) })
        #expect(rows.allSatisfy { $0.activity == .contest(f.contestId) && $0.day == nil })
        #expect(rows.map(\.memberId) == [f.members.0, nil, f.members.0, nil, f.members.0, nil])
        #expect(rows.map(\.unitId) == [f.units.0, f.units.1, f.units.0, f.units.1, f.units.0, f.units.1])
        #expect(
            rows.map(\.questionId) == [f.v1[0].id, f.v1[0].id, f.v1[4].id, f.v1[4].id, f.other[0].id, f.other[0].id])
        #expect(rows.map(\.correctness) == [.correct, .wrong, .correct, .wrong, .wrong, .correct])
        #expect(
            rows.map(\.answer) == [
                .choices([1]), .choices([2]), .truth(true), .truth(false), .choices([0]), .choices([1]),
            ])
        #expect(rows.map(\.elapsedMilliseconds) == [2_000, 5_000, 2_000, 5_000, 2_000, 5_000])
        #expect(rows.map(\.at) == [3_000, 6_000, 13_000, 16_000, 23_000, 26_000])
        // Questions 1 and 2 were revealed (right answers score, wrong ones nothing); question 3 was not.
        #expect(rows[0].points ?? 0 > 0 && rows[1].points == 0 && rows[2].points ?? 0 > 0 && rows[3].points == 0)
        #expect(rows[4].points == nil && rows[5].points == nil)
        let seats = try f.store.contestSeats(contest: f.contestId)
        #expect(
            seats.map(\.seat) == [1, 2] && seats.map(\.memberId) == [f.members.0, nil]
                && seats.map(\.name) == ["甲", "访客"])
        #expect(
            seats.map(\.unitId) == [f.units.0, f.units.1] && seats.allSatisfy { $0.kickedAt == nil && $0.joinedAt == 0 }
        )
    }

    @Test func campaignResponsesCarryUnitDayAndQuestionAndFilterByDays() async throws {
        let f = try await Self.fixture()
        let rows = try f.store.campaignResponses(campaign: f.campaignId).sorted { ($0.at, $0.slot) < ($1.at, $1.slot) }
        let alice = AttemptRef(campaignId: f.campaignId, memberId: f.members.0, seq: 1)
        let bob = AttemptRef(campaignId: f.campaignId, memberId: f.members.1, seq: 1)
        #expect(
            rows.map(\.attempt) == [
                .campaignAttempt(alice), .campaignAttempt(alice), .campaignAttempt(alice), .campaignAttempt(bob),
            ])
        #expect(rows.map(\.slot) == [0, 1, 2, 0])
        #expect(rows.map(\.questionId) == [f.v2[2].id, f.v2[5].id, f.other[1].id, f.v2[4].id])
        #expect(rows.map(\.answer) == [.choices([0, 2]), nil, .text("含 \"引号\" 与 / 斜杠"), .truth(true)])
        #expect(rows.map(\.correctness) == [.correct, .wrong, .wrong, .correct])
        #expect(rows.map(\.unitId) == [f.units.0, f.units.0, f.units.0, f.units.1])
        #expect(rows.map(\.memberId) == [f.members.0, f.members.0, f.members.0, f.members.1])
        #expect(rows.map(\.day?.description) == ["2026-12-03", "2026-12-03", "2026-12-03", "2026-12-04"])
        #expect(rows.map(\.elapsedMilliseconds) == [900, 20_000, 700, 1_500])
        #expect(rows.allSatisfy { $0.points == nil && $0.activity == .campaign(f.campaignId) })

        let fourth = CampaignDay(year: 2026, month: 12, day: 4)
        #expect(
            try f.store.campaignResponses(campaign: f.campaignId, days: fourth...fourth).map(\.attempt) == [
                .campaignAttempt(bob)
            ])
        let first = CampaignDay(year: 2026, month: 12, day: 1)
        #expect(try f.store.campaignResponses(campaign: f.campaignId, days: first...fourth).count == 4)
        #expect(try f.store.campaignResponses(campaign: f.campaignId, days: first...first).isEmpty)
        #expect(try f.store.campaignResponses(campaign: CampaignID(f.campaignId.rawValue + 1)).isEmpty)
    }

    @Test func campaignAttemptsOnDaysOfOneCampaignOrAll() async throws {
        let f = try await Self.fixture()
        let (third, fourth) = (CampaignDay(year: 2026, month: 12, day: 3), CampaignDay(year: 2026, month: 12, day: 4))
        let all = try f.store.campaignAttempts(days: third...fourth).sorted { $0.startedAt < $1.startedAt }
        #expect(all.map(\.ref.memberId) == [f.members.0, f.members.1])
        #expect(all.map(\.unitId) == [f.units.0, f.units.1] && all.map(\.day) == [third, fourth])
        #expect(all.map(\.status) == [.failed, .passed] && all.map(\.endedAt) == [41_000, 91_000])
        #expect(all.map(\.startedAt) == [10_000, 90_000] && all.allSatisfy { $0.level == 1 && $0.ref.seq == 1 })
        #expect(try f.store.campaignAttempts(days: fourth...fourth).map(\.ref.memberId) == [f.members.1])
        #expect(try f.store.campaignAttempts(days: third...fourth, campaign: f.campaignId).count == 2)
        #expect(
            try f.store.campaignAttempts(days: third...fourth, campaign: CampaignID(f.campaignId.rawValue + 1)).isEmpty)
        let december = CampaignDay(year: 2026, month: 12, day: 5)...CampaignDay(year: 2026, month: 12, day: 31)
        #expect(try f.store.campaignAttempts(days: december).isEmpty)
    }

    /// The whole campaign is read by merging three ordered walks; a range of days by a join in SQL. Over seeded
    /// random attempts (some unanswered, some cut short, timed-out answers) the two read the same rows.
    @Test func theMergedWholeCampaignEqualsTheJoinOverEveryDay() async throws {
        let f = try await Self.fixture()
        var generator = SeededGenerator(seed: 12)
        let members = try (0..<6).map {
            try f.store.addMember(number: "m\($0)", name: "党员\($0)", unitId: f.units.1).id
        }
        var changes: [CampaignChange] = []
        for member in members {
            for seq in 1...Int.random(in: 1...4, using: &generator) {
                let ref = AttemptRef(campaignId: f.campaignId, memberId: member, seq: seq)
                let drawn = (0..<Int.random(in: 1...6, using: &generator)).map { _ in
                    f.v2.randomElement(using: &generator)!.id
                }
                let day = CampaignDay(year: 2026, month: 12, day: Int.random(in: 1...30, using: &generator))
                changes.append(
                    .started(
                        StartedAttempt(
                            ref: ref, unitId: f.units.1, level: 1, day: day, seed: 1, questionIds: drawn,
                            startedAt: 0)))
                for index in 0..<Int.random(in: 0...drawn.count, using: &generator) {
                    let answer: PlayerAnswer? = Bool.random(using: &generator) ? .choices([index % 3]) : nil
                    changes.append(
                        .answered(
                            ref,
                            AttemptAnswer(
                                index: index, answer: answer, correctness: .wrong, at: Int64(index),
                                elapsedMilliseconds: 5),
                            status: .answering, endedAt: nil))
                }
            }
        }
        try await f.store.writeJournal(changes.map { .campaign($0) })

        let merged = try f.store.campaignResponses(campaign: f.campaignId)
        let everyDay = CampaignDay(year: 2000, month: 1, day: 1)...CampaignDay(year: 2099, month: 12, day: 31)
        let joined = try f.store.campaignResponses(campaign: f.campaignId, days: everyDay)
        #expect(merged.count == joined.count && merged.count > 20)
        #expect(Set(merged) == Set(joined))
    }

    @Test func bankResponsesSpanVersionsAndActivitiesAndUnits() async throws {
        let f = try await Self.fixture()
        let rows = try f.store.bankResponses(bank: f.bankId)
        // Contest answers to v1's questions (not the other bank's question 3), campaign answers to v2's.
        let bankQuestions = Set((f.v1 + f.v2).map(\.id))
        #expect(rows.count == 4 + 3)
        #expect(rows.allSatisfy { bankQuestions.contains($0.questionId) })
        #expect(rows.filter { $0.activity == .contest(f.contestId) }.count == 4)
        #expect(rows.filter { $0.activity == .campaign(f.campaignId) }.count == 3)
        let firstUnit = try f.store.bankResponses(bank: f.bankId, within: [f.units.0])
        #expect(firstUnit.count == 2 + 2)
        #expect(firstUnit.allSatisfy { $0.unitId == f.units.0 })
        #expect(try f.store.bankResponses(bank: f.bankId, within: []).isEmpty)
        #expect(Set(try f.store.bankResponses(bank: f.bankId, within: [f.units.0, f.units.1])) == Set(rows))
        let otherBank = try f.store.bank(named: "别的").id
        #expect(try f.store.bankResponses(bank: otherBank).count == 2 + 1)
    }

    @Test func questionsForReportNameTheirBankAndVersion() async throws {
        let f = try await Self.fixture()
        let found = try f.store.questionsForReport(ids: [f.v1[2].id, f.v2[4].id, f.v2[6].id, 999_999])
        #expect(found.count == 3)
        let multiple = try #require(found[f.v1[2].id])
        #expect(
            multiple.bankId == f.bankId && multiple.bankName == "题库" && multiple.bankVersion == 1
                && multiple.position == 3)
        #expect(multiple.question == reportQuestions[2] && multiple.optionCount == 4)
        #expect(found[f.v2[4].id]?.bankVersion == 2 && found[f.v2[4].id]?.optionCount == 2)
        #expect(found[f.v2[6].id]?.question.answer == .texts(["1921"]) && found[f.v2[6].id]?.optionCount == 0)
        #expect(found[f.v1[2].id]?.bankVersionId != found[f.v2[4].id]?.bankVersionId)
        #expect(try f.store.questionsForReport(ids: []).isEmpty)
    }

    /// Every report statement reads through an index: the plan never scans a table (json_each, the list of ids
    /// passed in, is the only thing walked whole).
    @Test func everyReportQueryUsesAnIndex() async throws {
        let f = try await Self.fixture()
        let statements: [(String, StatementArguments, String)] = [
            (ReportSQL.contest, [f.contestId], "PRIMARY KEY"),
            (ReportSQL.contestSeats, [f.contestId], "PRIMARY KEY"),
            (
                ReportSQL.attempts(ofOneCampaign: true), [f.campaignId, "2026-12-01", "2026-12-31"],
                "campaignAttempt_day"
            ),
            (ReportSQL.attempts(ofOneCampaign: false), ["2026-12-01", "2026-12-31"], "campaignAttempt_activity"),
            (ReportSQL.campaignPlaces, [f.campaignId], "PRIMARY KEY"),
            (ReportSQL.campaignDrawn, [f.campaignId], "PRIMARY KEY"),
            (ReportSQL.campaignAnswers, [f.campaignId], "PRIMARY KEY"),
            (ReportSQL.campaignDays, [f.campaignId, "2026-12-01", "2026-12-31"], "campaignAttempt_day"),
            (ReportSQL.bankContests(inUnits: false), [f.bankId], "contestAnswer_question"),
            (ReportSQL.bankContests(inUnits: true), [f.bankId, "[1]"], "contestAnswer_question"),
            (ReportSQL.bankCampaigns(inUnits: false), [f.bankId], "campaignAttemptQuestion_on_questionId"),
            (ReportSQL.bankCampaigns(inUnits: true), [f.bankId, "[1]"], "campaignAttempt"),
            (ReportSQL.questions, ["[1,2]"], "PRIMARY KEY"),
        ]
        for (sql, arguments, expectedIndex) in statements {
            let plan = try await f.store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map {
                    $0["detail"] as String
                }
            }
            let scans = plan.filter { $0.hasPrefix("SCAN") && !$0.hasPrefix("SCAN json_each") }
            #expect(scans.isEmpty, "\(sql)\n\(plan.joined(separator: "\n"))")
            #expect(plan.contains { $0.contains(expectedIndex) }, "\(sql)\n\(plan.joined(separator: "\n"))")
        }
    }

    /// The walks item analysis reads follow primary keys and indexes, with no table scanned and nothing sorted.
    @Test func answerFactsWalksUseKeysWithoutSorting() async throws {
        let f = try await Self.fixture()
        let statements: [(String, StatementArguments, String)] = [
            (AnswerFactsSQL.contest, [f.contestId], "PRIMARY KEY"),
            (AnswerFactsSQL.campaignAttempts, [f.campaignId], "PRIMARY KEY"),
            (AnswerFactsSQL.campaignDrawn, [f.campaignId], "PRIMARY KEY"),
            (AnswerFactsSQL.campaignAnswers, [f.campaignId], "PRIMARY KEY"),
            (AnswerFactsSQL.bankQuestions, [f.bankId], "INDEX"),
            (AnswerFactsSQL.nextContest, [f.v1[0].id, 0], "contestAnswer_question (questionId=? AND contestId>?)"),
            (
                AnswerFactsSQL.nextCampaign, [f.v2[2].id, 0],
                "campaignAttemptQuestion_on_questionId (questionId=? AND campaignId>?)"
            ),
        ]
        for (sql, arguments, expected) in statements {
            let plan = try await f.store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map {
                    $0["detail"] as String
                }
            }
            let text = sql + "\n" + plan.joined(separator: "\n")
            #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(text)")
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(text)")
            #expect(plan.contains { $0.contains(expected) }, "\(text)")
        }
    }

    /// The walks give exactly the answers the row readers give, each activity's grouped by attempt, and a bank's
    /// only those to its questions (in the units asked for).
    @Test func answerFactsWalksGiveWhatTheRowReadersGive() async throws {
        let f = try await Self.fixture()
        var contest: [AnswerFacts] = []
        try f.store.contestAnswerFacts(contest: f.contestId) { contest.append($0) }
        #expect(contest == (try f.store.contestResponses(contest: f.contestId).map(AnswerFacts.init)))
        #expect(contest.count == 6 && contest.contains { $0.points == nil })

        var campaign: [AnswerFacts] = []
        try f.store.campaignAnswerFacts(campaign: f.campaignId) { campaign.append($0) }
        let campaignRows = try f.store.campaignResponses(campaign: f.campaignId).map(AnswerFacts.init)
        #expect(campaign.count == 4 && Set(campaign) == Set(campaignRows))
        #expect(campaign.map(\.slot) == [0, 1, 2, 0])
        #expect(campaign.contains { $0.answer == .unanswered } && campaign.contains { $0.answer == .text })
        #expect(campaign.contains { $0.answer == .choices(0b101) } && campaign.contains { $0.answer == .truth(true) })

        for units in [nil, Set([f.units.0]), Set([f.units.1]), Set<UnitID>()] {
            var bank: [AnswerFacts] = []
            try f.store.bankAnswerFacts(bank: f.bankId, within: units) { bank.append($0) }
            let rows = try f.store.bankResponses(bank: f.bankId, within: units).map(AnswerFacts.init)
            #expect(bank.count == rows.count && Set(bank) == Set(rows), "\(String(describing: units))")
            #expect(!bank.contains { $0.questionId == f.other[0].id || $0.questionId == f.other[1].id })
        }
    }

    /// The hand-written reader of stored answers agrees with `JSONDecoder` on everything `JSONEncoder` writes.
    @Test func storedAnswersReadBackExactly() throws {
        let encoder = JSONEncoder()
        let answers: [PlayerAnswer] = [
            .choices([]), .choices([0]), .choices([3, 1, 12]), .choices([123_456]), .truth(true), .truth(false),
            .text(""), .text("1921"), .text("含 \"引号\"、\\反斜杠\\ 与\n换行"), .text("a/b"), .text("全角１９２１"), .text("😀 emoji"),
        ]
        for answer in answers {
            let text = String(decoding: try encoder.encode(answer), as: UTF8.self)
            #expect(AnswerJSON.decode(text) == answer, "\(text)")
            #expect(Array(text.utf8).withUnsafeBufferPointer { AnswerJSON.shape($0) } == AnswerShape(answer), "\(text)")
        }
        for garbage in ["", "{}", "{\"choices\":{\"_0\":[a]}}", "{\"truth\":{\"_0\":1}}", "[1]"] {
            #expect(AnswerJSON.decode(garbage) == nil, "\(garbage)")
        }
        for correctness in [Correctness.correct, .partial, .wrong] {
            #expect(AnswerJSON.correctness(Data(correctness.rawValue.utf8)) == correctness)
        }
        #expect(AnswerJSON.correctness(Data("correctly".utf8)) == nil && AnswerJSON.correctness(Data()) == nil)
        for text in ["2026-12-03", "2000-01-01", "2099-12-31"] {
            #expect(AnswerJSON.day(Data(text.utf8)) == CampaignDay(text))
        }
        for text in ["2026-13-03", "2026-12-3", "2026/12/03", "20261203xx", ""] {
            #expect(AnswerJSON.day(Data(text.utf8)) == nil)
        }
    }
}
