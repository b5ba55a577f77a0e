import Foundation
import PostgresNIO

/// Brings the schema up to date in one transaction that first takes a transaction-scoped advisory lock: of several
/// processes (or stores) starting at once on the same database, one migrates while the others wait, then find every
/// migration recorded and apply none. The lock goes with the transaction, so a process that dies mid-migration
/// holds nothing and leaves nothing half-applied (PostgreSQL's DDL is transactional).
struct PostgresMigrator {
    let store: PostgresStore

    /// Applies what is missing; returns whether the schema was empty (no migration applied before).
    func migrate() async throws -> Bool {
        try await store.transaction { sql in
            try await sql.execute(
                "SELECT pg_advisory_xact_lock(\(PostgresMigrations.lockKey), hashtext(coalesce(current_schema(), '')))")
            try await sql.execute(
                "CREATE TABLE IF NOT EXISTS \(unescaped: PostgresMigrations.table) (name TEXT PRIMARY KEY, appliedAt TEXT NOT NULL)"
            )
            // Read after the lock: under READ COMMITTED this sees whatever the previous holder committed.
            let applied = Set(
                try await sql.values("SELECT name FROM \(unescaped: PostgresMigrations.table)", as: String.self))
            for migration in PostgresMigrations.all where !applied.contains(migration.name) {
                for statement in migration.statements { try await sql.execute(PostgresQuery(unsafeSQL: statement)) }
                try await sql.execute(
                    "INSERT INTO \(unescaped: PostgresMigrations.table) (name, appliedAt) VALUES (\(migration.name), \(StoredDate.text(Date())))"
                )
            }
            return applied.isEmpty
        }
    }
}
