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

    /// Runs `work` on one of the pool's threads and returns its result; a file that cannot be written now is
    /// `StorageError.unavailable` (`SQLiteFailure`).
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await SQLiteFailure.mapping { try await pool.runIfActive(work) }
    }

    /// Runs a streaming read on one of the pool's threads: `read` calls `body` for each row while the caller stays
    /// suspended, as `ReportStorage` promises.
    func streaming<Row>(
        _ body: (Row) throws -> Void, _ read: @escaping @Sendable (_ body: (Row) throws -> Void) throws -> Void
    ) async throws {
        try await withoutActuallyEscaping(body) { body in
            try await run(lending: body) { body in try read(body) }
        }
    }

    /// Runs `work` on one of the pool's threads with `closure`, a caller's non-escaping closure (made escaping by
    /// `withoutActuallyEscaping`), and lets go of it before returning: the pool may keep its work item a moment after
    /// the result is handed back, and `withoutActuallyEscaping` traps if the closure is still referenced then.
    func run<Closure, T: Sendable>(lending closure: Closure, _ work: @escaping @Sendable (Closure) throws -> T)
        async throws -> T
    {
        let lent = Lent(closure)
        return try await run { try lent.use(work) }
    }
}

/// Carries a caller's closure to the pool's thread and drops it after its one use.
///
/// `@unchecked Sendable` is safe because of how `run(lending:)` uses it: the caller is suspended in `run` until the
/// work returns; the work runs on one thread, calls `use` once, and clears the value before returning; so the value
/// (and the caller state its closure captures) is never touched by two threads at once, and the pool's hand-off
/// orders the accesses before and after.
private final class Lent<Value>: @unchecked Sendable {
    private var value: Value?

    init(_ value: Value) { self.value = value }

    func use<T>(_ work: (Value) throws -> T) throws -> T {
        defer { value = nil }
        guard let value else { preconditionFailure("a lent closure is used once") }
        return try work(value)
    }
}
