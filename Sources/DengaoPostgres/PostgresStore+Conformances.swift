import DengaoCore

// The storage protocols the PostgreSQL store implements whole so far. `OrgStorage` (bulk invitations) and
// `ReportStorage` (the report readers) are not yet complete, so `PostgresStore` is not yet a `Storage` and the
// server cannot run on it; docs/storage.md lists what is missing.
extension PostgresStore: BankStorage {}
extension PostgresStore: AccessStorage {}
extension PostgresStore: ContestStorage {}
extension PostgresStore: CampaignStorage {}
extension PostgresStore: RoomLoadStorage {}
extension PostgresStore: JournalStorage {}
