import GRDB
import Synchronization

/// Counts the committed transactions that changed the roster — members, their placements and active spans, units —
/// whatever wrote them (an API call, an import, a set-aside repair): the database itself reports every commit that
/// touched those tables, so no write path can forget to. Whoever keeps a copy of the roster (a running campaign)
/// compares its copy's version with `current` and re-reads when they differ.
///
/// It sees the commits of this process's connection only; a `dengao` command writing from another process is
/// picked up by the campaigns' periodic re-read.
public final class RosterChanges: Sendable {
    private let committed = Atomic<Int>(0)
    /// Keeps the observation alive for the life of the store.
    private let observation = Mutex<AnyDatabaseCancellable?>(nil)

    /// The tables a roster is read from (`Store.rosterHistory`, `Store.orgTree`).
    static let tables = ["member", "memberPlacement", "memberActiveSpan", "unit"]

    init(watching pool: DatabasePool) {
        let region = DatabaseRegionObservation(tracking: Self.tables.map { Table($0) })
        // Called on the writer's queue right after the commit, before the write returns to its caller: a request
        // that saw the write succeed sees the new version.
        // A region of plain tables cannot fail to resolve; were it to, the periodic re-read still runs.
        let cancellable = region.start(in: pool, onError: { _ in }) { [weak self] _ in
            self?.committed.add(1, ordering: .releasing)
        }
        observation.withLock { $0 = cancellable }
    }

    /// How many roster-changing transactions have committed since the store was opened.
    public var current: Int { committed.load(ordering: .acquiring) }
}
