/// The journal's write path: what a live contest or campaign decided, in the order it was decided.
public protocol JournalStorage: Sendable {
    /// Writes `records` in order in one transaction (contest inputs with their status changes, answer rows and
    /// revealed points; campaign attempts' changes) and returns once that transaction is durable. All or nothing:
    /// when it throws, none of the records is written, and the journal acknowledges none of them.
    func writeJournal(_ records: [JournalRecord]) async throws
}

/// Everything Dengao keeps, as one backend (SQLite through `SQLiteStorage`; PostgreSQL through `PostgresStore`).
/// The server depends on this protocol, or on the narrower one a type needs, and never on a backend.
public protocol Storage: BankStorage, OrgStorage, MemberCategoryStorage, AccessStorage, ContestStorage, CampaignStorage,
    RoomLoadStorage, ReportStorage, JournalStorage, SurveyStorage
{
    /// Whether the database answers a trivial query now; for `/healthz`. Never throws: a lost database is false.
    func isHealthy() async -> Bool

    /// The names of the schema migrations applied, oldest first; for tests and diagnostics.
    func appliedMigrations() async throws -> [String]

    /// Bumped after every committed transaction that changed the roster (see `OrgStorage`), before the write
    /// returns to its caller.
    var rosterChanges: RosterChanges { get }
}
