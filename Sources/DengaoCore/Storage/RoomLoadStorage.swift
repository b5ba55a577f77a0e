import Foundation

/// Guarded loading of live rooms: a load marks itself under way, so a load that took the process down is set
/// aside at the next start instead of crashing every start again.
///
/// Every method is one transaction: it happens entirely or not at all, and a write has committed (durably) when the
/// call returns. Refusals throw `StorageError` (a missing row `…NotFound`, a bad value `.invalid`, a clash with what
/// is stored `.conflict`, unreadable rows `.corrupt`, a lost database `.unavailable`, in which case nothing is known
/// to be written); methods that return an optional return nil for "no such row" instead of throwing.
public protocol RoomLoadStorage: Sendable {
    /// At start-up, before any room loads: sets aside every room whose load was under way when the process died.
    func setAsideInterruptedLoads(now: Date) async throws -> [SetAsideRoom]

    /// Marks a room's load as under way; returns the reason instead when the room is set aside (nothing is marked).
    func beginLoading(_ kind: RoomKind, id: Int64, now: Date) async throws -> String?

    /// The load ended, loaded or not; a room that failed to load is set aside with `reason`.
    func finishLoading(_ kind: RoomKind, id: Int64, setAsideBecause reason: String?, now: Date) async throws

    /// Every room set aside, for the console and the command line.
    func setAsideRooms() async throws -> [SetAsideRoom]

    @discardableResult
    func clearSetAside(_ kind: RoomKind, id: Int64) async throws -> Bool
}

/// The default arguments of the SQLite store's methods, which protocol requirements cannot carry.
extension RoomLoadStorage {
    /// `setAsideInterruptedLoads` with `now` Date().
    public func setAsideInterruptedLoads() async throws -> [SetAsideRoom] {
        try await setAsideInterruptedLoads(now: Date())
    }

    /// `beginLoading` with `now` Date().
    public func beginLoading(_ kind: RoomKind, id: Int64) async throws -> String? {
        try await beginLoading(kind, id: id, now: Date())
    }

    /// `finishLoading` with `setAsideBecause` nil.
    public func finishLoading(_ kind: RoomKind, id: Int64, now: Date) async throws {
        try await finishLoading(kind, id: id, setAsideBecause: nil, now: now)
    }

    /// `finishLoading` with `now` Date().
    public func finishLoading(_ kind: RoomKind, id: Int64, setAsideBecause reason: String?) async throws {
        try await finishLoading(kind, id: id, setAsideBecause: reason, now: Date())
    }

    /// `finishLoading` with `setAsideBecause` nil, `now` Date().
    public func finishLoading(_ kind: RoomKind, id: Int64) async throws {
        try await finishLoading(kind, id: id, setAsideBecause: nil, now: Date())
    }
}
