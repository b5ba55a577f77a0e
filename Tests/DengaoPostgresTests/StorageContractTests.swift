import DengaoCore
import DengaoPostgres
import DengaoStorage
import Foundation
import Testing

/// The storage contract: one set of assertions, run through `any Storage` against a real SQLite file and a real
/// PostgreSQL schema, and the two backends' answers to the same history compared value for value (order included
/// where the protocol promises one). PostgreSQL's cases run where it is configured (see `TestDatabase`).
@Suite struct StorageContractTests {
    /// A backend to open a fresh, empty storage on.
    enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case sqlite, postgres

        var testDescription: String { rawValue }

        /// The backends this run can reach: SQLite always, PostgreSQL where configured or required.
        static let available: [Backend] = TestDatabase.enabled ? [.sqlite, .postgres] : [.sqlite]

        /// Runs `body` on a fresh, empty storage of this backend, removed afterwards.
        func withStorage<T: Sendable>(_ body: (any Storage) async throws -> T) async throws -> T {
            switch self {
            case .sqlite:
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("contract-\(UUID())")
                defer { try? FileManager.default.removeItem(at: directory) }
                return try await body(SQLiteStorage(try Store(directory: directory.path)))
            case .postgres:
                var result: T?
                try await TestDatabase.withStore { store, _ in result = try await body(store) }
                return result!
            }
        }
    }

    /// The ids of the history `fill` writes.
    struct History: Sendable {
        var root: UnitID, first: UnitID, second: UnitID
        var members: [MemberID]
        var questions: [QuestionID]
        var contest: ContestID
        var campaign: CampaignID
        var bank: BankID

        /// The three units at once.
        var units: (root: UnitID, first: UnitID, second: UnitID) { (root, first, second) }
    }

    static let created = Date(timeIntervalSince1970: 1_764_547_200)  // 2025-12-01 00:00 UTC

    /// A small organization's history written through the protocols only: three units, three members, a bank of
    /// three questions, a contest played by a member and a guest (one answer revealed, one not, the guest kicked),
    /// and a campaign climbed by two members on two days (one question timed out).
    static func fill(_ storage: any Storage) async throws -> History {
        let root = try await storage.createUnit(name: "机关党委", parentId: nil, code: "R", at: created).id
        let first = try await storage.createUnit(name: "第一支部", parentId: root, code: nil, at: created).id
        let second = try await storage.createUnit(name: "第二支部", parentId: root, code: nil, at: created).id
        var members: [MemberID] = []
        for (number, name, unit) in [("003", "丙", second), ("001", "甲", first), ("002", "乙", first)] {
            members.append(
                try await storage.addMember(number: number, name: name, unitId: unit, phone: nil, at: created).id)
        }
        let questions = [
            Question(type: .single, stem: "一", options: ["甲", "乙"], answer: .choices([0]), category: "党史"),
            Question(type: .trueFalse, stem: "二", options: ["对", "错"], answer: .truth(true), category: "党章"),
            Question(type: .fill, stem: "三", options: [], answer: .texts(["登高"]), category: "党史"),
        ]
        _ = try await storage.importBank(
            named: "题库", questions: questions, format: .text, sourceName: nil, owner: nil, shared: true, at: created)
        let bank = try #require(try await storage.banks().first { $0.name == "题库" }).id
        let ids = try await storage.latestQuestions(ofBanks: ["题库"]).map(\.id)
        let contest = try await storage.createContest(
            NewContest(
                ownerUnitId: nil, createdById: nil,
                settings: ContestSettings(
                    title: "知识竞赛",
                    rounds: [RoundSettings(title: "r", kind: .everyone, banks: ["题库"], draw: DrawRule(count: 3))]),
                seed: 1, questionIds: [ids], displayTokenHash: "display"), now: created
        ).id
        let (member, guest) = (members[1], MemberID?.none)
        func answer(
            _ number: Int, _ seat: Int, _ memberId: MemberID?, _ unit: UnitID, _ given: PlayerAnswer,
            _ correctness: Correctness, at: Int64
        ) -> ContestAnswerRow {
            ContestAnswerRow(
                number: number, seat: seat, memberId: memberId, unitId: unit,
                questionId: ids[number - 1],
                answer: given, correctness: correctness, elapsedMilliseconds: Int(at % 1000) + 500, receivedAt: at)
        }
        let entries = [
            JournalEntry(
                contestId: contest, seq: 1, at: 1_000,
                input: .join(Seat(id: 1, branchId: first, name: "甲", memberId: member))),
            JournalEntry(
                contestId: contest, seq: 2, at: 1_500,
                input: .join(Seat(id: 2, branchId: second, name: "客", memberId: guest))),
            JournalEntry(contestId: contest, seq: 3, at: 2_000, input: .command(.next), status: .live),
            JournalEntry(
                contestId: contest, seq: 4, at: 3_000, input: .answer(seat: 2, number: 1, answer: .choices([1])),
                answerRow: answer(1, 2, guest, second, .choices([1]), .wrong, at: 3_000)),
            JournalEntry(
                contestId: contest, seq: 5, at: 3_100, input: .answer(seat: 1, number: 1, answer: .choices([0])),
                answerRow: answer(1, 1, member, first, .choices([0]), .correct, at: 3_100)),
            JournalEntry(
                contestId: contest, seq: 6, at: 4_000, input: .command(.reveal),
                revealedPoints: RevealedPoints(number: 1, points: [1: 150, 2: 0])),
            JournalEntry(
                contestId: contest, seq: 7, at: 5_000, input: .answer(seat: 1, number: 2, answer: .truth(false)),
                answerRow: answer(2, 1, member, first, .truth(false), .wrong, at: 5_000)),
            JournalEntry(contestId: contest, seq: 8, at: 6_000, input: .kick(seat: 2)),
        ]
        try await storage.writeJournal(entries.map { .contest($0) })
        let campaign = try await storage.createCampaign(
            NewCampaign(
                ownerUnitId: nil, createdById: nil,
                settings: CampaignSettings(title: "登高", startDate: "2026-12-01", endDate: "2026-12-31", banks: ["题库"]),
                seed: 5, displayTokenHash: "climb"), now: created
        ).id
        let climber = AttemptRef(campaignId: campaign, memberId: members[1], seq: 1)
        let other = AttemptRef(campaignId: campaign, memberId: members[0], seq: 1)
        let changes: [CampaignChange] = [
            .started(
                StartedAttempt(
                    ref: climber, unitId: first, level: 1, day: CampaignDay(year: 2026, month: 12, day: 3),
                    seed: 9, questionIds: [ids[2], ids[0]], startedAt: 10_000)),
            .served(climber, index: 0, at: 10_100),
            .answered(
                climber,
                AttemptAnswer(
                    index: 0, answer: .text("登高"), correctness: .correct, at: 11_000, elapsedMilliseconds: 900),
                status: .answering, endedAt: nil),
            .served(climber, index: 1, at: 11_100),
            .answered(
                climber,
                AttemptAnswer(index: 1, answer: nil, correctness: .wrong, at: 40_000, elapsedMilliseconds: 20_000),
                status: .failed, endedAt: 40_000),
            .started(
                StartedAttempt(
                    ref: other, unitId: second, level: 1, day: CampaignDay(year: 2026, month: 12, day: 4),
                    seed: 3, questionIds: [ids[1]], startedAt: 90_000, ladder: 2)),
            .served(other, index: 0, at: 90_100),
            .answered(
                other,
                AttemptAnswer(
                    index: 0, answer: .truth(true), correctness: .correct, at: 91_000, elapsedMilliseconds: 900),
                status: .passed, endedAt: 91_000),
        ]
        try await storage.writeJournal(changes.map { .campaign($0) })
        return History(
            root: root, first: first, second: second, members: members, questions: ids, contest: contest,
            campaign: campaign, bank: bank)
    }

    /// Everything the report readers return for `history`, unordered results sorted so two backends compare.
    struct Readout: Equatable {
        var contestFacts: [AnswerFacts] = []
        var campaignFacts: [AnswerFacts] = []
        var bankFacts: [AnswerFacts] = []
        var bankFactsInFirst: [AnswerFacts] = []
        var tallies: [AnswerTally] = []
        var memberTallies: [MemberAnswerTally] = []
        var historyContests: [MemberHistoryRows.Contest] = []
        var historyCampaigns: [MemberHistoryRows.Campaign] = []
        var historyAnswers: [MemberHistoryRows.Answer] = []
        var contestResponses: [ResponseRow] = []
        var seats: [ContestSeatRow] = []
        var attempts: [AttemptRow] = []
        var allAttempts: [AttemptRow] = []
        var campaignResponses: [ResponseRow] = []
        var campaignResponsesOnDay: [ResponseRow] = []
        var bankResponses: [ResponseRow] = []
        var bankResponsesInSecond: [ResponseRow] = []
        var questions: [QuestionID: ReportQuestion] = [:]
        var migrations: [String] = []
    }

    static func sorted<T>(_ rows: [T]) -> [T] { rows.sorted { "\($0)" < "\($1)" } }

    static func read(_ storage: any Storage, _ history: History) async throws -> Readout {
        var out = Readout()
        try await storage.contestAnswerFacts(contest: history.contest) { out.contestFacts.append($0) }
        try await storage.campaignAnswerFacts(campaign: history.campaign) { out.campaignFacts.append($0) }
        try await storage.bankAnswerFacts(bank: history.bank, within: nil) { out.bankFacts.append($0) }
        try await storage.bankAnswerFacts(bank: history.bank, within: [history.first]) {
            out.bankFactsInFirst.append($0)
        }
        let december = CampaignDay(year: 2026, month: 12, day: 1)...CampaignDay(year: 2026, month: 12, day: 31)
        out.tallies = sorted(
            try await storage.answerTallies(
                campaignDays: december.lowerBound, through: december.upperBound, contestsFrom: 0, until: 100_000))
        out.memberTallies = sorted(
            try await storage.memberAnswerTallies(
                campaignDays: december.lowerBound, through: december.upperBound, contestsFrom: 0, until: 100_000))
        let member = try await storage.memberHistory(memberId: history.members[1])
        (out.historyContests, out.historyCampaigns, out.historyAnswers) = (
            member.contests, member.campaigns, member.answers
        )
        out.contestResponses = try await storage.contestResponses(contest: history.contest)
        out.seats = try await storage.contestSeats(contest: history.contest)
        out.attempts = sorted(try await storage.campaignAttempts(days: december, campaign: history.campaign))
        out.allAttempts = sorted(try await storage.campaignAttempts(days: december, campaign: nil))
        out.campaignResponses = sorted(try await storage.campaignResponses(campaign: history.campaign, days: nil))
        let third = CampaignDay(year: 2026, month: 12, day: 3)
        out.campaignResponsesOnDay = sorted(
            try await storage.campaignResponses(campaign: history.campaign, days: third...third))
        out.bankResponses = sorted(try await storage.bankResponses(bank: history.bank, within: nil))
        out.bankResponsesInSecond = sorted(
            try await storage.bankResponses(bank: history.bank, within: [history.second]))
        out.questions = try await storage.questionsForReport(ids: Set(history.questions + [999_999]))
        out.migrations = try await storage.appliedMigrations()
        return out
    }

    @Test(arguments: Backend.available) func theReportReadersGiveTheHistoryWritten(_ backend: Backend) async throws {
        try await backend.withStorage { storage in
            let history = try await Self.fill(storage)
            let out = try await Self.read(storage, history)
            let q = history.questions
            // The contest: question order, then seat; the reveal's points on question 1 only.
            #expect(out.contestFacts.map(\.questionId) == [q[0], q[0], q[1]])
            #expect(
                out.contestFacts.map(\.attempt) == [
                    .contestSeat(contestId: history.contest, seat: 1),
                    .contestSeat(contestId: history.contest, seat: 2),
                    .contestSeat(contestId: history.contest, seat: 1),
                ])
            #expect(out.contestFacts.map(\.points) == [150, 0, nil])
            #expect(out.contestFacts.map(\.answer) == [.choices(1), .choices(2), .truth(false)])
            #expect(out.contestFacts.map(\.memberId) == [history.members[1], nil, history.members[1]])
            #expect(out.contestResponses.map(AnswerFacts.init) == out.contestFacts)
            #expect(out.contestResponses.map(\.answer) == [.choices([0]), .choices([1]), .truth(false)])
            // The campaign: member, attempt, index; the timed-out question as unanswered and wrong.
            #expect(out.campaignFacts.map(\.questionId) == [q[1], q[2], q[0]])
            #expect(out.campaignFacts.map(\.answer) == [.truth(true), .text, .unanswered])
            #expect(out.campaignFacts.map(\.correctness) == [.correct, .correct, .wrong])
            #expect(out.campaignResponses.count == 3)
            #expect(
                Set(out.campaignResponses.map(\.day)) == [
                    CampaignDay(year: 2026, month: 12, day: 3), CampaignDay(year: 2026, month: 12, day: 4),
                ])
            #expect(out.campaignResponsesOnDay.map(\.questionId).sorted() == [q[0], q[2]].sorted())
            // A bank's answers: the contest's, then the campaign's; "within" keeps the branch at the time.
            #expect(out.bankFacts == out.contestFacts + out.campaignFacts)
            #expect(
                out.bankFactsInFirst == (out.contestFacts + out.campaignFacts).filter { $0.unitId == history.first })
            #expect(out.bankResponses.count == 6)
            #expect(out.bankResponsesInSecond.count == 2)
            #expect(out.bankResponsesInSecond.allSatisfy { $0.unitId == history.second })
            // Tallies: only revealed contest answers, credits halved back (right 2, partly 1).
            #expect(out.tallies.contains(AnswerTally(unitId: history.first, questionId: q[0], count: 1, credit: 1)))
            #expect(out.tallies.contains(AnswerTally(unitId: history.second, questionId: q[0], count: 1, credit: 0)))
            #expect(!out.tallies.contains { $0.questionId == q[1] && $0.unitId == history.first })
            #expect(out.tallies.contains(AnswerTally(unitId: history.first, questionId: q[0], count: 1, credit: 0)))
            #expect(out.tallies.contains(AnswerTally(unitId: history.first, questionId: q[2], count: 1, credit: 1)))
            // By member: the guest left out; a contest's answers at the first one's time, an attempt's at its start.
            let (member, other) = (history.members[1], history.members[0])
            #expect(
                out.memberTallies
                    == Self.sorted([
                        MemberAnswerTally(
                            memberId: member, at: 3_100,
                            tally: AnswerTally(unitId: history.first, questionId: q[0], count: 1, credit: 1)),
                        MemberAnswerTally(
                            memberId: member, at: 10_000,
                            tally: AnswerTally(unitId: history.first, questionId: q[2], count: 1, credit: 1)),
                        MemberAnswerTally(
                            memberId: member, at: 10_000,
                            tally: AnswerTally(unitId: history.first, questionId: q[0], count: 1, credit: 0)),
                        MemberAnswerTally(
                            memberId: other, at: 90_000,
                            tally: AnswerTally(unitId: history.second, questionId: q[1], count: 1, credit: 1)),
                    ]))
            // A member's history.
            #expect(
                out.historyContests == [
                    MemberHistoryRows.Contest(
                        contestId: history.contest, title: "知识竞赛", joinedAt: 1_000, kicked: false, score: 150,
                        answered: 2, correct: 1)
                ])
            #expect(
                out.historyCampaigns == [
                    MemberHistoryRows.Campaign(
                        campaignId: history.campaign, title: "登高", attempts: 1, height: 0,
                        firstDay: CampaignDay(year: 2026, month: 12, day: 3),
                        lastDay: CampaignDay(year: 2026, month: 12, day: 3), answered: 2, correct: 1)
                ])
            #expect(out.historyAnswers.map(\.category) == ["党史", "党章", "党史", "党史"])
            // Seats, kicked ones included; attempts; the questions asked for (an unknown id left out).
            #expect(out.seats.map(\.seat) == [1, 2])
            #expect(out.seats.map(\.kickedAt) == [nil, 6_000])
            #expect(out.attempts.map(\.status).sorted { $0.rawValue < $1.rawValue } == [.failed, .passed])
            #expect(out.allAttempts == out.attempts)
            // Each attempt keeps the ladder it climbs (v10): 0, the default, unless written otherwise.
            #expect(out.attempts.map(\.ladder).sorted() == [0, 2])
            let stored = try await storage.campaignAttempts(history.campaign)
            #expect(stored.map(\.started.ladder).sorted() == [0, 2])
            #expect(Set(out.questions.keys) == Set(q))
            #expect(out.questions[q[1]]?.bankName == "题库" && out.questions[q[1]]?.question.answer == .truth(true))
            #expect(out.migrations.count == 11)
            #expect(await storage.isHealthy())
        }
    }

    @Test(.postgres) func bothBackendsReadTheSameHistoryTheSameWay() async throws {
        let sqlite = try await Backend.sqlite.withStorage { try await Self.read($0, try await Self.fill($0)) }
        let postgres = try await Backend.postgres.withStorage { try await Self.read($0, try await Self.fill($0)) }
        #expect(sqlite.contestFacts == postgres.contestFacts)
        #expect(sqlite.campaignFacts == postgres.campaignFacts)
        #expect(sqlite.bankFacts == postgres.bankFacts)
        #expect(sqlite.bankFactsInFirst == postgres.bankFactsInFirst)
        #expect(sqlite.tallies == postgres.tallies)
        #expect(sqlite.memberTallies == postgres.memberTallies)
        #expect(sqlite.historyContests == postgres.historyContests)
        #expect(sqlite.historyCampaigns == postgres.historyCampaigns)
        #expect(sqlite.historyAnswers == postgres.historyAnswers)
        #expect(sqlite.contestResponses == postgres.contestResponses)
        #expect(sqlite.seats == postgres.seats)
        #expect(sqlite.attempts == postgres.attempts)
        #expect(sqlite.allAttempts == postgres.allAttempts)
        #expect(sqlite.campaignResponses == postgres.campaignResponses)
        #expect(sqlite.campaignResponsesOnDay == postgres.campaignResponsesOnDay)
        #expect(sqlite.bankResponses == postgres.bankResponses)
        #expect(sqlite.bankResponsesInSecond == postgres.bankResponsesInSecond)
        #expect(sqlite.questions == postgres.questions)
        #expect(sqlite.migrations == postgres.migrations)
    }

    @Test(arguments: Backend.available) func aStreamStopsAtTheErrorItsBodyThrows(_ backend: Backend) async throws {
        struct Enough: Error {}
        try await backend.withStorage { storage in
            let history = try await Self.fill(storage)
            var seen = 0
            await #expect(throws: Enough.self) {
                try await storage.contestAnswerFacts(contest: history.contest) { _ in
                    seen += 1
                    if seen == 2 { throw Enough() }
                }
            }
            #expect(seen == 2)
            // Nothing is read for an activity that does not exist, and that is no error.
            try await storage.campaignAnswerFacts(campaign: 999) { _ in seen += 1 }
            try await storage.bankAnswerFacts(bank: 999, within: nil) { _ in seen += 1 }
            #expect(seen == 2)
        }
    }

    @Test(arguments: Backend.available) func bulkInvitationsGoOnceToEachUninvitedMember(_ backend: Backend) async throws
    {
        try await backend.withStorage { storage in
            let history = try await Self.fill(storage)
            let whole = MemberSelection(unitId: history.units.root, includeSubunits: true, numbers: nil)
            let tokens: @Sendable () -> (token: String, hash: String) = { ("token-\(UUID())", "hash-\(UUID())") }
            // Too many for the limit: refused with the same words on both, nothing made.
            await #expect(
                throws: StorageError.invalid(
                    "共有 3 名党员尚无邀请链接，一次最多生成 2 个，请按支部分批生成 (3 members have no link; at most 2 at once)")
            ) {
                try await storage.inviteUninvited(whole, createdBy: nil, limit: 2, at: Self.created, newToken: tokens)
            }
            let missing = MemberSelection(
                unitId: history.units.first, includeSubunits: false, numbers: ["001", "003", "404"])
            await #expect(
                throws: StorageError.invalid(
                    "以下编号不是该组织的在册党员：003、404 (not active members of this unit: 003, 404)")
            ) {
                try await storage.inviteUninvited(
                    missing, createdBy: nil, limit: 10, at: Self.created, newToken: tokens)
            }
            let one = MemberSelection(unitId: history.units.first, includeSubunits: false, numbers: ["002"])
            let first = try await storage.inviteUninvited(
                one, createdBy: nil, limit: 10, at: Self.created, newToken: tokens)
            #expect(first.created.map(\.number) == ["002"] && first.alreadyInvited == 0)
            // By unit path, then number; the member who holds a link keeps it.
            let all = try await storage.inviteUninvited(
                whole, createdBy: nil, limit: 10, at: Self.created, newToken: tokens)
            #expect(all.created.map(\.number) == ["001", "003"])
            #expect(all.created.map(\.unitPath) == ["机关党委/第一支部", "机关党委/第二支部"])
            #expect(all.alreadyInvited == 1)
            let detail = try await storage.member(number: "002")
            #expect(detail.invitations.count == 1)
            #expect(try await storage.revokeInvitations(whole, at: Self.created) == 3)
            #expect(try await storage.revokeInvitations(whole, at: Self.created) == 0)
            await #expect(throws: StorageError.unitNotFound(404)) {
                try await storage.revokeInvitations(MemberSelection(unitId: 404, includeSubunits: true, numbers: nil))
            }
        }
    }

    @Test(arguments: Backend.available) func refusalsAreTheSameStorageErrors(_ backend: Backend) async throws {
        try await backend.withStorage { storage in
            let history = try await Self.fill(storage)
            // Unique violations.
            _ = try await storage.createAccount(
                username: "Root", displayName: nil, passwordHash: "x", role: .admin, unitId: nil)
            await #expect(throws: StorageError.usernameTaken("root")) {
                try await storage.createAccount(
                    username: "root", displayName: nil, passwordHash: "x", role: .admin, unitId: nil)
            }
            await #expect(throws: StorageError.unitNameTaken("第一支部")) {
                try await storage.createUnit(name: "第一支部", parentId: history.units.root)
            }
            // Missing rows.
            await #expect(throws: StorageError.unitNotFound(404)) { try await storage.deleteUnit(404) }
            await #expect(throws: StorageError.memberNotFound("404")) { try await storage.member(number: "404") }
            await #expect(throws: StorageError.bankNotFound("无")) { try await storage.deleteBank(named: "无") }
            #expect(try await storage.contest(id: 404) == nil)
            // Still in use.
            await #expect(throws: StorageError.unitInUse) { try await storage.deleteUnit(history.units.first) }
            await #expect(throws: StorageError.bankInUse("题库")) { try await storage.deleteBank(named: "题库") }
        }
    }

    @Test(arguments: Backend.available) func rosterWritesBumpTheCounterAndOthersDoNot(_ backend: Backend) async throws {
        try await backend.withStorage { storage in
            let history = try await Self.fill(storage)
            let before = storage.rosterChanges.current
            try await storage.updateMember(number: "001", MemberChanges(name: "甲甲"), at: Self.created)
            #expect(storage.rosterChanges.current == before + 1)
            try await storage.createUnit(name: "第三支部", parentId: history.units.root)
            #expect(storage.rosterChanges.current == before + 2)
            // A refused roster write and the journal change nothing of the roster.
            _ = try? await storage.createUnit(name: "第三支部", parentId: history.units.root)
            try await storage.writeJournal([
                .contest(
                    JournalEntry(
                        contestId: history.contest, seq: 9, at: 9_000, input: .command(.finish), status: .finished))
            ])
            _ = try await storage.inviteUninvited(
                MemberSelection(unitId: history.units.root, includeSubunits: true, numbers: nil), createdBy: nil,
                limit: 10,
                newToken: { ("t-\(UUID())", "h-\(UUID())") })
            #expect(storage.rosterChanges.current == before + 2)
        }
    }

    /// A roster larger than one of PostgreSQL's insert batches (2,000): every new member gets their unit, phone,
    /// status, first placement and (when active) open span, as one at a time did. The browser suite's 30,000-member
    /// import took minutes on PostgreSQL when each member was four round trips; now it is a statement per batch.
    @Test(arguments: Backend.available) func aLargeRosterImportsEveryMemberWhole(_ backend: Backend) async throws {
        try await backend.withStorage { storage in
            let history = try await Self.fill(storage)
            let firstBefore = try await storage.members(ofUnit: history.units.first).total
            let count = 4_500
            var csv = "姓名,党员编号,所在支部,手机号,状态\n"
            for index in 1...count {
                let unit = index % 2 == 0 ? "第一支部" : "第二支部"
                let phone = index % 3 == 0 ? "" : String(format: "139%08d", index)
                let status = index % 5 == 0 ? "停用" : ""
                csv += "大名单\(index),R\(index),机关党委/\(unit),\(phone),\(status)\n"
            }
            let result = try await storage.importRoster(
                try RosterReader.parse(Data(csv.utf8)), scope: nil, base: nil, createUnits: false, at: Self.created)
            #expect(result.created == count && result.updated == 0 && result.unitsCreated == 0)
            // Active ones only (the listing's default): the even numbers but every tenth.
            #expect(
                try await storage.members(ofUnit: history.units.first).total == firstBefore + count / 2 - count / 10)
            for index in [1, 2, 3, 2_000, 2_001, 4_000, 4_500] {
                let detail = try await storage.member(number: "R\(index)")
                #expect(detail.member.name == "大名单\(index)")
                #expect(detail.member.unit.id == (index % 2 == 0 ? history.units.first : history.units.second))
                #expect(detail.member.phone == (index % 3 == 0 ? nil : String(format: "139%08d", index)))
                #expect(detail.member.active == (index % 5 != 0))
                #expect(detail.history.count == 1 && detail.history[0].until == nil)
            }
            let roster = try await storage.rosterHistory()
            let imported = Set(roster.people.filter { $0.value.number.hasPrefix("R") }.keys)
            #expect(imported.count == count)
            let spans = roster.activeSpans.filter { imported.contains($0.memberId) }
            #expect(spans.count == count - count / 5, "an open span for each active member, none for the others")
            #expect(
                spans.allSatisfy { $0.until == nil && $0.since == Int64(Self.created.timeIntervalSince1970 * 1000) })
        }
    }

    /// Re-importing a roster larger than one of PostgreSQL's update batches (2,000) changes every member already
    /// there as one at a time did: new names and phones (an empty phone keeps the old one), moves with their
    /// placements closed and opened, status with its span of activity, categories with theirs.
    @Test(arguments: Backend.available) func aLargeRosterReimportUpdatesEveryMember(_ backend: Backend) async throws {
        try await backend.withStorage { storage in
            _ = try await Self.fill(storage)
            let present = Set(try await storage.memberCategories().map(\.name))
            for name in ["农村党员", "党务干部"] where !present.contains(name) {
                try await storage.createMemberCategory(name: name)
            }
            let count = 4_500
            func roster(_ line: (Int) -> String) throws -> ParsedRoster {
                try RosterReader.parse(Data(("姓名,党员编号,所在支部,手机号,状态,类别\n" + (1...count).map(line).joined()).utf8))
            }
            let first = try roster { index in
                let unit = index % 2 == 0 ? "第一支部" : "第二支部"
                let status = index % 5 == 0 ? "停用" : ""
                return "大名单\(index),R\(index),机关党委/\(unit),\(String(format: "139%08d", index)),\(status),农村党员\n"
            }
            _ = try await storage.importRoster(first, scope: nil, base: nil, createUnits: false, at: Self.created)
            let later = Self.created.addingTimeInterval(86_400)
            // Every third member moves to the other branch; every fifth (inactive) comes back, every seventh leaves;
            // even numbers get a new phone; categories become 党务干部 (plus 农村党员 for every fourth).
            let second = try roster { index in
                let unit = (index % 2 == 0) != (index % 3 == 0) ? "第一支部" : "第二支部"
                let status = index % 5 == 0 ? "在册" : index % 7 == 0 ? "停用" : ""
                let phone = index % 2 == 0 ? String(format: "138%08d", index) : ""
                let categories = index % 4 == 0 ? "农村党员、党务干部" : "党务干部"
                return "新名\(index),R\(index),机关党委/\(unit),\(phone),\(status),\(categories)\n"
            }
            let result = try await storage.importRoster(
                second, scope: nil, base: nil, createUnits: false, at: later)
            #expect(result.created == 0 && result.updated == count)
            #expect(result.moved == count / 3)
            for index in [1, 2, 3, 5, 6, 7, 12, 35, 1_999, 2_000, 2_001, 2_004, 4_000, 4_500] {
                let detail = try await storage.member(number: "R\(index)")
                let moved = index % 3 == 0
                let unitName = (index % 2 == 0) != moved ? "第一支部" : "第二支部"
                #expect(detail.member.name == "新名\(index)")
                #expect(detail.member.unit.name == unitName)
                #expect(detail.member.phone == String(format: index % 2 == 0 ? "138%08d" : "139%08d", index))
                #expect(detail.member.active == (index % 5 == 0 || index % 7 != 0), "R\(index)")
                #expect(detail.history.count == (moved ? 2 : 1), "R\(index)")
                #expect(detail.history.filter { $0.until == nil }.count == 1, "one open placement")
                let expected = index % 4 == 0 ? ["农村党员", "党务干部"] : ["党务干部"]
                #expect(detail.member.categories == expected, "R\(index)")
                #expect(
                    detail.categoryHistory.filter { $0.until != nil }.map(\.category)
                        == (index % 4 == 0 ? [] : ["农村党员"]),
                    "R\(index)")
            }
            let roster = try await storage.rosterHistory()
            let imported = Set(roster.people.filter { $0.value.number.hasPrefix("R") }.keys)
            #expect(imported.count == count)
            let spans = roster.activeSpans.filter { imported.contains($0.memberId) }
            let leftNow = (1...count).filter { $0 % 5 != 0 && $0 % 7 == 0 }.count
            let cameBack = count / 5
            #expect(spans.filter { $0.until == nil }.count == count - leftNow, "an open span for each active member")
            #expect(spans.count == count - count / 5 + cameBack, "a closed span for each who left, none reopened twice")
        }
    }
}
