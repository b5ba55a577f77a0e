import DengaoCore
import Foundation
import PostgresNIO

/// Guarded loads of live rooms, as the SQLite store's `Store+RoomLoads`: a load marks itself under way and clears
/// the mark when done; a mark left at start-up sets its room aside instead of crashing every start again.
extension PostgresStore {
    /// At start-up, before any room loads: sets aside every room whose load was under way when the process died.
    public func setAsideInterruptedLoads(now: Date = Date()) async throws -> [SetAsideRoom] {
        try await transaction { sql in
            let interrupted = try await sql.rows("SELECT kind, entityId FROM roomLoad", as: (String, Int64).self)
            var setAside: [SetAsideRoom] = []
            for (kindText, id) in interrupted {
                guard let kind = RoomKind(rawValue: kindText) else { continue }
                let room = SetAsideRoom(
                    kind: kind, id: id,
                    reason: "上次加载时服务器意外停止，已暂停加载以免再次中断 (the server stopped while loading it)", since: now)
                try await Self.insert(room, sql)
                setAside.append(room)
            }
            try await sql.execute("DELETE FROM roomLoad")
            return setAside
        }
    }

    /// Marks a room's load as under way; returns the reason instead when the room is set aside (nothing is marked).
    public func beginLoading(_ kind: RoomKind, id: Int64, now: Date = Date()) async throws -> String? {
        try await transaction { sql in
            if let reason = try await Self.setAsideReason(kind, id: id, sql) { return reason }
            try await sql.execute(
                """
                INSERT INTO roomLoad (kind, entityId, startedAt) VALUES (\(kind.rawValue), \(id), \(StoredDate.text(now)))
                ON CONFLICT (kind, entityId) DO UPDATE SET startedAt = excluded.startedAt
                """)
            return nil
        }
    }

    /// The load ended, loaded or not; a room that failed to load is set aside with `reason`.
    public func finishLoading(_ kind: RoomKind, id: Int64, setAsideBecause reason: String? = nil, now: Date = Date())
        async throws
    {
        try await transaction { sql in
            try await sql.execute("DELETE FROM roomLoad WHERE kind = \(kind.rawValue) AND entityId = \(id)")
            if let reason { try await Self.insert(SetAsideRoom(kind: kind, id: id, reason: reason, since: now), sql) }
        }
    }

    /// Every room set aside, for the console and the command line.
    public func setAsideRooms() async throws -> [SetAsideRoom] {
        let rows = try await read { sql in
            try await sql.rows(
                "SELECT kind, entityId, reason, since FROM roomSetAside ORDER BY since, kind COLLATE \"C\", entityId",
                as: (String, Int64, String, String).self)
        }
        return try rows.compactMap { kindText, id, reason, since in
            guard let kind = RoomKind(rawValue: kindText) else { return nil }
            guard let date = StoredDate.date(since) else {
                throw StorageError.corrupt("set-aside \(kindText) \(id) has an unreadable date")
            }
            return SetAsideRoom(kind: kind, id: id, reason: reason, since: date)
        }
    }

    /// Lets a room load again (after its rows were repaired or the server upgraded); false if it was not set aside.
    @discardableResult
    public func clearSetAside(_ kind: RoomKind, id: Int64) async throws -> Bool {
        try await transaction { sql in
            try await sql.count(
                "DELETE FROM roomSetAside WHERE kind = \(kind.rawValue) AND entityId = \(id) RETURNING 1") > 0
        }
    }

    static func setAsideReason(_ kind: RoomKind, id: Int64, _ sql: SQL) async throws -> String? {
        try await sql.value(
            "SELECT reason FROM roomSetAside WHERE kind = \(kind.rawValue) AND entityId = \(id)", as: String.self)
    }

    private static func insert(_ room: SetAsideRoom, _ sql: SQL) async throws {
        try await sql.execute(
            """
            INSERT INTO roomSetAside (kind, entityId, reason, since)
            VALUES (\(room.kind.rawValue), \(room.id), \(room.reason), \(StoredDate.text(room.since)))
            ON CONFLICT (kind, entityId) DO UPDATE SET reason = excluded.reason, since = excluded.since
            """)
    }
}
