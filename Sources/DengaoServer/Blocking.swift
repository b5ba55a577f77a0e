import DengaoCore
import DengaoStorage
import NIOCore
import NIOPosix

/// Runs parsing, hashing and SQLite work on NIO's thread pool so it never blocks the event loops, and maps store
/// refusals to HTTP errors.
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    do {
        return try await NIOThreadPool.singleton.runIfActive(work)
    } catch let error as StorageError {
        throw APIError(error)
    }
}

/// Runs a report or an export (a read of whole activities and their counting, up to a second at the sizes the
/// benchmarks use) on a thread pool of its own. Every request's session lookup and every short store call go
/// through `blocking`, whose pool has one thread per core; with a report holding one of them, every request's
/// session lookup and touch (a write, which can wait for the journal's write lock) had what was left (a
/// 1,000-member climb went from 24 ms to 415 ms at p50 with one organizer's results page open; BENCHMARKS.md).
/// Reports queue behind each other here, never in front of a request.
func reporting<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    do {
        return try await ReportThreads.pool.runIfActive(work)
    } catch let error as StorageError {
        throw APIError(error)
    }
}

/// The reports' threads: half the cores, at least one, started once and kept for the process's life (like NIO's
/// own singleton pool).
enum ReportThreads {
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount / 2))
        pool.start()
        return pool
    }()
}
