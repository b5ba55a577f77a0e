import DengaoPostgres
import Foundation
import PostgresNIO
import Testing

/// `dengao` on PostgreSQL as a real process: `--database` and `$DENGAO_DATABASE_URL` choose it, a bad URL or an
/// unreachable server is one line and a non-zero exit, and `migrate-data` copies a SQLite installation into an empty
/// database only. Runs where `DENGAO_TEST_POSTGRES_URL` is set (or `DENGAO_REQUIRE_POSTGRES=1`, then it fails).
@Suite(
    .enabled(
        if: ProcessInfo.processInfo.environment["DENGAO_TEST_POSTGRES_URL"].map { !$0.isEmpty } == true
            || ProcessInfo.processInfo.environment["DENGAO_REQUIRE_POSTGRES"] == "1",
        "needs PostgreSQL: set DENGAO_TEST_POSTGRES_URL (scripts/postgres-test-cluster start)"))
struct PostgresCLITests {
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("dengao")
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("DengaoCoreTests/Fixtures")

    /// Runs `dengao` with `environment` added to this process's, waiting for it on a thread of its own.
    static func dengao(_ arguments: [String], environment: [String: String] = [:]) async throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        try await offCooperativeThreads { try runDengao(arguments, environment: environment) }
    }

    /// `dengao`'s blocking part.
    private static func runDengao(_ arguments: [String], environment: [String: String]) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        try ChildProcess.run(executable.path, arguments, environment: environment)
    }

    /// A URL on a new empty schema of the test server.
    static func freshDatabase() async throws -> String {
        guard let server = ProcessInfo.processInfo.environment["DENGAO_TEST_POSTGRES_URL"], !server.isEmpty else {
            throw CancellationError()
        }
        let name = "c_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).lowercased()
        let client = PostgresClient(configuration: try PostgresStore.configuration(url: server))
        let running = Task { await client.run() }
        defer { running.cancel() }
        _ = try await client.query("CREATE SCHEMA \(unescaped: name)")
        return server + (server.contains("?") ? "&" : "?") + "search_path=" + name
    }

    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("dengao-cli-pg-\(UUID().uuidString)").path
    }

    @Test func theDatabaseOptionAndTheEnvironmentChoosePostgreSQL() async throws {
        let url = try await Self.freshDatabase()
        let data = Self.temporaryDirectory()
        let bank = Self.fixtures.appendingPathComponent("valid-chinese.xlsx").path
        let imported = try await Self.dengao(["import", bank, "--bank", "党史", "--data", data, "--database", url])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("imported 5 questions into \"党史\" version 1"))
        // Nothing went to SQLite.
        #expect(!FileManager.default.fileExists(atPath: data + "/dengao.sqlite"))
        let listed = try await Self.dengao(["banks", "--data", data], environment: ["DENGAO_DATABASE_URL": url])
        #expect(listed.status == 0 && listed.stdout.contains("党史  version 1  5 questions"))
        let user = try await Self.dengao(
            ["user", "add", "chief", "--admin", "--data", data], environment: ["DENGAO_DATABASE_URL": url])
        #expect(user.status == 0 && user.stdout.contains("created administrator \"chief\""))
        let users = try await Self.dengao(["user", "list", "--data", data, "--database", url])
        #expect(users.stdout.contains("chief\tadmin"))
    }

    @Test func aBadURLOrAnUnreachableServerIsOneLineAndAFailure() async throws {
        let bad = try await Self.dengao(["banks", "--database", "mysql://root@127.0.0.1/dengao"])
        #expect(bad.status != 0)
        #expect(bad.stderr.hasPrefix("error: 数据库地址应为 postgresql://"))
        #expect(bad.stderr.split(separator: "\n").count == 1)
        let unreachable = try await Self.dengao([
            "banks", "--database", "postgresql://postgres@127.0.0.1:1/none?sslmode=disable",
        ])
        #expect(unreachable.status != 0)
        #expect(unreachable.stderr.hasPrefix("error: 无法连接数据库 (could not connect to the database): 127.0.0.1:1"))
        #expect(unreachable.stderr.split(separator: "\n").count == 1)
    }

    @Test func migrateDataCopiesIntoAnEmptyDatabaseOnlyAndTheCopyServes() async throws {
        let data = Self.temporaryDirectory()
        let bank = Self.fixtures.appendingPathComponent("valid-chinese.xlsx").path
        #expect(try await Self.dengao(["import", bank, "--bank", "党史", "--data", data]).status == 0)
        #expect(try await Self.dengao(["import", bank, "--bank", "党史", "--data", data]).status == 0)
        #expect(try await Self.dengao(["user", "add", "chief", "--admin", "--data", data]).status == 0)
        let url = try await Self.freshDatabase()
        let copied = try await Self.dengao(["migrate-data", "--data", data, "--to", url])
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(copied.stdout.contains("question\t10 rows\tchecksum "))
        #expect(copied.stdout.contains("bankversion\t2 rows"))
        #expect(copied.stdout.contains("account\t1 rows"))
        #expect(copied.stdout.contains("both sides agree"))
        let listed = try await Self.dengao(["banks", "--database", url])
        #expect(listed.stdout.contains("党史  version 2  5 questions"))
        // A new bank on PostgreSQL gets the next id after the copied ones (the sequences were moved on).
        #expect(try await Self.dengao(["import", bank, "--bank", "新题库", "--database", url]).status == 0)
        // Not into a database that holds rows: refused, nothing changed.
        let again = try await Self.dengao(["migrate-data", "--data", data, "--to", url])
        #expect(again.status != 0)
        #expect(again.stderr.contains("目标数据库不是空的"))
        #expect(try await Self.dengao(["banks", "--database", url]).stdout.contains("新题库  version 1"))
        // Nor from a directory without a database.
        let missing = try await Self.dengao(["migrate-data", "--data", Self.temporaryDirectory(), "--to", url])
        #expect(missing.status != 0 && missing.stderr.contains("找不到要迁移的数据库"))
    }
}
