import DengaoCore
import DengaoPostgres
import DengaoStorage
import Foundation
import Testing

/// Contests through `any Storage`, on a SQLite file and a PostgreSQL schema: creation with a free PIN, the lookups the
/// server makes, the edits allowed before play (and refused after, or for a missing contest), the previous contest a
/// rank table compares with, and campaigns' lookups.
@Suite struct ContestContractTests {
    static func new(
        _ questions: [QuestionID], owner: UnitID? = nil, title: String = "知识竞赛", token: String = UUID().uuidString
    ) -> NewContest {
        NewContest(
            ownerUnitId: owner, createdById: nil,
            settings: ContestSettings(
                title: title,
                rounds: [
                    RoundSettings(title: "必答", kind: .everyone, banks: ["题库"], draw: DrawRule(count: questions.count))
                ]),
            seed: UInt64.max - 1, questionIds: [questions], displayTokenHash: token)
    }

    @Test(arguments: StorageBackend.available) func aContestIsFoundByIdPinAndDisplayTokenWithItsQuestions(
        _ backend: StorageBackend
    ) async throws {
        try await backend.withStorage { store in
            let (_, questions) = try await JournalContractTests.contest(store)
            let created = try await store.createContest(
                Self.new(questions, title: "  竞赛  ", token: "screen"), now: Date(timeIntervalSince1970: 1_000))
            #expect(created.title == "竞赛" && created.status == .ready && created.questionCount == 3)
            #expect(created.seed == UInt64.max - 1 && created.createdAt == Date(timeIntervalSince1970: 1_000))
            #expect(created.pin.count == 6 && Int(created.pin) != nil)
            #expect(try await store.contest(id: created.id) == created)
            #expect(try await store.contest(pin: created.pin) == created)
            #expect(try await store.contest(displayTokenHash: "screen") == created)
            try await store.replaceDisplayToken(ofContest: created.id, hash: "new-screen")
            #expect(try await store.contest(displayTokenHash: "screen") == nil)
            #expect(try await store.contest(displayTokenHash: "new-screen")?.id == created.id)
            await #expect(throws: StorageError.contestNotFound(999)) {
                try await store.replaceDisplayToken(ofContest: 999, hash: "x")
            }
            let drawn = try await store.contestQuestions(created.id)
            #expect(drawn.map(\.number) == [1, 2, 3] && drawn.map(\.questionId) == questions)
            #expect(drawn[1].question.answer == .truth(true))
            let pool = try await store.latestQuestions(ofBanks: ["题库", "题库"])
            #expect(pool.map(\.id) == questions)
            await #expect(throws: StorageError.bankNotFound("无")) { try await store.latestQuestions(ofBanks: ["无"]) }
        }
    }

    @Test(arguments: StorageBackend.available) func contestsAreListedNewestFirstByOwner(_ backend: StorageBackend)
        async throws
    {
        try await backend.withStorage { store in
            let (first, questions) = try await JournalContractTests.contest(store)
            let (unit, _) = try await JournalContractTests.unitAndMember(store)
            let owned = try await store.createContest(Self.new(questions, owner: unit))
            let all = try await store.contests(ownedBy: nil)
            #expect(all.map(\.id) == [owned.id, first])
            #expect(try await store.contests(ownedBy: [unit]).map(\.id) == [owned.id])
            #expect(try await store.contests(ownedBy: []).isEmpty)
        }
    }

    @Test(arguments: StorageBackend.available) func anUnplayedContestCanBeReplacedOrDeletedAndAPlayedOneCannot(
        _ backend: StorageBackend
    ) async throws {
        try await backend.withStorage { store in
            let (contest, questions) = try await JournalContractTests.contest(store)
            let before = try #require(try await store.contest(id: contest))
            let replaced = try await store.replaceUnplayedContest(contest, with: Self.new([questions[2]], title: "改过的"))
            #expect(replaced.title == "改过的" && replaced.questionCount == 1)
            #expect(replaced.pin == before.pin && replaced.id == contest)
            #expect(try await store.contestQuestions(contest).map(\.questionId) == [questions[2]])
            try await store.writeJournal([
                .contest(JournalEntry(contestId: contest, seq: 1, at: 0, input: .command(.next), status: .live))
            ])
            await #expect(throws: Store.contestPlayed) {
                try await store.replaceUnplayedContest(contest, with: Self.new(questions))
            }
            await #expect(throws: Store.contestPlayed) { try await store.deleteUnplayedContest(contest) }
            let unplayed = try await store.createContest(Self.new(questions))
            try await store.deleteUnplayedContest(unplayed.id)
            #expect(try await store.contest(id: unplayed.id) == nil)
            await #expect(throws: StorageError.contestNotFound(unplayed.id)) {
                try await store.deleteUnplayedContest(unplayed.id)
            }
        }
    }

    @Test(arguments: StorageBackend.available) func thePreviousFinishedContestIsTheSameOwnersLatestBeforeTheMoment(
        _ backend: StorageBackend
    ) async throws {
        try await backend.withStorage { store in
            let (_, questions) = try await JournalContractTests.contest(store)
            var finished: [ContestID] = []
            for (index, seconds) in [100, 300, 200].enumerated() {
                let contest = try await store.createContest(Self.new(questions))
                try await store.writeJournal([
                    .contest(
                        JournalEntry(
                            contestId: contest.id, seq: 1, at: Int64(seconds) * 1000 - 1, input: .command(.next),
                            status: .live)),
                    .contest(
                        JournalEntry(
                            contestId: contest.id, seq: 2, at: Int64(seconds) * 1000, input: .command(.finish),
                            status: .finished)),
                ])
                finished.append(contest.id)
                #expect(index == finished.count - 1)
            }
            let latest = try await store.previousFinishedContest(
                of: 0, owner: nil, finishedBefore: Date(timeIntervalSince1970: 1_000))
            #expect(latest?.id == finished[1])
            let beforeThat = try await store.previousFinishedContest(
                of: finished[1], owner: nil, finishedBefore: Date(timeIntervalSince1970: 300))
            #expect(beforeThat?.id == finished[2])
            // A set-aside contest is passed over.
            try await store.finishLoading(.contest, id: finished[2].rawValue, setAsideBecause: "坏数据")
            let passedOver = try await store.previousFinishedContest(
                of: finished[1], owner: nil, finishedBefore: Date(timeIntervalSince1970: 300))
            #expect(passedOver?.id == finished[0])
            #expect(
                try await store.previousFinishedContest(
                    of: 0, owner: 42, finishedBefore: Date(timeIntervalSince1970: 1_000)) == nil)
        }
    }

    @Test(arguments: StorageBackend.available) func resultsAreRecomputedFromTheJournal(_ backend: StorageBackend)
        async throws
    {
        try await backend.withStorage { store in
            let (contest, _) = try await JournalContractTests.contest(store)
            try await store.writeJournal([
                .contest(
                    JournalEntry(
                        contestId: contest, seq: 1, at: 1_000,
                        input: .join(Seat(id: 1, branchId: 1, name: "甲", memberId: nil)))),
                .contest(JournalEntry(contestId: contest, seq: 2, at: 2_000, input: .command(.next), status: .live)),
                .contest(
                    JournalEntry(
                        contestId: contest, seq: 3, at: 3_000, input: .answer(seat: 1, number: 1, answer: .choices([0]))
                    )),
            ])
            let replay = try await store.contestResults(contest)
            #expect(replay.startedAt == 2_000)
            #expect(replay.questions.count == 3)
            #expect(replay.results.standings.map(\.seat.name) == ["甲"])
            await #expect(throws: StorageError.contestNotFound(999)) { try await store.contestResults(999) }
        }
    }

    @Test(arguments: StorageBackend.available) func campaignsAreFoundAndListedLikeContests(_ backend: StorageBackend)
        async throws
    {
        try await backend.withStorage { store in
            let (unit, _) = try await JournalContractTests.unitAndMember(store)
            let settings = CampaignSettings(
                title: " 登高 ", startDate: "2026-12-01", endDate: "2026-12-31", banks: ["题库"])
            let first = try await store.createCampaign(
                NewCampaign(ownerUnitId: nil, createdById: nil, settings: settings, seed: 9, displayTokenHash: "a"),
                now: Date(timeIntervalSince1970: 5))
            let second = try await store.createCampaign(
                NewCampaign(
                    ownerUnitId: unit, createdById: nil, settings: settings, seed: 10, displayTokenHash: "b"))
            #expect(first.title == "登高" && first.createdAt == Date(timeIntervalSince1970: 5) && first.setAside == nil)
            #expect(try await store.campaign(id: first.id) == first)
            #expect(try await store.campaign(displayTokenHash: "b")?.id == second.id)
            #expect(try await store.campaigns(ownedBy: nil).map(\.id) == [second.id, first.id])
            #expect(try await store.campaigns(ownedBy: [unit]).map(\.id) == [second.id])
            try await store.replaceDisplayToken(ofCampaign: first.id, hash: "c")
            #expect(try await store.campaign(displayTokenHash: "a") == nil)
            await #expect(throws: StorageError.campaignNotFound(999)) {
                try await store.replaceDisplayToken(ofCampaign: 999, hash: "x")
            }
            let bad = try await store.createCampaign(
                NewCampaign(
                    ownerUnitId: nil, createdById: nil,
                    settings: CampaignSettings(title: "坏", startDate: "2026-13-01", endDate: "2026-12-31", banks: []),
                    seed: 1, displayTokenHash: "d"))
            #expect(bad.setAside?.contains("dates are unreadable") == true)
        }
    }

    @Test(arguments: StorageBackend.available) func theRosterHistoryHasPlacementsSpansAndPeople(
        _ backend: StorageBackend
    ) async throws {
        try await backend.withStorage { store in
            let first = try await store.createUnit(name: "一支部", parentId: nil).id
            let second = try await store.createUnit(name: "二支部", parentId: nil).id
            try await store.addMember(number: "7", name: "张三", unitId: first, at: Date(timeIntervalSince1970: 100))
            try await store.updateMember(
                number: "7", MemberChanges(unitId: second), at: Date(timeIntervalSince1970: 200.5))
            try await store.updateMember(
                number: "7", MemberChanges(active: false), at: Date(timeIntervalSince1970: 300))
            let history = try await store.rosterHistory()
            let member = try await store.member(number: "7").member.id
            #expect(history.people[member]?.name == "张三")
            #expect(history.placements.sorted { $0.since < $1.since }.map(\.until) == [200_500, nil])
            #expect(history.activeSpans.map(\.since) == [100_000] && history.activeSpans.map(\.until) == [300_000])
            #expect(try await store.rosterHistory(people: false).people.isEmpty)
        }
    }
}
