import DengaoCore
import Foundation
import Synchronization

/// Live sessions by token hash, held for a few seconds so a request does not pay a round trip to PostgreSQL for its
/// session (the climbing benchmark's requests each did; BENCHMARKS.md, issue 14).
///
/// Revocation stays immediate for this process without any revoking method having to remember the cache: every
/// write transaction of the store empties it once it commits, before the write returns, unless the method declares
/// it ends no session (`transaction(keepsSessions: true)`: the journal, a new session). So a sign-out, a password
/// change, a disabled account or member, a revoked link and a branch change reach the very next request, whichever
/// method made them. Expiry is checked against each session's `expiresAt` on every lookup.
///
/// What another process commits (a `dengao` CLI command, another node on the same database) is not seen by this one,
/// so nothing is held longer than `maximumAge` of the lookups' own clock: that is how late such a revocation can be.
/// A notification channel (LISTEN/NOTIFY) would close that gap for several nodes; a single node needs none.
final class RecentSessions: Sendable {
    struct State {
        var sessions: [String: (session: SessionView, readAt: Date)] = [:]
        /// Token hash by session id, for `touched`.
        var hashes: [Int64: String] = [:]
        /// Bumped by every clear: a read that began before a revocation must not store what it read.
        var generation = 0
    }

    private let state = Mutex(State())
    /// At most this many sessions are kept; a full cache forgets one at random for each one it adds.
    let capacity: Int
    /// How long a session read from the database answers lookups; zero turns the cache off.
    let maximumAge: TimeInterval

    init(capacity: Int, maximumAge: TimeInterval) {
        self.capacity = capacity
        self.maximumAge = maximumAge
    }

    /// How many sessions are cached now.
    var count: Int { state.withLock { $0.sessions.count } }

    /// The cached live session of a token hash, or nil: not cached, expired at `date`, or read too long ago.
    func lookup(_ tokenHash: String, at date: Date) -> SessionView? {
        state.withLock { state in
            guard let (session, readAt) = state.sessions[tokenHash] else { return nil }
            // A clock that went back is as suspect as one far ahead: read again.
            guard session.expiresAt > date, date >= readAt, date.timeIntervalSince(readAt) < maximumAge else {
                state.sessions[tokenHash] = nil
                state.hashes[session.id] = nil
                return nil
            }
            return session
        }
    }

    /// The generation to hand back to `remember` after reading a session from the database.
    func generation() -> Int { state.withLock { $0.generation } }

    /// Keeps a session read from the database at `date`, unless the cache was cleared since `generation` was taken.
    func remember(_ session: SessionView, tokenHash: String, at date: Date, generation: Int) {
        guard maximumAge > 0, capacity > 0 else { return }
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.sessions[tokenHash] == nil, state.sessions.count >= capacity,
                let (hash, evicted) = state.sessions.randomElement()
            {
                state.sessions[hash] = nil
                state.hashes[evicted.session.id] = nil
            }
            state.sessions[tokenHash] = (session, date)
            state.hashes[session.id] = tokenHash
        }
    }

    /// Records a slid expiry, so the next request neither slides it again nor sees the old expiry.
    func touched(id: Int64, lastSeenAt: Date, expiresAt: Date) {
        state.withLock { state in
            guard let hash = state.hashes[id] else { return }
            state.sessions[hash]?.session.lastSeenAt = lastSeenAt
            state.sessions[hash]?.session.expiresAt = expiresAt
        }
    }

    /// Forgets every session: a committed write may have ended or changed one.
    func clear() {
        state.withLock { state in
            state.sessions.removeAll()
            state.hashes.removeAll()
            state.generation += 1
        }
    }
}
