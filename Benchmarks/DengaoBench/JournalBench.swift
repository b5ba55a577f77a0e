import DengaoCore
import DengaoServer
import Foundation
import Synchronization

/// The contest journal in-process: group commit against one transaction per entry, on a fresh SQLite file with
/// the server's settings (WAL, synchronous=FULL), or with `database` a fresh schema of that PostgreSQL database
/// (`synchronous_commit` on, as the server runs it). `concurrency` tasks each append an answer and await
/// `durable(ticket)`, over and over, until `entries` have been written — the shape of players awaiting their acks.
enum JournalBench {
    struct Result: Codable {
        var mode: String
        var entries: Int
        var seconds: Double
        var entriesPerSecond: Double
        var latency: Distribution
    }

    static func compare(groupEntries: Int, naiveEntries: Int, concurrency: Int, database: String? = nil) async
        -> [Result]
    {
        var results: [Result] = []
        if database == nil, let probe = fsyncProbe() { results.append(probe) }
        for (mode, name, entries) in [
            (Journal.Mode.groupCommit, "group commit", groupEntries),
            (.oneTransactionPerEntry, "one transaction per entry", naiveEntries),
        ] {
            do {
                results.append(
                    try await measure(
                        mode: mode, name: name, entries: entries, concurrency: concurrency, database: database))
            } catch {
                say("journal benchmark (\(name)) failed: \(error)")
            }
        }
        return results
    }

    static func measure(mode: Journal.Mode, name: String, entries: Int, concurrency: Int, database url: String?)
        async throws -> Result
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dengao-journal-bench-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try await BenchDatabase.open(directory: directory, postgresURL: url)
        do {
            let result = try await measure(
                mode: mode, name: name, entries: entries, concurrency: concurrency, storage: database.storage)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }

    private static func measure(
        mode: Journal.Mode, name: String, entries: Int, concurrency: Int, storage store: any Storage
    ) async throws -> Result {
        _ = try await store.importBank(
            named: "bench", questions: GeneratedBank.questions(count: 20), format: .csv, sourceName: nil)
        let pool = try await store.latestQuestions(ofBanks: ["bench"])
        let settings = ContestSettings(
            title: "journal bench",
            rounds: [RoundSettings(title: "必答", kind: .everyone, banks: ["bench"], draw: DrawRule(count: 3))])
        let contest = try await store.createContest(
            NewContest(
                ownerUnitId: nil, createdById: nil, settings: settings, seed: 1,
                questionIds: [pool.prefix(3).map(\.id)],
                displayTokenHash: "journal-bench-\(UUID().uuidString)"))

        let journal = Journal(storage: store, mode: mode)
        let writer = Task { await journal.run() }
        let sequence = SequenceCounter()
        let contestId = contest.id
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var mine: [Double] = []
                    while true {
                        let seq = sequence.next()
                        guard seq <= entries else { break }
                        let began = monotonicNanos()
                        let ticket = journal.append(
                            JournalEntry(
                                contestId: contestId, seq: Int64(seq), at: Int64(Date().timeIntervalSince1970 * 1000),
                                input: .answer(seat: seq, number: 1, answer: .choices([seq % 4]))))
                        try await journal.durable(ticket)
                        mine.append(nanosToMs(monotonicNanos() - began))
                    }
                    return mine
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all
        }
        let elapsed = ContinuousClock.now - start
        journal.finish()
        await writer.value
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(
            mode: name, entries: latencies.count, seconds: seconds, entriesPerSecond: Double(latencies.count) / seconds,
            latency: Distribution(latencies))
    }
}

/// What one durable write costs on this disk (4 KiB written and fdatasync'd, 200 times in the temp directory):
/// the floor under one transaction per entry.
func fsyncProbe() -> JournalBench.Result? {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("dengao-fsync-\(UUID().uuidString)").path
    let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
    guard fd >= 0 else { return nil }
    defer { close(fd); unlink(path) }
    let block = [UInt8](repeating: 7, count: 4096)
    var times: [Double] = []
    let start = monotonicNanos()
    for index in 0..<200 {
        let began = monotonicNanos()
        _ = block.withUnsafeBytes { pwrite(fd, $0.baseAddress, 4096, off_t(index * 4096)) }
        fdatasync(fd)
        times.append(nanosToMs(monotonicNanos() - began))
    }
    let seconds = Double(monotonicNanos() - start) / 1e9
    return JournalBench.Result(
        mode: "fsync probe (4 KiB write)", entries: times.count, seconds: seconds,
        entriesPerSecond: Double(times.count) / seconds,
        latency: Distribution(times))
}

/// Hands out 1, 2, 3… to concurrent tasks.
final class SequenceCounter: Sendable {
    private let value = Atomic<Int>(0)
    func next() -> Int { value.add(1, ordering: .relaxed).newValue }
}
