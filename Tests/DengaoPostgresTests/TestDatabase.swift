import DengaoPostgres
import Foundation
import Logging
import PostgresNIO
import Testing

/// The PostgreSQL the tests run against: `DENGAO_TEST_POSTGRES_URL` (`scripts/postgres-test-cluster start` prints
/// one). Without it the suites are disabled, unless `DENGAO_REQUIRE_POSTGRES=1` (CI), when they run and fail saying
/// why: nothing is skipped where PostgreSQL is promised.
enum TestDatabase {
    static let environment = ProcessInfo.processInfo.environment
    static let url = environment["DENGAO_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let required = environment["DENGAO_REQUIRE_POSTGRES"] == "1"

    /// Whether the PostgreSQL suites run at all.
    static let enabled = url != nil || required

    struct NotConfigured: Error, CustomStringConvertible {
        var description: String {
            "DENGAO_REQUIRE_POSTGRES=1 but DENGAO_TEST_POSTGRES_URL is not set: start a cluster with "
                + "`scripts/postgres-test-cluster start` and export the URL it prints"
        }
    }

    /// The server's URL, or the failure saying it is missing.
    static func serverURL() throws -> String {
        guard let url else { throw NotConfigured() }
        return url
    }

    /// A new empty schema of its own for one test (tests run in parallel), and the store URL that puts tables in it.
    static func freshSchema() async throws -> (name: String, url: String) {
        let server = try serverURL()
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).lowercased()
        try await withAdmin { client in _ = try await client.query("CREATE SCHEMA \(unescaped: name)") }
        return (name, server + (server.contains("?") ? "&" : "?") + "search_path=" + name)
    }

    /// At most this many tests hold a store at once. Each open migrates a fresh schema; with every PostgreSQL case of
    /// the contract suites opening at once on a loaded two-core machine, opens queued past the store's 15 s open
    /// timeout. A test waits here before its open begins, so the timeout measures its own open only.
    static let storeSlots = TestSlots(count: 6)

    /// A store on a fresh schema, closed and dropped after `body`.
    static func withStore(_ body: (PostgresStore, _ schema: String) async throws -> Void) async throws {
        try await storeSlots.withSlot { try await withStoreNow(body) }
    }

    /// `withStore` without waiting for a slot.
    private static func withStoreNow(_ body: (PostgresStore, _ schema: String) async throws -> Void) async throws {
        let (schema, url) = try await freshSchema()
        let store = try await PostgresStore(url: url)
        do {
            try await body(store, schema)
            await store.close()
            try await drop(schema)
        } catch {
            await store.close()
            try? await drop(schema)
            throw error
        }
    }

    static func drop(_ schema: String) async throws {
        try await withAdmin { client in _ = try await client.query("DROP SCHEMA \(unescaped: schema) CASCADE") }
    }

    /// A client of the test server outside any store, for setting up and for doing damage; closed after `body`.
    static func withAdmin<T>(schema: String? = nil, _ body: (PostgresClient) async throws -> T) async throws -> T {
        var configuration = try PostgresStore.configuration(url: serverURL())
        if let schema { configuration.options.additionalStartupParameters.append(("search_path", schema)) }
        let client = PostgresClient(configuration: configuration)
        let running = Task { await client.run() }
        do {
            let result = try await body(client)
            running.cancel()
            await running.value
            return result
        } catch {
            running.cancel()
            await running.value
            throw error
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the suite where PostgreSQL is configured or required (see `TestDatabase`).
    static var postgres: Self {
        .enabled(
            if: TestDatabase.enabled,
            "needs PostgreSQL: set DENGAO_TEST_POSTGRES_URL (scripts/postgres-test-cluster start)")
    }
}

/// A counting semaphore for tests: `withSlot` runs its body once one of `count` slots is free, first come first served.
actor TestSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) { free = count }

    /// Runs `body` holding a slot, and frees it however `body` ends.
    nonisolated func withSlot<T>(_ body: () async throws -> T) async throws -> T {
        await take()
        do {
            let result = try await body()
            await give()
            return result
        } catch {
            await give()
            throw error
        }
    }

    private func take() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func give() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
