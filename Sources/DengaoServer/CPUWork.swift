import NIOCore
import NIOPosix

/// Runs CPU work — bcrypt, parsing an upload, building an export — on NIO's thread pool: it can take long enough
/// (a 100k-question workbook, a bcrypt of cost 12) to stall an event loop or starve Swift's cooperative pool, which
/// every request and room shares. Storage calls never come here; the backends run them where they belong.
func onCPUThreads<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(work)
}

/// Runs a report's counting (a whole activity's answers into tables, up to a second at the benchmarks' sizes) on
/// a thread pool of its own, so it queues behind other reports, never in front of a request's work: with reports
/// sharing the request pool, one organizer's open results page took a 1,000-member climb from 24 ms to 415 ms at
/// p50 (BENCHMARKS.md, "A report page's API while 1,000 members climb").
func reportWork<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await ReportThreads.pool.runIfActive(work)
}

/// The reports' counting threads: half the cores, at least one, started once and kept for the process's life (like
/// NIO's own singleton pool).
enum ReportThreads {
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount / 2))
        pool.start()
        return pool
    }()
}
