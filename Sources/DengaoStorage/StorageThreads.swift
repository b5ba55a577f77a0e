import NIOCore
import NIOPosix

/// A thread pool the SQLite backend runs its synchronous GRDB calls on.
public struct StorageThreads: Sendable {
    let pool: NIOThreadPool

    /// Short calls: NIO's process-wide pool, one thread per core, started once and kept for the process's life.
    public static let calls = StorageThreads(pool: .singleton)

    /// Report reads: half the cores, at least one, started once and kept for the process's life. Reports queue
    /// behind each other here, never in front of a request's short calls.
    public static let reports: StorageThreads = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount / 2))
        pool.start()
        return StorageThreads(pool: pool)
    }()

    /// Runs `work` on one of the pool's threads and returns its result.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(work)
    }

    /// Runs a streaming read on one of the pool's threads: `read` calls `body` for each row while the caller stays
    /// suspended, as `ReportStorage` promises.
    func streaming<Row>(
        _ body: (Row) throws -> Void, _ read: @escaping @Sendable (_ body: (Row) throws -> Void) throws -> Void
    ) async throws {
        try await withoutActuallyEscaping(body) { body in
            let handOver = UncheckedBody(body: body)
            try await run { try read(handOver.body) }
        }
    }
}

/// Carries a non-Sendable streaming body to the pool's thread.
///
/// Safe because of how `streaming` uses it: the caller is suspended in `run` until the read returns, the read calls
/// the body on one thread, one call at a time, and nothing keeps the body after `run` returns; so the body's
/// captured state is never touched by two threads at once, and the pool's hand-off orders its accesses.
private struct UncheckedBody<Row>: @unchecked Sendable {
    let body: (Row) throws -> Void
}
