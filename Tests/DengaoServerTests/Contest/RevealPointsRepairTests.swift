import DengaoCore
import Foundation
import Logging
import Testing

@testable import DengaoServer

/// A reveal's points follow its journal entry in a transaction of their own, so a crash can fall between the two:
/// the reveal was committed (and shown), its points rows were not. The room loading the contest again writes them.
@Suite struct RevealPointsRepairTests {
    @Test func aRoomLoadedAfterItsLatestRevealsPointsWereLostWritesThem() async throws {
        let configuration = demoConfiguration()
        try await addAccount("root", in: configuration)
        let contestId = try await withLiveApp(configuration) { client in
            ContestID(
                try await client.signIn("root").createContest(ownerUnitId: nil, settings: sampleSettings()).contest.id)
        }
        let store = try TestBackend.storage(configuration)
        let summary = try #require(try await store.contest(id: contestId))
        let questions = try await store.contestQuestions(contestId)

        // The journal as a server leaves it when killed after committing the reveal's entry, before its points.
        var machine = ContestMachine(settings: summary.settings, questions: questions)
        var entries: [JournalEntry] = []
        var time: ContestTime = 1_000
        for id in 1...3 {
            let seat = Seat(id: id, branchId: 2, name: "选手\(id)", memberId: nil)
            _ = machine.join(seat, at: time)
            entries.append(
                JournalEntry(
                    contestId: contestId, seq: Int64(entries.count + 1), at: time, input: .join(seat),
                    tokenHash: "hash\(id)"))
        }
        time += 1_000
        _ = try machine.command(.next, at: time)
        entries.append(
            JournalEntry(
                contestId: contestId, seq: Int64(entries.count + 1), at: time, input: .command(.next), status: .live))
        let question = try #require(machine.currentQuestion)
        let right: PlayerAnswer =
            switch question.question.answer {
            case .choices(let key): .choices(key)
            case .truth(let truth): .truth(truth)
            case .texts(let texts): .text(texts[0])
            }
        let wrong: PlayerAnswer =
            switch question.question.answer {
            case .choices(let key): .choices(key == [0] ? [1] : [0])
            case .truth(let truth): .truth(!truth)
            case .texts: .text("不是答案")
            }
        for (seat, answer) in [(1, right), (2, wrong), (3, right)] {
            time += 500
            let (outcome, _) = machine.answer(seat: seat, number: question.number, answer, at: time)
            guard case .accepted(let record) = outcome else { Issue.record("refused: \(outcome)"); return }
            entries.append(
                JournalEntry(
                    contestId: contestId, seq: Int64(entries.count + 1), at: time,
                    input: .answer(seat: seat, number: question.number, answer: answer),
                    answerRow: ContestAnswerRow(accepted: record, in: machine)))
        }
        time += 500
        let changes = try machine.command(.reveal, at: time)
        let reveal = try #require(
            changes.lazy.compactMap { change -> Reveal? in
                if case .revealed(let reveal) = change { reveal } else { nil }
            }.first)
        entries.append(
            JournalEntry(contestId: contestId, seq: Int64(entries.count + 1), at: time, input: .command(.reveal)))
        try await store.writeJournal(entries.map { .contest($0) })
        func points() async throws -> [Int: Int?] {
            Dictionary(
                try await store.contestResponses(contest: contestId).filter { $0.slot == question.number }.map {
                    guard case .contestSeat(_, let seat) = $0.attempt else { return (0, $0.points) }
                    return (seat, $0.points)
                }, uniquingKeysWith: { first, _ in first })
        }
        #expect(try await points() == [1: nil, 2: nil, 3: nil])

        // A new server loads the contest (as it resumes every live one at start).
        let journal = Journal(storage: store)
        let written = Task { await journal.run() }
        let hub = ContestHub(
            storage: store, journal: journal, logger: Logger(label: "test"), silenceLimit: .seconds(75),
            clock: ManualClock(startingAt: time + 60_000))
        let room = try #require(try await hub.room(id: contestId))
        try await journal.durable(journal.lastAppended)
        let expected = Dictionary(
            reveal.results.map { ($0.seat, Optional($0.points)) }, uniquingKeysWith: { a, _ in a })
        #expect(try await points() == expected)
        #expect(expected[1]! ?? 0 > 0 && expected[2] == 0)
        #expect(await room.lastReveal?.number == question.number)
        journal.finish()
        await written.value
    }
}
