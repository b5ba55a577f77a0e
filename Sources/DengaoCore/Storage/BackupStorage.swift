/// Online backups of the database while the server uses it, for the server's scheduled ones. SQLite only
/// (`SQLiteStorage`); a PostgreSQL deployment backs up with `pg_dump` and has no scheduled backups here.
public protocol BackupStorage: Sendable {
    /// Writes a consistent, checked copy of the database to `path` (replacing a file there only once the copy is
    /// checked) and returns its size in bytes. Writes committed after the copy began may or may not be in it.
    func backup(to path: String) async throws -> Int64
}
