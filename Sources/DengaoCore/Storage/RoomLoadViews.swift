import Foundation

/// What kind of live room a stored contest or campaign becomes.
public enum RoomKind: String, Sendable, Codable {
    case contest
    case campaign
}

/// A contest or campaign the server will not load, and why.
public struct SetAsideRoom: Sendable, Equatable {
    public var kind: RoomKind
    public var id: Int64
    public var reason: String
    public var since: Date

    public init(kind: RoomKind, id: Int64, reason: String, since: Date) {
        self.kind = kind
        self.id = id
        self.reason = reason
        self.since = since
    }
}
