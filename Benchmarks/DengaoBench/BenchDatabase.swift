import DengaoCore
import DengaoPostgres
import DengaoStorage
import Foundation
import PostgresNIO
import Synchronization

/// The database behind a benchmark: the SQLite file in its data directory, or (`--database URL`) a fresh schema of
/// the run's own in that PostgreSQL database, dropped by `close()`. The benchmark seeds and reads it through the
/// same `Storage` protocols the server uses, so one code path measures both backends.
final class BenchDatabase: Sendable {
    let storage: any Storage
    /// The flags that point `dengao serve` at the same database.
    let serverArguments: [String]
    /// Which backend, for the printed figures.
    let backend: String
    private let postgres: (store: PostgresStore, url: String, schema: String)?

    private init(
        storage: any Storage, serverArguments: [String], backend: String,
        postgres: (store: PostgresStore, url: String, schema: String)?
    ) {
        self.storage = storage
        self.serverArguments = serverArguments
        self.backend = backend
        self.postgres = postgres
    }

    /// SQLite in `directory`, or a new schema in the PostgreSQL database `postgresURL` names.
    static func open(directory: String, postgresURL: String?) async throws -> BenchDatabase {
        guard let postgresURL else {
            return BenchDatabase(
                storage: SQLiteStorage(try Store(directory: directory)), serverArguments: [], backend: "SQLite",
                postgres: nil)
        }
        let schema = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await withClient(postgresURL) { client in _ = try await client.query("CREATE SCHEMA \(unescaped: schema)") }
        let url = postgresURL + (postgresURL.contains("?") ? "&" : "?") + "search_path=" + schema
        let store = try await PostgresStore(url: url)
        return BenchDatabase(
            storage: store, serverArguments: ["--database", url], backend: "PostgreSQL",
            postgres: (store, postgresURL, schema))
    }

    /// Closes the PostgreSQL pool and drops the run's schema; nothing for SQLite (its directory goes with the run).
    func close() async {
        guard let postgres else { return }
        await postgres.store.close()
        do {
            try await Self.withClient(postgres.url) { client in
                _ = try await client.query("DROP SCHEMA \(unescaped: postgres.schema) CASCADE")
            }
        } catch {
            say("could not drop the benchmark's schema \(postgres.schema): \(error)")
        }
    }

    /// A PostgreSQL client of `url` outside any store (schemas are made and dropped from outside them).
    private static func withClient(_ url: String, _ body: (PostgresClient) async throws -> Void) async throws {
        let client = PostgresClient(configuration: try PostgresStore.configuration(url: url))
        let running = Task { await client.run() }
        do {
            try await body(client)
        } catch {
            running.cancel()
            await running.value
            throw error
        }
        running.cancel()
        await running.value
    }
}

/// Runs `work` to its end from the benchmarks' synchronous code, whose threads wait in sleep loops anyway: the
/// seeding and reading around a measured run, never the measured requests themselves.
func waitFor<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let done = DispatchSemaphore(value: 0)
    let outcome = Mutex<Result<T, any Error>?>(nil)
    Task.detached {
        let result: Result<T, any Error>
        do { result = .success(try await work()) } catch { result = .failure(error) }
        outcome.withLock { $0 = result }
        done.signal()
    }
    done.wait()
    return try outcome.withLock { $0! }.get()
}
