import Synchronization

/// Counts the committed transactions that changed the roster — members, their placements and active spans, units —
/// whatever wrote them (an API call, an import, a set-aside repair). The backend bumps it right after each such
/// commit, before the write returns to its caller, so a request that saw the write succeed sees the new version.
/// Whoever keeps a copy of the roster (a running campaign) compares its copy's version with `current` and re-reads
/// when they differ.
///
/// It counts the commits this process made; a `dengao` command writing from another process is picked up by the
/// campaigns' periodic re-read.
public final class RosterChanges: Sendable {
    private let committed = Atomic<Int>(0)

    public init() {}

    /// Records one committed roster-changing transaction; called by the storage backend only.
    public func recordCommit() {
        committed.add(1, ordering: .releasing)
    }

    /// How many roster-changing transactions have committed since the store was opened.
    public var current: Int { committed.load(ordering: .acquiring) }
}
