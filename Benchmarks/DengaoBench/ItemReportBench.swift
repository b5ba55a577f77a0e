import DengaoCore
import DengaoServer
import DengaoStorage
import Foundation
import GRDB

/// `dengao-bench item-report [--attempts 10000] [--questions 100] [--runs 3] [--keep DIR]`: item analysis end to
/// end, as `GET /api/{contests,campaigns}/:id/items` and `/api/banks/:name/items` compute it (`ItemReport`), over a
/// real SQLite file.
///
/// Writes a contest of ATTEMPTS seats and a campaign of ATTEMPTS attempts, each answering QUESTIONS questions of one
/// bank, through the journal as the server writes them (`ResponsesBench`); `--keep DIR` keeps that database and
/// reuses it on the next run. Then, for the contest, the campaign and the bank (both activities' answers), times
/// each phase of what a request does — read the rows, build the matrix, item statistics and weak categories, the
/// JSON body — against a bare reference in the same run: the same statements stepped with nothing decoded.
enum ItemReportBench {
    static let usage = "usage: dengao-bench item-report [--attempts N] [--questions K] [--runs R] [--keep DIR]"

    static func run(_ arguments: [String]) async -> Int32 {
        var attempts = 10_000, questions = 100, runs = 3
        var kept: String?
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            guard let value = rest.popFirst() else {
                print(usage)
                return 64
            }
            switch (argument, Int(value)) {
            case ("--attempts", let number?) where number > 0: attempts = number
            case ("--questions", let number?) where number > 0: questions = number
            case ("--runs", let number?) where number > 0: runs = number
            case ("--keep", _): kept = value
            default:
                print(usage)
                return 64
            }
        }
        let directory =
            kept
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("dengao-item-bench-\(UUID().uuidString)")
            .path
        defer { if kept == nil { try? FileManager.default.removeItem(atPath: directory) } }
        do {
            return try await measure(directory: directory, attempts: attempts, questions: questions, runs: runs)
        } catch {
            print("item-report benchmark failed: \(error)")
            return 1
        }
    }

    static func measure(directory: String, attempts: Int, questions: Int, runs: Int) async throws -> Int32 {
        let store = try Store(directory: directory)
        let contestId: ContestID, campaignId: CampaignID
        if let contest = try store.contests(ownedBy: nil).first(where: { $0.title == "reports bench" }),
            let campaign = try store.campaigns(ownedBy: nil).first(where: { $0.title == "reports bench" })
        {
            (contestId, campaignId) = (contest.id, campaign.id)
            print("item-report benchmark: reusing \(directory)")
        } else {
            _ = try store.importBank(
                named: "bench", questions: GeneratedBank.questions(count: questions), format: .csv, sourceName: nil)
            let pool = try store.latestQuestions(ofBanks: ["bench"])
            let began = ContinuousClock.now
            contestId = try await ResponsesBench.writeContest(store, pool: pool, seats: attempts)
            campaignId = try await ResponsesBench.writeCampaign(store, pool: pool, attempts: attempts)
            print(
                String(
                    format: "item-report benchmark: written through the journal in %.1f s",
                    ResponsesBench.seconds(since: began)))
        }
        print(
            "  \(attempts) attempts × \(questions) questions per activity, \(ResponsesBench.buildKind) build, "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loadAverage())")
        let bare = try DatabasePool(path: directory + "/dengao.sqlite")
        let bankId = try store.bank(named: "bench").id
        // For each activity: what a request computes (ItemReport), the store's walk of the same answers with nothing
        // done to them (read alone: the matrix costs the difference), and the bare statements stepped.
        let cases:
            [(
                name: String, report: (ItemReport.Laps) async throws -> ItemReport.Source, walk: () throws -> Int,
                reference: () throws -> Int
            )] = [
                (
                    "contest", { try await ItemReport.contest(storage: SQLiteStorage(store), id: contestId, laps: $0) },
                    {
                        var count = 0; try store.contestAnswerFacts(contest: contestId) { _ in count += 1 };
                        return count
                    },
                    {
                        try bareRows(
                            bare, [(AnswerFactsSQL.contest, [contestId]), (ReportSQL.contestSeats, [contestId])])
                    }
                ),
                (
                    "campaign",
                    { try await ItemReport.campaign(storage: SQLiteStorage(store), id: campaignId, laps: $0) },
                    {
                        var count = 0; try store.campaignAnswerFacts(campaign: campaignId) { _ in count += 1 };
                        return count
                    },
                    {
                        try bareRows(
                            bare,
                            [
                                (AnswerFactsSQL.campaignAttempts, [campaignId]),
                                (AnswerFactsSQL.campaignDrawn, [campaignId]),
                                (AnswerFactsSQL.campaignAnswers, [campaignId]),
                            ])
                    }
                ),
                (
                    "bank",
                    { try await ItemReport.bank(storage: SQLiteStorage(store), name: "bench", scope: nil, laps: $0) },
                    {
                        var count = 0; try store.bankAnswerFacts(bank: bankId) { _ in count += 1 }; return count
                    },
                    {
                        try bareRows(
                            bare,
                            [
                                (AnswerFactsSQL.contest, [contestId]), (AnswerFactsSQL.campaignAttempts, [campaignId]),
                                (AnswerFactsSQL.campaignDrawn, [campaignId]),
                                (AnswerFactsSQL.campaignAnswers, [campaignId]),
                            ])
                    }
                ),
            ]
        print("  activity  rows       read     matrix   stats    json     total    (worst)  bare read  ratio  peak RSS")
        for (name, report, walk, reference) in cases {
            // Each case's own peak: "5" resets VmHWM (proc(5), clear_refs).
            try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
            var best: [String: Double] = [:], totals: [Double] = [], walks: [Double] = [], bareTimes: [Double] = []
            var rows = 0
            for _ in 0..<runs {
                let laps = ItemReport.Laps()
                let source = try await report(laps)
                let figures = ItemReport.figures(source, laps: laps)
                let body = try ItemReport.json(figures, source: source, laps: laps)
                precondition(!body.isEmpty)
                rows = source.rowCount
                let phases = Dictionary(laps.seconds.map { ($0.phase, $0.seconds) }, uniquingKeysWith: +)
                let total = phases.values.reduce(0, +)
                if total < (totals.min() ?? .infinity) { best = phases }
                totals.append(total)
                var started = ContinuousClock.now
                let walked = try walk()
                precondition(walked == rows)
                walks.append(ResponsesBench.seconds(since: started))
                started = ContinuousClock.now
                let referenced = try reference()
                precondition(referenced > 0)
                bareTimes.append(ResponsesBench.seconds(since: started))
            }
            let total = totals.min()!, bareBest = bareTimes.min()!, read = walks.min()!
            let rowsPhase = best["rows"] ?? 0
            print(
                String(
                    format: "  %-8@  %-9d  %.3f s  %.3f s  %.3f s  %.3f s  %.3f s  (%.3f)  %.3f s    %.1f×   %d MiB",
                    name, rows, read + (best["questions"] ?? 0), max(0, rowsPhase - read), best["statistics"] ?? 0,
                    best["json"] ?? 0, total, totals.max()!, bareBest, total / bareBest, DengaoBench.peakResidentMiB()))
        }
        print(
            "  (best of \(runs) by total. read: the store's walk alone, best of \(runs), plus the questions' rows; matrix: the"
        )
        print(
            "   request's read-and-build phase minus that walk; bare read: the same statements stepped, no column read)"
        )
        return 0
    }

    /// The reference: the same statements stepped to the end through a second connection, no column read.
    static func bareRows(_ pool: DatabasePool, _ statements: [(sql: String, arguments: StatementArguments)]) throws
        -> Int
    {
        try pool.read { db in
            var count = 0
            for (sql, arguments) in statements {
                let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                while try rows.next() != nil { count += 1 }
            }
            return count
        }
    }

    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(
            separator: " ") ?? "?"
    }
}
