import Foundation
import NIOCore

/// Turns server messages into frames once, so a broadcast encodes each distinct message one time.
enum FrameEncoder {
    static func encode(_ message: ServerMessage) -> ByteBuffer {
        // Encoding these plain structs cannot fail; a failure would be a programming error worth a crash in tests.
        ByteBuffer(bytes: try! JSONEncoder().encode(message))
    }

    /// Any other message (a campaign's board).
    static func encode(value: some Encodable) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONEncoder().encode(value))
    }

    /// `shared` with one more top-level field, for messages that are the same for everyone but for a small
    /// personal part (a player's own rank): the shared part is encoded once, the personal part per player.
    static func splice(_ shared: ByteBuffer, field: String, value: some Encodable) -> ByteBuffer {
        let personal = try! JSONEncoder().encode(value)
        var buffer = ByteBuffer()
        buffer.reserveCapacity(shared.readableBytes + personal.count + field.utf8.count + 4)
        buffer.writeString("{\"\(field)\":")
        buffer.writeBytes(personal)
        buffer.writeString(",")
        buffer.writeImmutableBuffer(shared.getSlice(at: shared.readerIndex + 1, length: shared.readableBytes - 1)!)
        return buffer
    }
}
