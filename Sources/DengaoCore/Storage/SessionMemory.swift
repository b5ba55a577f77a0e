import Foundation
import Synchronization

/// Live sessions by token hash, kept in memory so a request need not read its session from the database: bounded in
/// size, each session answered only until its own `expiresAt` (and, when `maximumAge` is set, only that long after it
/// was read), and emptied whole by `clear()`. The lookups' time comes in as a parameter.
///
/// The backends share it and differ only in what calls `clear()`: SQLite's `SessionCache` from the database's commit
/// notifications and another process's writes; PostgreSQL's store after each of its own write transactions, with
/// `maximumAge` bounding how late another process's revocation is seen.
public final class SessionMemory: Sendable {
    private let table: Mutex<SessionTable>

    /// At most `capacity` sessions; each answers lookups for at most `maximumAge` after it was read (nil: until it
    /// expires or the memory is cleared). A capacity or maximum age of zero keeps nothing.
    public init(capacity: Int, maximumAge: TimeInterval? = nil) {
        table = Mutex(SessionTable(capacity: capacity, maximumAge: maximumAge))
    }

    /// How many sessions are held now.
    public var count: Int { table.withLock { $0.count } }

    /// The held live session of a token hash at `date`, or nil (see `SessionTable.lookup`).
    public func lookup(_ tokenHash: String, at date: Date) -> SessionView? {
        table.withLock { $0.lookup(tokenHash, at: date) }
    }

    /// The generation to hand back to `remember` after reading a session from the database.
    public func generation() -> Int { table.withLock { $0.generation } }

    /// Keeps a session read from the database at `date`, unless the memory was cleared since `generation` was taken.
    public func remember(_ session: SessionView, tokenHash: String, at date: Date, generation: Int) {
        table.withLock { $0.remember(session, tokenHash: tokenHash, at: date, generation: generation) }
    }

    /// Records a slid expiry, so the next request neither slides it again nor sees the old expiry.
    public func touched(id: Int64, lastSeenAt: Date, expiresAt: Date) {
        table.withLock { $0.touched(id: id, lastSeenAt: lastSeenAt, expiresAt: expiresAt) }
    }

    /// Forgets every session: something that decides whether one is live may have changed.
    public func clear() { table.withLock { $0.clear() } }
}

/// The rules of `SessionMemory`, as a value: what is kept, for how long, and which reads may still be kept after a
/// clear.
public struct SessionTable: Sendable {
    private var sessions: [String: (session: SessionView, readAt: Date)] = [:]
    /// Token hash by session id, for `touched`.
    private var hashes: [Int64: String] = [:]
    /// Bumped by every clear: a read that began before a revocation must not store what it read.
    public private(set) var generation = 0
    /// At most this many sessions are kept; a full table forgets one at random for each one it adds.
    public let capacity: Int
    /// How long after it was read a session answers lookups; nil: until it expires or the table is cleared.
    public let maximumAge: TimeInterval?

    public init(capacity: Int, maximumAge: TimeInterval? = nil) {
        self.capacity = capacity
        self.maximumAge = maximumAge
    }

    /// How many sessions are held now.
    public var count: Int { sessions.count }

    /// The held session of a token hash, or nil: not held, expired at `date`, or (with a maximum age) read too long
    /// ago or, by `date`, before it was read. A session that no longer answers is forgotten.
    public mutating func lookup(_ tokenHash: String, at date: Date) -> SessionView? {
        guard let (session, readAt) = sessions[tokenHash] else { return nil }
        var live = session.expiresAt > date
        if let maximumAge {
            // A clock that went back is as suspect as one far ahead: read again.
            live = live && date >= readAt && date.timeIntervalSince(readAt) < maximumAge
        }
        guard live else {
            forget(tokenHash)
            return nil
        }
        return session
    }

    /// Keeps a session read from the database at `date`, unless the table was cleared since `generation` was taken.
    public mutating func remember(_ session: SessionView, tokenHash: String, at date: Date, generation: Int) {
        guard capacity > 0, (maximumAge ?? .infinity) > 0, self.generation == generation else { return }
        if sessions[tokenHash] == nil, sessions.count >= capacity, let evicted = sessions.keys.randomElement() {
            forget(evicted)
        }
        if let previous = sessions[tokenHash], previous.session.id != session.id { hashes[previous.session.id] = nil }
        sessions[tokenHash] = (session, date)
        hashes[session.id] = tokenHash
    }

    /// Records a slid expiry of a held session.
    public mutating func touched(id: Int64, lastSeenAt: Date, expiresAt: Date) {
        guard let hash = hashes[id] else { return }
        sessions[hash]?.session.lastSeenAt = lastSeenAt
        sessions[hash]?.session.expiresAt = expiresAt
    }

    /// Forgets every session and starts a new generation.
    public mutating func clear() {
        sessions.removeAll()
        hashes.removeAll()
        generation += 1
    }

    private mutating func forget(_ tokenHash: String) {
        guard let (session, _) = sessions.removeValue(forKey: tokenHash) else { return }
        hashes[session.id] = nil
    }
}
