import DengaoCore
import DengaoPostgres
import DengaoStorage
import Foundation
import PostgresNIO
import Synchronization

@testable import DengaoServer

/// The backend the server suites run on: SQLite (the default), or PostgreSQL with `DENGAO_TEST_BACKEND=postgres`
/// and `DENGAO_TEST_POSTGRES_URL` (`scripts/postgres-test-cluster start`).
///
/// Tests prepare their data through the SQLite `Store` in the configuration's data directory. On PostgreSQL, the
/// first start of an app on a data directory copies that installation into a fresh schema of its own
/// (`PostgresStore.copy(from:)`, what `dengao migrate-data` does) and serves from it; later starts on the same data
/// directory (a restart) reopen that schema. What a test then reads back through the SQLite file directly is not on
/// PostgreSQL: those tests are the SQLite backend's own.
enum TestBackend {
    static let environment = ProcessInfo.processInfo.environment
    static let isPostgres = environment["DENGAO_TEST_BACKEND"] == "postgres"

    /// The store each data directory was copied into; a restart on the same directory serves from it again.
    private static let stores = Mutex<[String: PostgresStore]>([:])

    struct NotConfigured: Error, CustomStringConvertible {
        var description: String {
            "DENGAO_TEST_BACKEND=postgres needs DENGAO_TEST_POSTGRES_URL (scripts/postgres-test-cluster start)"
        }
    }

    /// `configuration` with its storage chosen for this run: unchanged on SQLite; on PostgreSQL, a store on the data
    /// directory's own schema, copied from the SQLite installation there at the first start.
    static func prepared(_ configuration: AppConfiguration) async throws -> AppConfiguration {
        guard isPostgres, configuration.storage == nil else { return configuration }
        return try await onPostgres(configuration)
    }

    /// Whether a test that runs on both backends itself (whatever `DENGAO_TEST_BACKEND` says) runs on PostgreSQL too.
    static let postgresReachable =
        environment["DENGAO_TEST_POSTGRES_URL"].map { !$0.isEmpty } ?? false
        || environment["DENGAO_REQUIRE_POSTGRES"] == "1"

    /// `configuration` served from PostgreSQL: the data directory's SQLite installation copied into a schema of its
    /// own at the first start, the same store afterwards.
    static func onPostgres(_ configuration: AppConfiguration) async throws -> AppConfiguration {
        guard let server = environment["DENGAO_TEST_POSTGRES_URL"], !server.isEmpty else { throw NotConfigured() }
        var configuration = configuration
        if let store = stores.withLock({ $0[configuration.dataDirectory] }) {
            configuration.storage = store
            configuration.storageIsNew = false
            return configuration
        }
        let source = try Store(directory: configuration.dataDirectory)
        let store = try await open(try await freshSchema(on: server).url)
        _ = try await store.copy(from: source)
        stores.withLock { $0[configuration.dataDirectory] = store }
        configuration.storage = store
        configuration.storageIsNew = source.wasCreated
        return configuration
    }

    /// A new empty schema on the test server, its name and the URL that puts a store's tables in it.
    static func freshSchema(on server: String) async throws -> (name: String, url: String) {
        let name = "s_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).lowercased()
        try await withServer(server) { client in _ = try await client.query("CREATE SCHEMA \(unescaped: name)") }
        return (name, server + (server.contains("?") ? "&" : "?") + "search_path=" + name)
    }

    /// A client of the test server outside any store (in `schema` when given), closed after `body`.
    static func withServer<T>(_ server: String, schema: String? = nil, _ body: (PostgresClient) async throws -> T)
        async throws -> T
    {
        var configuration = try PostgresStore.configuration(url: server)
        if let schema { configuration.options.additionalStartupParameters.append(("search_path", schema)) }
        let client = PostgresClient(configuration: configuration)
        let running = Task { await client.run() }
        defer { running.cancel() }
        return try await body(client)
    }

    /// Where the data of `configuration`'s installation is now: the PostgreSQL store an app on it was started with,
    /// else the SQLite database in its data directory. For reading back what an app wrote.
    static func storage(_ configuration: AppConfiguration) throws -> any Storage {
        if let store = stores.withLock({ $0[configuration.dataDirectory] }) { return store }
        return SQLiteStorage(try Store(directory: configuration.dataDirectory))
    }

    /// A store with a small pool: many suites run at once against one server with a bounded number of connections.
    static func open(_ url: String) async throws -> PostgresStore {
        var configuration = try PostgresStore.configuration(url: url)
        configuration.options.maximumConnections = 3
        // Stores stay registered for the run; idle connections go back soon so the server's slots last.
        configuration.options.connectionIdleTimeout = .seconds(2)
        return try await PostgresStore(configuration: configuration, openTimeout: .seconds(120))
    }
}
