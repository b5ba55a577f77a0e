import DengaoCore
import DengaoServer
import DengaoStorage
import Foundation

/// What the report queries cost at issue 12's size: a contest of ATTEMPTS seats × QUESTIONS answers and a campaign
/// of ATTEMPTS attempts × QUESTIONS answers (by 100 members over 30 days), written through the journal as the
/// server writes them, then `contestResponses`, `campaignResponses` (whole and one week) and `bankResponses`
/// read back, each timed over a few runs. `dengao-bench reports [ATTEMPTS [QUESTIONS [KEEP_DIR]]]`.
enum ResponsesBench {
    static func run(_ arguments: [String]) async -> Int32 {
        let numbers = arguments.compactMap { Int($0) }
        let attempts = numbers.first ?? 10_000
        let questionCount = numbers.count > 1 ? numbers[1] : 100
        // A third argument keeps the database in that directory and reuses it on the next run (reads only).
        let kept = arguments.count > 2 ? arguments[2] : nil
        let directory =
            kept
            ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                "dengao-reports-bench-\(UUID().uuidString)"
            ).path
        defer { if kept == nil { try? FileManager.default.removeItem(atPath: directory) } }
        do {
            let store = try Store(directory: directory)
            let contestId: ContestID, campaignId: CampaignID, bankId: BankID
            if let contest = try store.contests(ownedBy: nil).first(where: { $0.title == "reports bench" }),
                let campaign = try store.campaigns(ownedBy: nil).first(where: { $0.title == "reports bench" })
            {
                (contestId, campaignId, bankId) = (contest.id, campaign.id, try store.bank(named: "bench").id)
                say("reports benchmark: reusing \(directory), \(buildKind) build")
            } else {
                _ = try store.importBank(
                    named: "bench", questions: GeneratedBank.questions(count: questionCount), format: .csv,
                    sourceName: nil)
                let pool = try store.latestQuestions(ofBanks: ["bench"])
                bankId = try store.bank(named: "bench").id
                say("reports benchmark: \(attempts) attempts × \(pool.count) answers per activity, \(buildKind) build")
                let began = ContinuousClock.now
                contestId = try await writeContest(store, pool: pool, seats: attempts)
                campaignId = try await writeCampaign(store, pool: pool, attempts: attempts)
                say(String(format: "  written through the journal in %.1f s", seconds(since: began)))
            }

            try time("contestResponses", runs: 3) { try store.contestResponses(contest: contestId).count }
            try time("campaignResponses", runs: 3) { try store.campaignResponses(campaign: campaignId).count }
            let week = CampaignDay(year: 2026, month: 12, day: 8)...CampaignDay(year: 2026, month: 12, day: 14)
            try time("campaignResponses, one week", runs: 3) {
                try store.campaignResponses(campaign: campaignId, days: week).count
            }
            try time("bankResponses (both)", runs: 2) { try store.bankResponses(bank: bankId).count }
            say("  peak RSS \(DengaoBench.peakResidentMiB()) MiB")
            return 0
        } catch {
            say("reports benchmark failed: \(error)")
            return 1
        }
    }

    #if DEBUG
        static let buildKind = "debug"
    #else
        static let buildKind = "release"
    #endif

    static func time(_ name: String, runs: Int, _ body: () throws -> Int) throws {
        var best = Double.infinity, count = 0
        for _ in 0..<runs {
            let began = ContinuousClock.now
            count = try body()
            best = min(best, seconds(since: began))
        }
        say(String(format: "  %@: %d rows in %.0f ms (best of %d)", name, count, best * 1000, runs))
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func answer(to question: Question, _ salt: Int) -> PlayerAnswer {
        switch question.answer {
        case .choices(let key):
            salt % 3 == 0 ? .choices([(key[0] + 1) % max(1, question.options.count)]) : .choices(key)
        case .truth(let truth): .truth(salt % 3 == 0 ? !truth : truth)
        case .texts(let texts): .text(salt % 3 == 0 ? "不对" : texts[0])
        }
    }

    /// Every seat joins, then answers every question, in journal chunks so the pending list stays small.
    static func writeContest(_ store: Store, pool: [(id: QuestionID, question: Question)], seats: Int) async throws
        -> ContestID
    {
        let settings = ContestSettings(
            title: "reports bench",
            rounds: [RoundSettings(title: "必答", kind: .everyone, banks: ["bench"], draw: DrawRule(count: pool.count))])
        let contest = try store.createContest(
            NewContest(
                ownerUnitId: nil, createdById: nil, settings: settings, seed: 1,
                questionIds: [pool.map(\.id)],
                displayTokenHash: "reports-bench-\(UUID().uuidString)"))
        let journal = Journal(storage: SQLiteStorage(store))
        let writer = Task { await journal.run() }
        var seq: Int64 = 0
        // Every seat joins first (item analysis counts the seats a question was shown to).
        var joined: Journal.Ticket = 0
        for seat in 1...seats {
            seq += 1
            joined = journal.append(
                JournalEntry(
                    contestId: contest.id, seq: seq, at: 1_000_000 + seq,
                    input: .join(
                        Seat(
                            id: seat, branchId: UnitID(Int64(1 + seat % 50)), name: "座位\(seat)",
                            memberId: seat % 2 == 0 ? MemberID(Int64(seat)) : nil))))
        }
        try await journal.durable(joined)
        for (index, (questionId, question)) in pool.enumerated() {
            var last: Journal.Ticket = 0
            for seat in 1...seats {
                seq += 1
                let answer = answer(to: question, seat &+ index)
                let row = ContestAnswerRow(
                    number: index + 1, seat: seat, memberId: seat % 2 == 0 ? MemberID(Int64(seat)) : nil,
                    unitId: UnitID(Int64(1 + seat % 50)),
                    questionId: questionId, answer: answer, correctness: question.grade(answer),
                    elapsedMilliseconds: 1_000 + seat % 9_000,
                    receivedAt: 1_000_000 + seq, points: (seat % 7) * 100)
                last = journal.append(
                    JournalEntry(
                        contestId: contest.id, seq: seq, at: 1_000_000 + seq,
                        input: .answer(seat: seat, number: index + 1, answer: answer),
                        answerRow: row))
            }
            try await journal.durable(last)
        }
        journal.finish()
        await writer.value
        return contest.id
    }

    /// 100 members, each making attempts/100 attempts spread over 30 days, every attempt answering every question.
    static func writeCampaign(_ store: Store, pool: [(id: QuestionID, question: Question)], attempts: Int) async throws
        -> CampaignID
    {
        let root = try store.createUnit(name: "bench-\(UUID().uuidString.prefix(8))", parentId: nil)
        let members = try (0..<100).map {
            try store.addMember(number: "b\($0)-\(UUID().uuidString.prefix(6))", name: "党员\($0)", unitId: root.id).id
        }
        let campaign = try store.createCampaign(
            NewCampaign(
                ownerUnitId: nil, createdById: nil,
                settings: CampaignSettings(
                    title: "reports bench", startDate: "2026-12-01", endDate: "2026-12-30", banks: ["bench"]),
                seed: 1, displayTokenHash: "reports-bench-campaign-\(UUID().uuidString)"))
        let journal = Journal(storage: SQLiteStorage(store))
        let writer = Task { await journal.run() }
        var last: Journal.Ticket = 0
        for attempt in 0..<attempts {
            let ref = AttemptRef(
                campaignId: campaign.id, memberId: members[attempt % members.count],
                seq: attempt / members.count + 1)
            let startedAt = Int64(1_000_000 + attempt * 1_000)
            journal.append(
                .started(
                    StartedAttempt(
                        ref: ref, unitId: root.id, level: 1,
                        day: CampaignDay(year: 2026, month: 12, day: 1 + attempt % 30), seed: 1,
                        questionIds: pool.map(\.id), startedAt: startedAt)))
            for (index, (_, question)) in pool.enumerated() {
                let answer = answer(to: question, attempt &+ index)
                last = journal.append(
                    .answered(
                        ref,
                        AttemptAnswer(
                            index: index, answer: answer, correctness: question.grade(answer),
                            at: startedAt + Int64(index), elapsedMilliseconds: 900),
                        status: index == pool.count - 1 ? .passed : .answering, endedAt: nil))
            }
            if attempt % 100 == 99 { try await journal.durable(last) }
        }
        try await journal.durable(last)
        journal.finish()
        await writer.value
        return campaign.id
    }
}
