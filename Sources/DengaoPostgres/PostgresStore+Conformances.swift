import DengaoCore

// The storage protocols, implemented whole: the server runs on PostgreSQL through `any Storage`.
extension PostgresStore: BankStorage {}
extension PostgresStore: OrgStorage {}
extension PostgresStore: MemberCategoryStorage {}
extension PostgresStore: AccessStorage {}
extension PostgresStore: ContestStorage {}
extension PostgresStore: CampaignStorage {}
extension PostgresStore: RoomLoadStorage {}
extension PostgresStore: ReportStorage {}
extension PostgresStore: JournalStorage {}
extension PostgresStore: Storage {}
extension PostgresStore: SurveyStorage {}
