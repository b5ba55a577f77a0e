import Foundation
import NIOCore

/// Turns server messages into frames once, so a broadcast encodes each distinct message one time.
enum FrameEncoder {
    static func encode(_ message: ServerMessage) -> ByteBuffer {
        // Acknowledgements are one per answer, not one per broadcast: written directly, not through `JSONEncoder`.
        if case .ack(let ack) = message { return ack.frame }
        // Encoding these plain structs cannot fail; a failure would be a programming error worth a crash in tests.
        return ByteBuffer(bytes: try! JSONEncoder().encode(message))
    }

    /// Any other message (a campaign's board).
    static func encode(value: some Encodable) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONEncoder().encode(value))
    }

    /// `shared` with one more top-level field, for messages that are the same for everyone but for a small
    /// personal part (a player's own rank): the shared part is encoded once, the personal part (already JSON, from
    /// `PersonalJSON`) per player, and the two are joined with one copy.
    static func splice(_ shared: ByteBuffer, field: StaticString, json personal: ByteBuffer) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(shared.readableBytes + personal.readableBytes + field.utf8CodeUnitCount + 4)
        buffer.writeStaticString("{\"")
        buffer.writeStaticString(field)
        buffer.writeStaticString("\":")
        buffer.writeImmutableBuffer(personal)
        buffer.writeInteger(UInt8(ascii: ","))
        buffer.writeImmutableBuffer(shared.getSlice(at: shared.readerIndex + 1, length: shared.readableBytes - 1)!)
        return buffer
    }
}
