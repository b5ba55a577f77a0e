import DengaoCore
import DengaoPostgres
import DengaoTestSupport
import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import DengaoServer

/// A PostgreSQL connection lost in the middle of a request is a 503 with the storage layer's Chinese-first words,
/// never a 500 with the driver's, and in the middle of a socket's commit an error frame in words; the server carries
/// on once the database answers again.
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
            // Another session holds the unit's row: the rename's transaction waits on it, mid-way.
            let (status, body) = try await Self.terminatingTheWaiter(
                on: "SELECT id FROM unit WHERE id = \(unit) FOR UPDATE", server: server, schema: schema
            ) {
                try await admin.send(.patch, "/api/units/\(unit)", json: ["name": "改名"]) {
                    ($0.status.code, String(buffer: $0.body))
                }
            }
            #expect(status == 503)
            #expect(body.contains("数据库暂时无法访问，请稍后再试 (the database is unavailable)"))
            #expect(!body.contains("PSQL") && !body.contains("57P01") && !body.contains("terminat"))
            // Nothing of the rename was written, and the pool has a fresh connection for the next request.
            #expect(try await store.orgTree().unit(unit)?.name == "机关党委")
            let again = try await admin.send(.patch, "/api/units/\(unit)", json: ["name": "改名"]) { $0.status.code }
            #expect(again == 200)
            #expect(try await store.orgTree().unit(unit)?.name == "改名")
            #expect(try await client.execute(uri: "/healthz", method: .get) { $0.status.code } == 200)
        }
    }

    /// A player's seat is committed through the journal before the welcome leaves; when that commit loses its
    /// connection the player gets the `not-saved` error frame in words (no welcome, none of the driver's), and
    /// the server still answers.
    @Test func aSeatWhoseCommitLosesItsConnectionIsANotSavedFrameInWords() async throws {
        let server = try #require(ProcessInfo.processInfo.environment["DENGAO_TEST_POSTGRES_URL"])
        let (schema, url) = try await TestBackend.freshSchema(on: server)
        let store = try await TestBackend.open(url)
        var configuration = demoConfiguration()
        configuration.storage = store
        configuration.storageIsNew = true
        try await store.createAccount(
            username: "root", displayName: nil, passwordHash: AccessTools.hashPassword(testPassword, cost: 4),
            role: .admin, unitId: nil)
        try await withLiveApp(configuration) { client in
            let admin = try await client.signIn("root")
            let contest = try await admin.createContest(ownerUnitId: nil, settings: sampleSettings())
            let branches: [Int] = try await client.execute(uri: "/api/join/\(contest.contest.pin)", method: .get) {
                let object = try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as! [String: Any]
                return (object["branches"] as! [[String: Any]]).map { $0["id"] as! Int }
            }
            let port = try #require(client.port)
            let (player, pin) = (WSPeer(port: port), contest.contest.pin)
            // Seats are written last in a join's journal batch: holding the table's writes stops it there.
            let (code, text) = try await Self.terminatingTheWaiter(
                on: "LOCK TABLE contestSeat IN SHARE MODE", server: server, schema: schema
            ) {
                player.send(["type": "join", "pin": pin, "name": "张三", "branchId": branches[0]])
                let frame = try await player.next("error", timeout: .seconds(60))
                return (frame["code"] as? String, frame["message"] as? String)
            }
            #expect(code == "not-saved")
            let message = try #require(text)
            #expect(message.hasPrefix("未能保存"))
            #expect(!message.contains("PSQL") && !message.contains("57P01") && !message.contains("terminat"))
            await player.close()
            #expect(try await client.execute(uri: "/healthz", method: .get) { $0.status.code } == 200)
        }
    }

    /// Runs `request` while another session holds what `lockSQL` locks in `schema`, terminates the backend found
    /// waiting on it (`pg_terminate_backend`; bounded: 30 s on a loaded machine), and returns what `request`
    /// returned. The holding session is rolled back whatever happens.
    static func terminatingTheWaiter<T: Sendable>(
        on lockSQL: String, server: String, schema: String, _ request: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await TestBackend.withServer(server, schema: schema) { database in
            try await database.withConnection { blocker in
                let logger = Logger(label: "test")
                try await blocker.query("BEGIN", logger: logger)
                try await blocker.query("\(unescaped: lockSQL)", logger: logger)
                let blockerPid = try await blocker.query("SELECT pg_backend_pid()", logger: logger).collect()[0]
                    .decode(Int32.self)
                let task = Task { try await request() }
                do {
                    var victim: Int32?
                    let deadline = ContinuousClock.now + .seconds(30)
                    while victim == nil, ContinuousClock.now < deadline {
                        victim = try await database.query(
                            "SELECT pid FROM pg_stat_activity WHERE \(blockerPid) = ANY(pg_blocking_pids(pid))"
                        ).collect().first?.decode(Int32.self)
                        if victim == nil { try await Task.sleep(for: .milliseconds(20)) }
                    }
                    let pid = try #require(victim, "the request never waited on what the other session holds")
                    _ = try await database.query("SELECT pg_terminate_backend(\(pid))").collect()
                    let result = try #require(
                        await within(.seconds(60)) { await task.result },
                        "the request did not return within 60 s of its connection being terminated")
                    try await blocker.query("ROLLBACK", logger: logger)
                    return try result.get()
                } catch {
                    try await blocker.query("ROLLBACK", logger: logger)
                    _ = await within(.seconds(60)) { await task.result }
                    throw error
                }
            }
        }
    }
}
