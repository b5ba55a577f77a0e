import DengaoCore
import GRDB
import Synchronization

/// Bumps a `RosterChanges` for every committed transaction that touched the roster's tables: the database itself
/// reports every such commit, so no write path can forget to.
final class RosterObservation: Sendable {
    /// Keeps the observation alive for the life of the store.
    private let observation = Mutex<AnyDatabaseCancellable?>(nil)

    /// The tables a roster is read from (`Store.rosterHistory`, `Store.orgTree`).
    static let tables = ["member", "memberPlacement", "memberActiveSpan", "memberCategorySpan", "unit"]

    init(watching pool: DatabasePool, counting changes: RosterChanges) {
        let region = DatabaseRegionObservation(tracking: Self.tables.map { Table($0) })
        // Called on the writer's queue right after the commit, before the write returns to its caller: a request
        // that saw the write succeed sees the new version.
        // A region of plain tables cannot fail to resolve; were it to, the periodic re-read still runs.
        let cancellable = region.start(in: pool, onError: { _ in }) { [weak changes] _ in
            changes?.recordCommit()
        }
        observation.withLock { $0 = cancellable }
    }
}
