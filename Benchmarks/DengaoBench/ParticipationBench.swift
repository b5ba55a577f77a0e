import DengaoCore
import DengaoServer
import DengaoStorage
import Foundation
import GRDB

/// `dengao-bench participation [--members 100000] [--days 30] [--runs 3]`: the organization-wide participation
/// report over a real SQLite file.
///
/// Fills a fresh store (1 committee, 10 general branches, 50 branches under each, members spread over the branches,
/// each taking part in a campaign on a day with probability 0.3), then times what the report endpoint does
/// (`ParticipationFigures.read`): read the tree, the roster history and the activity of the range and of the range
/// before it, and count every day, the whole range and the range before by the participation rule. The reference in the same run is the bare read of the same rows with nothing done to them.
/// Prints both, their ratio, and the peak RSS of the report (the peak is reset after the fill).
enum ParticipationBench {
    static func run(_ arguments: [String]) async -> Int32 {
        var members = 100_000, days = 30, runs = 3
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            guard let value = rest.popFirst().flatMap({ Int($0) }), value > 0 else {
                print("usage: dengao-bench participation [--members N] [--days D] [--runs R]")
                return 64
            }
            switch argument {
            case "--members": members = value
            case "--days": days = min(value, 366)
            case "--runs": runs = value
            default:
                print("usage: dengao-bench participation [--members N] [--days D] [--runs R]")
                return 64
            }
        }
        do {
            return try await measure(members: members, days: days, runs: runs)
        } catch {
            print("participation benchmark failed: \(error)")
            return 1
        }
    }

    static func measure(members: Int, days: Int, runs: Int) async throws -> Int32 {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dengao-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Store(directory: directory.path)
        let first = CampaignDay("2026-11-01")!
        let range = ReportPeriod.days(first, CampaignDay("2027-12-31")!).prefix(days)
        let last = range.last!
        let fillStart = ContinuousClock.now
        let attempts = try fill(
            databaseAt: directory.appendingPathComponent("dengao.sqlite").path, members: members, days: Array(range))
        print(
            "participation benchmark: \(members) members, \(days) days, \(attempts) attempts, release build,"
                + " \(ProcessInfo.processInfo.activeProcessorCount) cores (fill \(DengaoBench.seconds(ContinuousClock.now - fillStart)) s)"
        )

        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let bareReader = try DatabasePool(path: directory.appendingPathComponent("dengao.sqlite").path)
        // The peak of the report itself, not of the fill: "5" resets VmHWM (proc(5), clear_refs).
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        var reportTimes: [Double] = [], bareTimes: [Double] = []
        var figures = Participation.Tally()
        for _ in 0..<runs {
            let start = ContinuousClock.now
            let read = try await ParticipationFigures.read(
                storage: SQLiteStorage(store), unit: nil, first: first, last: last, length: .day, timeZone: zone,
                names: false)
            reportTimes.append(seconds(ContinuousClock.now - start))
            figures = read.report.overall.total

            let bareStart = ContinuousClock.now
            let rows = try bareReportRead(bareReader, from: first, through: last)
            bareTimes.append(seconds(ContinuousClock.now - bareStart))
            precondition(rows > 0)
        }
        let report = reportTimes.min()!, bare = bareTimes.min()!
        print(
            String(
                format:
                    "  report (read + count %d days, the range and the range before): best %.3f s, worst %.3f s of %d runs",
                days, report, reportTimes.max()!, runs))
        print(String(format: "  bare read of the same rows:                  best %.3f s", bare))
        print(
            String(
                format: "  ratio %.1f×; peak RSS of the report %d MiB; overall %d of %d members took part (%.1f%%)",
                report / bare,
                DengaoBench.peakResidentMiB(), figures.participants, figures.roster, figures.rate * 100))
        return 0
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Writes the organization, its members and their attempts straight into the store's file, in one transaction.
    static func fill(databaseAt path: String, members: Int, days: [CampaignDay]) throws -> Int {
        let queue = try DatabaseQueue(path: path)
        var random = SplitMix64(seed: 12)
        return try queue.write { db in
            let created = Date(timeIntervalSince1970: 1_700_000_000)
            try db.execute(sql: "INSERT INTO unit (id, name, createdAt) VALUES (1, '党委', ?)", arguments: [created])
            var branches: [Int64] = []
            var next: Int64 = 2
            for general in 1...10 {
                let generalId = next
                next += 1
                try db.execute(
                    sql: "INSERT INTO unit (id, parentId, name, createdAt) VALUES (?, 1, ?, ?)",
                    arguments: [generalId, "第\(general)党总支", created])
                for branch in 1...50 {
                    try db.execute(
                        sql: "INSERT INTO unit (id, parentId, name, createdAt) VALUES (?, ?, ?, ?)",
                        arguments: [next, generalId, "第\(branch)支部", created])
                    branches.append(next)
                    next += 1
                }
            }
            try db.execute(
                sql:
                    "INSERT INTO campaign (id, title, settings, seed, displayTokenHash, createdAt) VALUES (1, '登高', '{}', 1, 'bench', ?)",
                arguments: [created])
            let member = try db.makeStatement(
                sql: "INSERT INTO member (id, number, name, unitId, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)")
            let placement = try db.makeStatement(
                sql: "INSERT INTO memberPlacement (memberId, unitId, since) VALUES (?, ?, ?)")
            let span = try db.makeStatement(sql: "INSERT INTO memberActiveSpan (memberId, since) VALUES (?, ?)")
            let attempt = try db.makeStatement(
                sql:
                    "INSERT INTO campaignAttempt (campaignId, memberId, seq, unitId, level, day, seed, startedAt, status) VALUES (1, ?, ?, ?, 1, ?, 1, 0, 'passed')"
            )
            var attempts = 0
            for id in 1...members {
                let unit = branches[id % branches.count]
                try member.execute(arguments: [id, String(format: "M%07d", id), "党员\(id)", unit, created, created])
                try placement.execute(arguments: [id, unit, created])
                try span.execute(arguments: [id, created])
                var seq = 0
                for day in days where random.next() % 10 < 3 {
                    seq += 1
                    try attempt.execute(arguments: [id, seq, unit, day.description])
                }
                attempts += seq
            }
            return attempts
        }
    }
}

/// The reference: the rows the report reads, fetched and counted, nothing else (a second connection to the same file).
func bareReportRead(_ pool: DatabasePool, from first: CampaignDay, through last: CampaignDay) throws -> Int {
    try pool.read { db in
        var count = 0
        for sql in [
            "SELECT memberId, unitId, since, until FROM memberPlacement",
            "SELECT memberId, since, until FROM memberActiveSpan",
            "SELECT id, number, name FROM member",
        ] {
            let rows = try Row.fetchCursor(db, sql: sql)
            while try rows.next() != nil { count += 1 }
        }
        let rows = try Row.fetchCursor(
            db, sql: "SELECT DISTINCT memberId, day FROM campaignAttempt WHERE day BETWEEN ? AND ?",
            arguments: [first.description, last.description])
        while try rows.next() != nil { count += 1 }
        return count
    }
}
