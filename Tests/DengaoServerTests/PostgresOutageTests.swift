import DengaoCore
import DengaoPostgres
import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import DengaoServer

/// A PostgreSQL connection lost in the middle of a request is a 503 with the storage layer's Chinese-first words,
/// never a 500 with the driver's, and the server carries on once the database answers again.
@Suite(
    .enabled(
        if: ProcessInfo.processInfo.environment["DENGAO_TEST_POSTGRES_URL"].map { !$0.isEmpty } == true
            || ProcessInfo.processInfo.environment["DENGAO_REQUIRE_POSTGRES"] == "1",
        "needs PostgreSQL: set DENGAO_TEST_POSTGRES_URL (scripts/postgres-test-cluster start)"))
struct PostgresOutageTests {
    @Test func aConnectionLostMidRequestIsA503InWordsAndTheNextRequestWorks() async throws {
        let server = try #require(ProcessInfo.processInfo.environment["DENGAO_TEST_POSTGRES_URL"])
        let (schema, url) = try await TestBackend.freshSchema(on: server)
        let store = try await TestBackend.open(url)
        let unit = try await store.createUnit(name: "机关党委", parentId: nil).id
        var configuration = testConfiguration(samples: "/nonexistent")
        configuration.storage = store
        try await store.createAccount(
            username: "root", displayName: nil, passwordHash: AccessTools.hashPassword(testPassword, cost: 4),
            role: .admin, unitId: nil)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            try await TestBackend.withServer(server, schema: schema) { database in
                try await database.withConnection { blocker in
                    let logger = Logger(label: "test")
                    // Another session holds the unit's row: the rename's transaction waits on it, mid-way.
                    try await blocker.query("BEGIN", logger: logger)
                    try await blocker.query("SELECT id FROM unit WHERE id = \(unit) FOR UPDATE", logger: logger)
                    let blockerPid = try await blocker.query("SELECT pg_backend_pid()", logger: logger).collect()[0]
                        .decode(Int32.self)
                    let rename = Task {
                        try await admin.send(.patch, "/api/units/\(unit)", json: ["name": "改名"]) {
                            ($0.status.code, String(buffer: $0.body))
                        }
                    }
                    var victim: Int32?
                    let deadline = ContinuousClock.now + .seconds(30)
                    while victim == nil, ContinuousClock.now < deadline {
                        victim = try await database.query(
                            "SELECT pid FROM pg_stat_activity WHERE \(blockerPid) = ANY(pg_blocking_pids(pid))"
                        ).collect().first?.decode(Int32.self)
                        if victim == nil { try await Task.sleep(for: .milliseconds(20)) }
                    }
                    let pid = try #require(victim, "the rename never waited on the held row")
                    _ = try await database.query("SELECT pg_terminate_backend(\(pid))").collect()
                    let (status, body) = try await rename.value
                    try await blocker.query("ROLLBACK", logger: logger)
                    #expect(status == 503)
                    #expect(body.contains("数据库暂时无法访问，请稍后再试 (the database is unavailable)"))
                    #expect(!body.contains("PSQL") && !body.contains("57P01") && !body.contains("terminat"))
                }
            }
            // Nothing of the rename was written, and the pool has a fresh connection for the next request.
            #expect(try await store.orgTree().unit(unit)?.name == "机关党委")
            let again = try await admin.send(.patch, "/api/units/\(unit)", json: ["name": "改名"]) { $0.status.code }
            #expect(again == 200)
            #expect(try await store.orgTree().unit(unit)?.name == "改名")
            #expect(try await client.execute(uri: "/healthz", method: .get) { $0.status.code } == 200)
        }
    }
}
