import DengaoCore
import Logging
import PostgresNIO
import Synchronization

/// One leased connection, inside a transaction the store opened: the statements of one store method.
struct SQL {
    /// Every statement goes through it: none is sent on a connection already closed (`OpenConnectionSend`).
    private let send: OpenConnectionSend
    let logger: Logger
    /// What the transaction did that matters once it commits.
    let notes = TransactionNotes()

    init(connection: PostgresConnection, logger: Logger) {
        send = OpenConnectionSend(connection)
        self.logger = logger
    }

    /// Runs a statement and returns its rows as they arrive, for readers that hand them on one by one.
    func query(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        try await send.query(query, logger: logger)
    }

    /// Runs a statement, discarding any rows.
    func execute(_ query: PostgresQuery) async throws {
        _ = try await self.query(query).collect()
    }

    /// Runs a statement and returns how many rows it returned: with `RETURNING 1`, how many it changed
    /// (PostgresNIO's async API does not expose the command tag's count).
    func count(_ query: PostgresQuery) async throws -> Int {
        try await self.query(query).collect().count
    }

    /// Every row, decoded as the given column types.
    func rows<each Column: PostgresDecodable>(_ query: PostgresQuery, as types: (repeat each Column).Type) async throws
        -> [(repeat each Column)]
    {
        var decoded: [(repeat each Column)] = []
        for try await row in try await self.query(query) { decoded.append(try row.decode(types)) }
        return decoded
    }

    /// The first row, if any.
    func row<each Column: PostgresDecodable>(_ query: PostgresQuery, as types: (repeat each Column).Type) async throws
        -> (repeat each Column)?
    {
        try await rows(query, as: types).first
    }

    /// The first column of every row (a variadic pack of one is a 1-tuple, not the type: hence this overload).
    func values<Value: PostgresDecodable>(_ query: PostgresQuery, as type: Value.Type) async throws -> [Value] {
        var decoded: [Value] = []
        for try await row in try await self.query(query) { decoded.append(try row.decode(type)) }
        return decoded
    }

    /// The first column of the first row, if any.
    func value<Value: PostgresDecodable>(_ query: PostgresQuery, as type: Value.Type) async throws -> Value? {
        try await values(query, as: type).first
    }

    /// What a transaction-scoped advisory lock serializes, among the stores of one schema.
    enum Lock: Int64 {
        case contestPINs = 1, roster = 2, accounts = 3, invitations = 4, memberCategories = 5
    }

    /// Takes `lock` until the transaction ends. The key is the lock's number within the current schema (the
    /// one-bigint form, apart from the migration lock's two-int form): installations in different schemas of one
    /// database never wait on each other.
    func lock(_ lock: Lock) async throws {
        try await execute(
            "SELECT pg_advisory_xact_lock((hashtext(coalesce(current_schema(), ''))::bigint << 8) + \(lock.rawValue))")
    }

    /// The raw rows, for readers that decode by column name.
    func rawRows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await self.query(query).collect()
    }
}

extension PostgresStore {
    /// Runs `body` in one transaction on one pooled connection: committed if it returns, rolled back if it throws.
    /// A `StorageError` thrown inside reaches the caller as is; PostgresNIO's errors become `PostgresFailure`s.
    ///
    /// A pooled connection the server has already dropped (a restart, `pg_terminate_backend`) is only found out when
    /// used. When it is found closed before `BEGIN` was sent (`OpenConnectionSend`), nothing at all was sent: the
    /// transaction is run again on the next connection the pool gives, as often as `staleLeaseLimit` allows (the
    /// pool may hand the same closed connection out once more before it learns of the close). A transaction whose
    /// `BEGIN` fails on the wire for that reason, or a read-only one that loses its connection, sent nothing that
    /// could commit, so it is run once more on a fresh connection instead of failing the caller.
    ///
    /// `retrying` false turns that second run off, for reads that hand rows to their caller as they arrive.
    ///
    /// A write empties `recentSessions` once it has committed (or may have), before it returns: any write may end a
    /// session, so no revoking method can forget to. `keepsSessions` exempts the few that cannot and run often (the
    /// journal, a new session).
    func transaction<Result: Sendable>(
        readOnly: Bool = false, retrying: Bool = true, keepsSessions: Bool = false, _ body: (SQL) async throws -> Result
    ) async throws -> Result {
        let endsSessions = !readOnly && !keepsSessions
        var (staleLeases, retried) = (0, false)
        while true {
            do {
                return try await attempt(readOnly: readOnly, endsSessions: endsSessions, body)
            } catch let failed as Attempt {
                if failed.sentNothing, staleLeases < staleLeaseLimit {
                    staleLeases += 1
                } else if retrying, !retried {
                    retried = true
                } else {
                    throw boundary(failed.failure)
                }
            } catch {
                throw boundary(error)
            }
        }
    }

    /// What a failure means at the storage boundary: a lost connection is `StorageError.unavailable` (the server
    /// answers 503 and says so in words, never the driver's), logged here with the driver's detail. A statement the
    /// server refused stays a `PostgresFailure`, for the method that expects it (a foreign key) to map.
    func storageError(_ failure: PostgresFailure) -> any Error {
        guard case .connectionLost(let detail) = failure else { return failure }
        logger.error("PostgreSQL connection lost", metadata: ["detail": "\(detail)"])
        return StorageError.unavailable("the connection was lost; nothing was acknowledged")
    }

    /// `error` as it leaves the store: a `PostgresFailure` as `storageError` says, anything else as it is.
    private func boundary(_ error: any Error) -> any Error {
        (error as? PostgresFailure).map(storageError) ?? error
    }

    /// Runs `body`, which sends exactly one statement, on a pooled connection without `BEGIN` and `COMMIT`:
    /// PostgreSQL runs a lone statement as a transaction of its own (one snapshot for a read, committed before it
    /// answers for a write), so the two extra round trips buy nothing. Every request's session lookup is one: its
    /// three round trips were most of a climbing request's. A statement not sent because its connection had closed
    /// runs on the next one, as `transaction`'s do; a read whose connection was lost runs once more, as
    /// `transaction`'s reads do; a write does not (it may have committed). A write sent this way must end no
    /// session: it does not empty `recentSessions` (sliding a session's expiry is the one).
    func statement<Result: Sendable>(readOnly: Bool, _ body: (SQL) async throws -> Result) async throws -> Result {
        var (retries, staleLeases) = (readOnly ? 1 : 0, 0)
        while true {
            do {
                return try await client.withConnection { connection in
                    try await body(SQL(connection: connection, logger: logger))
                }
            } catch {
                if error is ClosedBeforeSending, staleLeases < staleLeaseLimit {
                    staleLeases += 1
                    continue
                }
                guard let failure = PostgresFailure.from(error) else { throw error }
                if case .connectionLost = failure, retries > 0 {
                    retries -= 1
                    continue
                }
                throw storageError(failure)
            }
        }
    }

    /// A failed attempt at a transaction that sent nothing that could commit: safe to run again. `sentNothing`:
    /// not even `BEGIN` was sent, the connection had closed before.
    private struct Attempt: Error {
        var failure: any Error
        var sentNothing = false
    }

    private func attempt<Result: Sendable>(
        readOnly: Bool, endsSessions: Bool, _ body: (SQL) async throws -> Result
    ) async throws -> Result {
        var begun = false
        // After a COMMIT whose answer was lost the transaction may have committed: the cache is emptied then too.
        defer { if endsSessions, begun { recentSessions.clear() } }
        do {
            return try await client.withConnection { connection in
                let sql = SQL(connection: connection, logger: logger)
                // Reads see one snapshot, as a SQLite read transaction does.
                try await sql.execute(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN")
                begun = true
                do {
                    let result = try await body(sql)
                    try await sql.execute("COMMIT")
                    if sql.notes.changedRoster { rosterChanges.recordCommit() }
                    return result
                } catch {
                    // The server rolls back a transaction whose connection it loses; no ROLLBACK is sent then (none
                    // could reach it).
                    if case .connectionLost = PostgresFailure.from(error) {
                        throw error
                    }
                    try? await sql.execute("ROLLBACK")
                    throw error
                }
            }
        } catch let attempt as Attempt {
            throw attempt.failure
        } catch {
            let mapped = PostgresFailure.from(error) ?? error
            if case .connectionLost = mapped as? PostgresFailure, readOnly || !begun {
                throw Attempt(failure: mapped, sentNothing: !begun && error is ClosedBeforeSending)
            }
            throw mapped
        }
    }

    /// A read in one snapshot.
    func read<Result: Sendable>(_ body: (SQL) async throws -> Result) async throws -> Result {
        try await transaction(readOnly: true, body)
    }

    /// A report's read in one snapshot, once `reports` lets it have a connection.
    func reportRead<Result: Sendable>(retrying: Bool = true, _ body: (SQL) async throws -> Result) async throws
        -> Result
    {
        await reports.enter()
        do {
            let result = try await transaction(readOnly: true, retrying: retrying, body)
            await reports.leave()
            return result
        } catch {
            await reports.leave()
            throw error
        }
    }

    /// The first column of a single statement's rows, outside any explicit transaction; a read, run again as
    /// `statement` says.
    func values<Value: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: Value.Type) async throws
        -> [Value]
    {
        try await statement(readOnly: true) { sql in try await sql.values(query, as: type) }
    }
}

/// What a transaction did that the store acts on after it commits (a roster write bumps `rosterChanges`).
final class TransactionNotes: Sendable {
    private let roster = Atomic<Bool>(false)

    /// Marks the transaction as one that writes the roster.
    func noteRosterChange() { roster.store(true, ordering: .relaxed) }

    var changedRoster: Bool { roster.load(ordering: .relaxed) }
}
