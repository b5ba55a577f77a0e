import DengaoCore
import Foundation
import GRDB
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Live sessions by token hash, so a request finds its session in memory instead of reading three joined tables on a
/// storage thread (the climbing benchmark's requests each paid that; BENCHMARKS.md).
///
/// Revocation stays immediate without any revoking code path having to remember the cache: `SessionRevocations`
/// watches the database's own commits and empties the cache, before the revoking write returns to its caller,
/// whenever a committed transaction deleted a session or changed an account, a member or an invitation (sign-out,
/// password change, a disabled account or member, a revoked link, a member moved to another branch). Expiry is
/// checked against each cached session's `expiresAt` on every lookup (`SessionMemory`, shared with PostgreSQL's
/// store). Writes from another process on the same file (a `dengao` CLI command such as `dengao user passwd` while
/// the server runs) are seen through `AccessEpoch`, one `fstat` per lookup. The server itself is a single process per
/// SQLite file (`DataDirectoryLock`).
public final class SessionCache: Sendable {
    private let memory: SessionMemory
    /// The epoch file's stamp when the memory was last found current. Held while a lookup compares it and reads the
    /// memory, so no lookup answers from memory that another lookup has just found out of date.
    private let seenEpoch = Mutex<AccessEpoch.Stamp?>(nil)
    /// Nil when the epoch file cannot be used: then nothing is cached, since another process's revocation could
    /// not be seen.
    let epoch: AccessEpoch?

    init(capacity: Int, epoch: AccessEpoch?) {
        memory = SessionMemory(capacity: epoch == nil ? 0 : capacity)
        self.capacity = capacity
        self.epoch = epoch
    }

    /// At most this many sessions are kept.
    public let capacity: Int

    /// How many sessions are cached now.
    public var count: Int { memory.count }

    /// The cached live session of a token hash, or nil: not cached, expired at `date`, or something changed.
    func lookup(_ tokenHash: String, at date: Date) -> SessionView? {
        guard let stamp = epoch?.stamp() else { return nil }
        return seenEpoch.withLock { seen in
            guard seen == stamp else {
                memory.clear()
                seen = stamp
                return nil
            }
            return memory.lookup(tokenHash, at: date)
        }
    }

    /// The generation to hand back to `remember` after reading a session from the database.
    func generation() -> Int { memory.generation() }

    /// Keeps a session read from the database at `date`, unless the cache was cleared since `generation` was taken.
    func remember(_ session: SessionView, tokenHash: String, at date: Date, generation: Int) {
        memory.remember(session, tokenHash: tokenHash, at: date, generation: generation)
    }

    /// Records a slid expiry, so the next request neither slides it again nor sees the old expiry.
    func touched(id: Int64, lastSeenAt: Date, expiresAt: Date) {
        memory.touched(id: id, lastSeenAt: lastSeenAt, expiresAt: expiresAt)
    }

    /// Forgets every session: something that decides whether one is live changed.
    func clear() { memory.clear() }
}

/// Empties a `SessionCache` after every committed transaction that could end or change a session, and tells other
/// processes through the `AccessEpoch`. Runs on the writer's queue, right after the commit and before the write
/// returns to its caller.
final class SessionRevocations: TransactionObserver, Sendable {
    /// Tables whose every change may end a session or change its principal.
    static let principalTables: Set<String> = ["account", "member", "invitation"]
    /// The session columns sliding an expiry writes; an update of only these ends nothing.
    static let slidingColumns: Set<String> = ["lastseenat", "expiresat"]

    let cache: SessionCache
    /// Whether the transaction under way changed something that matters; touched only on the writer's queue.
    private let pending = Atomic<Bool>(false)

    init(cache: SessionCache) { self.cache = cache }

    /// Inserts into the principal tables count too: SQLite reports a row replaced by `INSERT OR REPLACE` as an insert
    /// alone, without the deletion.
    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        switch eventKind {
        case .insert(let table): Self.principalTables.contains(table.lowercased())
        case .delete(let table): table.lowercased() == "session" || Self.principalTables.contains(table.lowercased())
        case .update(let table, let columns):
            table.lowercased() == "session"
                ? !Set(columns.map { $0.lowercased() }).isSubset(of: Self.slidingColumns)
                : Self.principalTables.contains(table.lowercased())
        }
    }

    func databaseDidChange(with event: DatabaseEvent) {
        pending.store(true, ordering: .relaxed)
        stopObservingDatabaseChangesUntilNextTransaction()
    }

    func databaseDidCommit(_ db: Database) {
        guard pending.exchange(false, ordering: .relaxed) else { return }
        cache.clear()
        cache.epoch?.advance()
    }

    func databaseDidRollback(_ db: Database) { pending.store(false, ordering: .relaxed) }
}

/// A file beside the database that grows by one byte whenever any process commits a change that may end a session:
/// its size (and modification time) is a counter every process can read with one `fstat`, without a database read.
/// Appends are atomic (`O_APPEND`), so two processes advancing it at once both count; it is never truncated, so the
/// size never repeats (one byte per sign-out or revocation: a few MB over years).
///
/// Hand-written because SQLite offers no cross-process change counter that skips one's own writes
/// (`PRAGMA data_version` moves with every commit, and a server commits many times a second).
final class AccessEpoch: Sendable {
    /// What `fstat` says of the file; a different stamp means some process advanced it.
    struct Stamp: Equatable {
        var size: Int
        var seconds: Int
        var nanoseconds: Int
    }

    private let descriptor: Int32

    /// Opens (creating) the file, or nil when it cannot be.
    init?(path: String) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    func stamp() -> Stamp? {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        return Stamp(
            size: Int(status.st_size), seconds: Int(status.st_mtim.tv_sec), nanoseconds: Int(status.st_mtim.tv_nsec))
    }

    func advance() {
        var byte: UInt8 = 0x2E
        _ = write(descriptor, &byte, 1)
    }
}
