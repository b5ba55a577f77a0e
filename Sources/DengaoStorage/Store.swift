import DengaoCore
import Foundation
import GRDB

/// Dengao's SQLite database: one file in the data directory, opened once, migrated on open.
///
/// Every public method is one transaction named for what it does; no GRDB type leaves this target.
public struct Store: Sendable {
    let pool: DatabasePool
    public let path: String
    /// Whether this open created the database file: a fresh data directory, which gets the sample banks.
    public let wasCreated: Bool
    /// Bumped by every committed write to the roster, for the copies of it that running campaigns keep.
    public let rosterChanges: RosterChanges
    /// Feeds `rosterChanges` from the database's own commit notifications.
    let rosterObservation: RosterObservation
    /// Live sessions in memory, emptied by the database's own commits whenever one may have ended.
    public let sessionCache: SessionCache

    /// The database file inside a data directory.
    public static let fileName = "dengao.sqlite"

    /// Opens (creating if needed) the database in `directory` and brings its schema up to date.
    public init(directory: String, sessionCacheCapacity: Int = Store.sessionCacheCapacity) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try self.init(
            path: (directory as NSString).appendingPathComponent(Store.fileName),
            sessionCacheCapacity: sessionCacheCapacity)
    }

    /// Sessions a store keeps in memory at most (about 200 bytes each).
    public static let sessionCacheCapacity = 100_000

    public init(path: String, sessionCacheCapacity: Int = Store.sessionCacheCapacity) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // A CLI command may run while the server holds the database; wait for its write rather than failing.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // FULL, not WAL's usual NORMAL: NORMAL may lose the last commits on power loss, and Dengao promises that
            // an acknowledged import or answer survives. Group commit (many rows per fsync) keeps FULL fast.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // A 100k-question import is one transaction of ~100 MB; with SQLite's default 2 MB cache its pages spill
            // to the WAL mid-transaction and are written more than once. The cache grows only as it is used.
            try db.execute(sql: "PRAGMA cache_size = -131072")
        }
        wasCreated = !FileManager.default.fileExists(atPath: path)
        pool = try DatabasePool(path: path, configuration: configuration)
        self.path = path
        try Store.migrator.migrate(pool)
        rosterChanges = RosterChanges()
        rosterObservation = RosterObservation(watching: pool, counting: rosterChanges)
        sessionCache = SessionCache(capacity: sessionCacheCapacity, epoch: AccessEpoch(path: path + "-access"))
        let revocations = SessionRevocations(cache: sessionCache)
        pool.add(transactionObserver: revocations, extent: .databaseLifetime)
    }

    /// The names of the migrations applied, oldest first; for tests and `dengao` diagnostics.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Store.migrator.appliedMigrations(db) }
    }

    /// Whether the database answers a trivial query; for `/healthz`.
    public func isHealthy() -> Bool {
        (try? pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }
}
