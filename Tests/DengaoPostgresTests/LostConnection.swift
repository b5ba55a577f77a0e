import DengaoCore
import Foundation
import PostgresNIO
import Synchronization
import Testing

/// Losing a write's PostgreSQL connection in the middle of its transaction, at a point the test chooses: another
/// session holds what the write needs next (a row, or a whole table's writes), the write's backend is found waiting
/// on it and terminated (`pg_terminate_backend`), as a restart or a dropped network would.
enum LostConnection {
    /// The lock that holds off every insert, update and delete of `table` while letting reads (and foreign keys'
    /// `FOR KEY SHARE`) through: a write that touches `table` last has done the rest of its transaction when it waits.
    static func writes(to table: String) -> String { "LOCK TABLE \(table) IN SHARE MODE" }

    /// Runs `write` while another session holds what `lockSQL` locks, terminates the write's backend once it
    /// waits on it (found through `pg_blocking_pids`; bounded: 30 s on a loaded machine), and returns how `write`
    /// ended. The holding session is rolled back whatever happens.
    static func terminated<T: Sendable>(
        whileWaitingOn lockSQL: String, schema: String, _ write: @escaping @Sendable () async throws -> T
    ) async throws -> Result<T, any Error> {
        try await TestDatabase.withAdmin(schema: schema) { admin in
            try await admin.withConnection { blocker in
                try await blocker.query("BEGIN", logger: .init(label: "test"))
                try await blocker.query("\(unescaped: lockSQL)", logger: .init(label: "test"))
                let blockerPid = try await blocker.query("SELECT pg_backend_pid()", logger: .init(label: "test"))
                    .collect()[0].decode(Int32.self)
                let task = Task { try await write() }
                do {
                    var victim: Int32?
                    let deadline = ContinuousClock.now + .seconds(30)
                    while victim == nil, ContinuousClock.now < deadline {
                        victim = try await admin.query(
                            "SELECT pid FROM pg_stat_activity WHERE \(blockerPid) = ANY(pg_blocking_pids(pid))"
                        ).collect().first?.decode(Int32.self)
                        if victim == nil { try await Task.sleep(for: .milliseconds(20)) }
                    }
                    let pid = try #require(victim, "the write never waited on what the other session holds")
                    _ = try await admin.query("SELECT pg_terminate_backend(\(pid))").collect()
                    let outcome = try #require(
                        await Self.within(.seconds(30)) { await task.result },
                        "the write did not return within 30 s of its connection being terminated")
                    try await blocker.query("ROLLBACK", logger: .init(label: "test"))
                    return outcome
                } catch {
                    try await blocker.query("ROLLBACK", logger: .init(label: "test"))
                    _ = await Self.within(.seconds(30)) { await task.result }
                    throw error
                }
            }
        }
    }

    /// Expects the storage boundary's "unavailable", in words, of a write whose connection was lost.
    static func expectUnavailable<T>(
        _ outcome: Result<T, any Error>, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        #expect(throws: StorageError.self, sourceLocation: sourceLocation) { try outcome.get() }
        if case .failure(let error as StorageError) = outcome {
            #expect(error.category == .unavailable, sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix("数据库暂时无法访问"), sourceLocation: sourceLocation)
            #expect(!error.description.contains("PSQLError"), sourceLocation: sourceLocation)
        }
    }

    /// `body`'s value, or nil if it has not returned after `limit`: a wait that fails a test instead of hanging it.
    /// `body` runs in a task of its own, cancelled then and otherwise left (a statement waiting for an answer
    /// that never comes does not end when cancelled).
    static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async -> T) async -> T? {
        let first = FirstOf<T?>()
        let value = await withCheckedContinuation { continuation in
            first.wait(continuation)
            first.hold(Task { first.finish(with: await body()) })
            first.hold(
                Task {
                    try? await Task.sleep(for: limit)
                    first.finish(with: nil)
                })
        }
        first.cancel()
        return value
    }
}

/// Whichever of two tasks finishes first resumes the waiter; both are cancelled once it has resumed.
final class FirstOf<Value: Sendable>: Sendable {
    private let state = Mutex<(waiter: CheckedContinuation<Value, Never>?, tasks: [Task<Void, Never>])>((nil, []))

    func wait(_ waiter: CheckedContinuation<Value, Never>) { state.withLock { $0.waiter = waiter } }

    func hold(_ task: Task<Void, Never>) { state.withLock { $0.tasks.append(task) } }

    func finish(with value: Value) {
        state.withLock { $0.waiter.take() }?.resume(returning: value)
    }

    func cancel() {
        for task in state.withLock({ $0.tasks }) { task.cancel() }
    }
}
