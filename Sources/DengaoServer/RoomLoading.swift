import DengaoCore
import Logging

/// Loads a contest's or a campaign's room from its stored rows without letting those rows stop the server.
///
/// The load is marked under way in the store first and unmarked after: if rebuilding the room takes the process
/// down (a trap while replaying a damaged row), the mark survives, and the next start sets that room aside instead
/// of crashing again on it. Rows the store cannot read set the room aside at once. A set-aside room is listed in
/// the console with its reason and refused until `dengao set-aside clear` lets it load again.
enum RoomLoading {
    static func guarded<Room>(
        _ kind: RoomKind, id: Int64, storage: any Storage, logger: Logger, load: () async throws -> Room
    ) async throws -> Room {
        if let reason = try await storage.beginLoading(kind, id: id) { throw StorageError.setAside(reason) }
        do {
            let room = try await load()
            try await storage.finishLoading(kind, id: id)
            return room
        } catch StorageError.corrupt(let what) {
            let reason = "数据无法读取 (unreadable: \(what))"
            try await storage.finishLoading(kind, id: id, setAsideBecause: reason)
            logger.error(
                "set aside",
                metadata: ["kind": .string(kind.rawValue), "id": .stringConvertible(id), "reason": .string(reason)])
            throw StorageError.setAside(reason)
        } catch {
            // Not the rows' fault (the database busy, say): the next use tries again.
            try? await storage.finishLoading(kind, id: id)
            throw error
        }
    }
}
