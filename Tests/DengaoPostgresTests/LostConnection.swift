import DengaoCore
import DengaoTestSupport
import Foundation
import PostgresNIO
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
                        await within(.seconds(30)) { await task.result },
                        "the write did not return within 30 s of its connection being terminated")
                    try await blocker.query("ROLLBACK", logger: .init(label: "test"))
                    return outcome
                } catch {
                    try await blocker.query("ROLLBACK", logger: .init(label: "test"))
                    _ = await within(.seconds(30)) { await task.result }
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
}
