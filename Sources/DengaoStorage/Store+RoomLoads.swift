import DengaoCore
import Foundation
import GRDB

/// Loading a live room from its stored rows is guarded: a load marks itself under way and clears the mark when it
/// is done. A mark left at start-up means a load took the process down last time (a trap while replaying a
/// damaged row, say): that contest or campaign is set aside instead of crashing every start again. A load that
/// finds rows it cannot read sets its room aside too. Everything else starts.
extension Store {
    /// At start-up, before any room loads: sets aside every room whose load was under way when the process died.
    public func setAsideInterruptedLoads(now: Date = Date()) throws -> [SetAsideRoom] {
        try pool.write { db in
            let interrupted = try Row.fetchAll(db, sql: "SELECT kind, entityId FROM roomLoad")
            var setAside: [SetAsideRoom] = []
            for row in interrupted {
                guard let kind = RoomKind(rawValue: row["kind"]) else { continue }
                let room = SetAsideRoom(
                    kind: kind, id: row["entityId"],
                    reason: "上次加载时服务器意外停止，已暂停加载以免再次中断 (the server stopped while loading it)", since: now)
                try Self.insert(room, db)
                setAside.append(room)
            }
            try db.execute(sql: "DELETE FROM roomLoad")
            return setAside
        }
    }

    /// Marks a room's load as under way; returns the reason instead when the room is set aside (nothing is marked).
    public func beginLoading(_ kind: RoomKind, id: Int64, now: Date = Date()) throws -> String? {
        try pool.write { db in
            if let reason = try String.fetchOne(
                db, sql: "SELECT reason FROM roomSetAside WHERE kind = ? AND entityId = ?",
                arguments: [kind.rawValue, id])
            {
                return reason
            }
            try db.execute(
                sql: "INSERT OR REPLACE INTO roomLoad (kind, entityId, startedAt) VALUES (?, ?, ?)",
                arguments: [kind.rawValue, id, now])
            return nil
        }
    }

    /// The load ended, loaded or not; a room that failed to load is set aside with `reason`.
    public func finishLoading(_ kind: RoomKind, id: Int64, setAsideBecause reason: String? = nil, now: Date = Date())
        throws
    {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM roomLoad WHERE kind = ? AND entityId = ?", arguments: [kind.rawValue, id])
            if let reason { try Self.insert(SetAsideRoom(kind: kind, id: id, reason: reason, since: now), db) }
        }
    }

    /// Every room set aside, for the console and the command line.
    public func setAsideRooms() throws -> [SetAsideRoom] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, entityId, reason, since FROM roomSetAside ORDER BY since")
                .compactMap { row in
                    RoomKind(rawValue: row["kind"]).map {
                        SetAsideRoom(kind: $0, id: row["entityId"], reason: row["reason"], since: row["since"])
                    }
                }
        }
    }

    /// Lets a room load again (after its rows were repaired or the server upgraded); false if it was not set aside.
    @discardableResult
    public func clearSetAside(_ kind: RoomKind, id: Int64) throws -> Bool {
        try pool.write { db in
            try db.execute(
                sql: "DELETE FROM roomSetAside WHERE kind = ? AND entityId = ?", arguments: [kind.rawValue, id])
            return db.changesCount > 0
        }
    }

    static func setAsideReason(_ kind: RoomKind, id: Int64, _ db: Database) throws -> String? {
        try String.fetchOne(
            db, sql: "SELECT reason FROM roomSetAside WHERE kind = ? AND entityId = ?", arguments: [kind.rawValue, id])
    }

    private static func insert(_ room: SetAsideRoom, _ db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO roomSetAside (kind, entityId, reason, since) VALUES (?, ?, ?, ?)",
            arguments: [room.kind.rawValue, room.id, room.reason, room.since])
    }
}
