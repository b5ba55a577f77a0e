import DengaoCore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Dengao's store on PostgreSQL: the same methods as the SQLite `Store` (names, labels, types), made `async`,
/// over postgres-nio's `PostgresClient` and its connection pool. Opening it brings the schema up to date.
///
/// Every public method is one transaction (or one statement) named for what it does; no PostgresNIO type leaves
/// this target except the client configuration a caller may build themselves.
public final class PostgresStore: Sendable {
    let client: PostgresClient
    /// The client's `run()`, which its pool needs to lease connections; cancelled by `close()`.
    private let running: Task<Void, Never>
    let logger: Logger
    /// The report reads' share of the pool (a quarter of its connections).
    let reports: ReportGate
    /// Bumped after every committed roster write (see `lockRoster`).
    public let rosterChanges = RosterChanges()
    /// Sessions read in the last few seconds, emptied by every write transaction of this store once it commits
    /// (`transaction(keepsSessions:)`): this process's sign-outs and revocations reach the very next request, and
    /// another process's (a `dengao` command, another node) within `sessionMaximumAge`, since nothing is held longer.
    let recentSessions: SessionMemory
    /// How many leased connections one call may find already closed before anything was sent, and so run again
    /// on the next (`transaction`): one call can be handed each of the pool's connections at most twice before the
    /// pool has learned of its close (once more while the close's last step is still queued on its event loop).
    let staleLeaseLimit: Int
    private let created = Atomic<Bool>(false)

    /// Connects with `configuration` (see `configuration(url:)`) and migrates the schema, waiting for any other
    /// process migrating the same database first. Fails with `PostgresFailure.unreachable` when that has not
    /// finished within `openTimeout`: the pool itself retries a refused connection for a minute before it gives up.
    ///
    /// `sessionMaximumAge` bounds how late a sign-out or revocation committed by another process is seen (zero reads
    /// every session from the database); this process's own are seen at once (`recentSessions`).
    public init(
        configuration: PostgresClient.Configuration, logger: Logger? = nil, openTimeout: Duration = .seconds(15),
        sessionMaximumAge: TimeInterval = PostgresStore.sessionMaximumAge
    ) async throws {
        var configuration = configuration
        // Every commit of the store is durable when it returns, whatever the server's or role's default: the
        // journal acknowledges answers on it. Set once per connection instead of a round trip per transaction.
        configuration.options.additionalStartupParameters.append(("synchronous_commit", "on"))
        recentSessions = SessionMemory(capacity: Self.sessionCacheCapacity, maximumAge: sessionMaximumAge)
        let logger = logger ?? Logger(label: "dengao.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        reports = ReportGate(permits: configuration.options.maximumConnections / 4)
        staleLeaseLimit = 2 * configuration.options.maximumConnections
        running = Task { await client.run() }
        let target = "\(configuration.host ?? configuration.unixSocketPath ?? "?"):\(configuration.port ?? 5432)"
        do {
            let migrator = PostgresMigrator(store: self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { if try await migrator.migrate() { self.created.store(true, ordering: .relaxed) } }
                group.addTask {
                    try await Task.sleep(for: openTimeout)
                    throw PostgresFailure.unreachable("\(target) did not answer within \(openTimeout)")
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        } catch {
            running.cancel()
            await running.value
            // A connection that fails while opening (the pool gave up first) is the same news as the timeout.
            if case .connectionLost(let detail) = PostgresFailure.from(error) {
                throw PostgresFailure.unreachable("\(target): \(detail)")
            }
            if case .unavailable(let detail) = error as? StorageError {
                throw PostgresFailure.unreachable("\(target): \(detail)")
            }
            throw error
        }
    }

    /// Connects to `postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE` and migrates.
    public convenience init(
        url: String, logger: Logger? = nil, openTimeout: Duration = .seconds(15),
        sessionMaximumAge: TimeInterval = PostgresStore.sessionMaximumAge
    ) async throws {
        try await self.init(
            configuration: try Self.configuration(url: url), logger: logger, openTimeout: openTimeout,
            sessionMaximumAge: sessionMaximumAge)
    }

    /// How long a session read from the database answers lookups by default: another process's sign-out or
    /// revocation reaches this one's requests at most this late.
    public static let sessionMaximumAge: TimeInterval = 10
    /// At most this many sessions are held in memory.
    public static let sessionCacheCapacity = 100_000

    /// Whether this open found the schema empty and created it (then the server adds the sample banks).
    public var wasCreated: Bool { created.load(ordering: .relaxed) }

    /// Closes the pool's connections; the store answers nothing afterwards.
    public func close() async {
        running.cancel()
        await running.value
    }

    deinit { running.cancel() }

    /// The names of the migrations applied, oldest first; for tests and `dengao` diagnostics.
    public func appliedMigrations() async throws -> [String] {
        let applied = Set(try await values("SELECT name FROM dengao_migrations", as: String.self))
        return PostgresMigrations.all.map(\.name).filter(applied.contains)
    }

    /// Whether the database answers a trivial query; for `/healthz`.
    public func isHealthy() async -> Bool {
        (try? await values("SELECT 1", as: Int.self)) == [1]
    }
}

extension PostgresStore {
    /// The client configuration a `postgresql://` (or `postgres://`) URL names. Query items: `sslmode=disable`,
    /// `prefer` (the default) or `require`; `search_path=SCHEMA` puts the store's tables in that (existing) schema.
    public static func configuration(url text: String) throws -> PostgresClient.Configuration {
        guard let url = URLComponents(string: text), url.scheme == "postgresql" || url.scheme == "postgres",
            let host = url.host, !host.isEmpty, let user = url.user, !user.isEmpty
        else {
            throw StorageError.invalid(
                "数据库地址应为 postgresql://用户@主机:端口/数据库 (the database URL must look like postgresql://USER@HOST:PORT/DATABASE)"
            )
        }
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        var configuration = PostgresClient.Configuration(
            host: host, port: url.port ?? 5432, username: user.removingPercentEncoding ?? user,
            password: url.password?.removingPercentEncoding, database: database.isEmpty ? nil : database,
            tls: .prefer(.makeClientConfiguration()))
        for item in url.queryItems ?? [] {
            switch (item.name, item.value) {
            case ("sslmode", "disable"): configuration.tls = .disable
            case ("sslmode", "require"): configuration.tls = .require(.makeClientConfiguration())
            case ("sslmode", "prefer"): break
            case ("search_path", let schema?) where !schema.isEmpty:
                configuration.options.additionalStartupParameters.append(("search_path", schema))
            default:
                throw StorageError.invalid("数据库地址含有不支持的参数 \(item.name) (unsupported URL parameter \(item.name))")
            }
        }
        return configuration
    }
}
