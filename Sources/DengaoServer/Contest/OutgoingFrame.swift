import NIOCore

/// A frame as one connection gets it: the JSON shared by everyone, and the connection's own part when it has one
/// (a player's result at a reveal, their standing on a leaderboard), joined only when the connection's event loop
/// writes it (`Outbox.drain`).
///
/// Joining copies the whole frame once per player. Made by the room, ten thousand copies were made one after another
/// on the room's actor — on two cores shared with the loops that were already writing — before the last phone's could
/// be queued: a reveal's fan-out took about 1.5× the bare server's, where a question's shared frame took 1.06×. Made
/// by the loops as they write, the copies are made on every loop at once, next to their writes, and the room only
/// queues a shared buffer and a few integers per connection.
struct OutgoingFrame: Sendable {
    let shared: ByteBuffer
    let personal: PersonalPart?

    init(_ shared: ByteBuffer, personal: PersonalPart? = nil) {
        self.shared = shared
        self.personal = personal
    }

    /// The bytes to send: `shared` with the personal part as its first field, `you`.
    var bytes: ByteBuffer {
        guard let personal else { return shared }
        return FrameEncoder.splice(shared, field: "you", json: personal.json)
    }
}

/// One connection's own part of a broadcast, kept as values until its frame is written.
enum PersonalPart: Sendable {
    /// A player's own result at a reveal.
    case result(ServerMessage.YourResult)
    /// A player's own standing on a leaderboard.
    case standing(ServerMessage.Standing)
    /// A joining player's seat, in the state they are sent first.
    case you(ServerMessage.YouView)

    var json: ByteBuffer {
        switch self {
        case .result(let result): result.json
        case .standing(let standing): standing.json
        case .you(let you): you.json
        }
    }
}
