import DengaoCore
import DengaoStorage
import Foundation
import PostgresNIO
import Testing

@testable import DengaoPostgres

/// The schema on a real PostgreSQL: every SQLite migration, once, however many stores start together.
@Suite(.postgres) struct MigrationTests {
    @Test func aFreshDatabaseGetsEverySQLiteMigrationInOrder() async throws {
        let sqlite = try Store(
            directory: FileManager.default.temporaryDirectory.appendingPathComponent("pg-migrations-\(UUID())").path)
        try await TestDatabase.withStore { store, _ in
            let applied = try await store.appliedMigrations()
            #expect(applied == (try sqlite.appliedMigrations()))
            #expect(applied.count == 11)
            #expect(await store.isHealthy())
        }
    }

    @Test func storesStartingTogetherMigrateOnce() async throws {
        let (schema, url) = try await TestDatabase.freshSchema()
        // Eight stores open the same empty schema at once; without the advisory lock they would race to create the
        // same tables and most would fail.
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<8 { group.addTask { try await PostgresStore(url: url) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(stores.count == 8)
        for store in stores {
            let applied = try await store.appliedMigrations()
            #expect(applied.count == 11)
        }
        let (records, tables) = try await TestDatabase.withAdmin(schema: schema) { client in
            let records = try await client.query("SELECT count(*), count(DISTINCT name) FROM dengao_migrations")
                .collect().first!.decode((Int, Int).self)
            let tables = try await client.query(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = \(schema) ORDER BY 1"
            ).collect().map { try $0.decode(String.self) }
            return (records, tables)
        }
        #expect(records.0 == 11 && records.1 == 11)
        // The SQLite schema's 26 tables (names folded to lower case), plus the migrations' record.
        let sqliteTables = [
            "account", "bank", "bankVersion", "campaign", "campaignAnswer", "campaignAttempt",
            "campaignAttemptQuestion",
            "contest", "contestAnswer", "contestEvent", "contestQuestion", "contestSeat", "invitation", "member",
            "memberActiveSpan", "memberCategory", "memberCategorySpan", "memberPlacement", "question", "roomLoad",
            "roomSetAside", "session", "survey", "surveyRespondent", "surveyResponse", "unit",
        ]
        #expect(tables == (sqliteTables.map { $0.lowercased() } + ["dengao_migrations"]).sorted())
        for store in stores { await store.close() }
        // Opening again applies nothing.
        let again = try await PostgresStore(url: url)
        let applied = try await again.appliedMigrations()
        #expect(applied.count == 11)
        await again.close()
        try await TestDatabase.drop(schema)
    }

    /// A schema the release before left (migrated through v9, its own list) gets v11 on opening: 离退休党员 opens
    /// its members' pages in 大字, the organization's other categories do not.
    @Test func anUpgradedListMarksOnlyTheUsualRetiredCategory() async throws {
        let (schema, url) = try await TestDatabase.freshSchema()
        try await TestDatabase.withAdmin(schema: schema) { client in
            _ = try await client.query(
                "CREATE TABLE \(unescaped: PostgresMigrations.table) (name TEXT PRIMARY KEY, appliedAt TEXT NOT NULL)")
            for migration in PostgresMigrations.all {
                for statement in migration.statements {
                    _ = try await client.query(PostgresQuery(unsafeSQL: statement))
                }
                _ = try await client.query(
                    "INSERT INTO \(unescaped: PostgresMigrations.table) (name, appliedAt) VALUES (\(migration.name), '2026-01-01')"
                )
                if migration.name.hasPrefix("v9:") { break }
            }
            _ = try await client.query(
                "INSERT INTO memberCategory (name, position) VALUES ('机关在职党员', 1), ('离退休党员', 2), ('流动党员', 3)")
        }
        let store = try await PostgresStore(url: url)
        let flags = Dictionary(uniqueKeysWithValues: try await store.memberCategories().map { ($0.name, $0.largeText) })
        #expect(flags == ["机关在职党员": false, "离退休党员": true, "流动党员": false])
        #expect(try await store.appliedMigrations().contains("v11: member categories' large-text default"))
        await store.close()
        try await TestDatabase.drop(schema)
    }

    @Test func aURLThatIsNotPostgresIsRefusedClearly() {
        #expect(throws: StorageError.self) { try PostgresStore.configuration(url: "mysql://u@h/db") }
        #expect(throws: StorageError.self) { try PostgresStore.configuration(url: "postgresql://u@h/db?colour=blue") }
        #expect(throws: Never.self) {
            try PostgresStore.configuration(url: "postgresql://u:p%40ss@127.0.0.1:5433/db?sslmode=disable")
        }
    }

    @Test func anUnreachableServerFailsTheOpenWithinItsTimeout() async throws {
        // Port 1 on loopback: nothing listens, every connection is refused at once, and the pool keeps retrying for
        // a minute; the open gives up after its own timeout and says the server is unreachable.
        do {
            _ = try await PostgresStore(
                url: "postgresql://postgres@127.0.0.1:1/none?sslmode=disable", openTimeout: .seconds(1))
            Issue.record("a store opened on a port where nothing listens")
        } catch let failure as PostgresFailure {
            guard case .unreachable(let detail) = failure else {
                Issue.record("expected unreachable, got \(failure)")
                return
            }
            #expect(detail.contains("127.0.0.1:1"))
            #expect(failure.description.hasPrefix("无法连接数据库"))
        }
    }
}
