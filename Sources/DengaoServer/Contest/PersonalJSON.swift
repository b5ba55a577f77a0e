import DengaoCore
import NIOCore

/// Writes the small per-player JSON objects of a broadcast (a reveal's own result, a leaderboard's own standing)
/// straight into a buffer.
///
/// Ten thousand players each get their own copy of these; a `JSONEncoder` run per player (a container tree, a
/// `Data`, then a copy) was most of a reveal's encoding time. Foundation has no cheaper encoder for one flat object,
/// hence this: integers, booleans and strings only, `nil` fields omitted as `JSONEncoder` omits them.
struct PersonalJSON {
    private(set) var buffer: ByteBuffer
    private var first = true

    init(capacity: Int) {
        buffer = ByteBuffer()
        buffer.reserveCapacity(capacity)
        buffer.writeInteger(UInt8(ascii: "{"))
    }

    mutating func field(_ key: StaticString, _ value: Int?) {
        guard let value else { return }
        name(key)
        buffer.writeString(String(value))
    }

    mutating func field(_ key: StaticString, _ value: Int64?) {
        guard let value else { return }
        name(key)
        buffer.writeString(String(value))
    }

    /// A typed id goes on the wire as its integer, as `Identifier`'s `Codable` writes it.
    mutating func field<Kind>(_ key: StaticString, _ value: Identifier<Kind>?) {
        field(key, value?.rawValue)
    }

    mutating func field(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        name(key)
        Self.writeQuoted(value, into: &buffer)
    }

    mutating func field(_ key: StaticString, _ value: Bool?) {
        guard let value else { return }
        name(key)
        buffer.writeStaticString(value ? "true" : "false")
    }

    mutating func field(_ key: StaticString, _ values: [Int]?) {
        guard let values else { return }
        name(key)
        buffer.writeInteger(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            buffer.writeString(String(value))
        }
        buffer.writeInteger(UInt8(ascii: "]"))
    }

    /// A value that is JSON already (a shared part encoded once).
    mutating func field(_ key: StaticString, json: ByteBuffer) {
        name(key)
        buffer.writeImmutableBuffer(json)
    }

    /// The object, closed.
    mutating func finish() -> ByteBuffer {
        buffer.writeInteger(UInt8(ascii: "}"))
        return buffer
    }

    private mutating func name(_ key: StaticString) {
        if !first { buffer.writeInteger(UInt8(ascii: ",")) }
        first = false
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeStaticString(key)
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeInteger(UInt8(ascii: ":"))
    }

    /// A JSON string literal (RFC 8259 §7): quote, backslash and control characters escaped, everything else
    /// (Chinese names included) as its UTF-8 bytes.
    static func writeQuoted(_ string: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        let utf8 = string.utf8
        if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            buffer.writeString(string)
        } else {
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                case ..<0x20:
                    buffer.writeStaticString("\\u00")
                    buffer.writeInteger(hexDigit(byte >> 4))
                    buffer.writeInteger(hexDigit(byte & 0xF))
                default: buffer.writeInteger(byte)
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}

extension ServerMessage.YourResult {
    /// This result as JSON, the same fields and values `JSONEncoder` gives.
    var json: ByteBuffer {
        var writer = PersonalJSON(capacity: 64)
        writer.field("correctness", correctness?.rawValue)
        writer.field("points", points)
        writer.field("score", score)
        return writer.finish()
    }
}

extension ServerMessage.YouView {
    /// What a (re)connecting player's state says of their seat, the same fields and values `JSONEncoder` gives.
    var json: ByteBuffer {
        var writer = PersonalJSON(capacity: 96 + (text?.utf8.count ?? 0))
        writer.field("seat", seat)
        writer.field("score", score)
        writer.field("answered", answered)
        writer.field("picks", picks)
        writer.field("truth", truth)
        writer.field("text", text)
        writer.field("wager", wager)
        writer.field("triedBuzzer", triedBuzzer)
        return writer.finish()
    }
}

extension ServerMessage.Standing {
    /// This standing as JSON, the same fields and values `JSONEncoder` gives.
    var json: ByteBuffer {
        var writer = PersonalJSON(capacity: 96 + name.utf8.count + branch.utf8.count)
        writer.field("rank", rank)
        writer.field("seat", seat)
        writer.field("name", name)
        writer.field("branch", branch)
        writer.field("score", score)
        writer.field("change", change)
        return writer.finish()
    }
}

extension ServerMessage.Ack {
    /// The whole `ack` message, as `FrameEncoder.encode(.ack(self))` would give it: one per accepted answer, ten
    /// thousand in a question's last seconds.
    var frame: ByteBuffer {
        var writer = PersonalJSON(capacity: 96 + (text?.utf8.count ?? 0))
        writer.field("type", "ack")
        writer.field("number", number)
        writer.field("status", status)
        writer.field("penalty", penalty)
        writer.field("answerByMs", answerByMs)
        writer.field("amount", amount)
        writer.field("picks", picks)
        writer.field("truth", truth)
        writer.field("text", text)
        return writer.finish()
    }
}

extension ServerMessage.Welcome {
    /// The whole `welcome` message as `JSONEncoder` gives it, with the contest's part already encoded: one per join,
    /// the contest's part (rounds, every branch) the same for all ten thousand.
    static func frame(
        role: String, contestJSON: ByteBuffer, seat: ServerMessage.SeatInfo?, token: String?,
        v: Int = ClientMessage.protocolVersion
    ) -> ByteBuffer {
        var writer = PersonalJSON(capacity: contestJSON.readableBytes + 256)
        writer.field("type", "welcome")
        writer.field("v", v)
        writer.field("role", role)
        writer.field("contest", json: contestJSON)
        if let seat {
            var object = PersonalJSON(capacity: 128)
            object.field("id", seat.id)
            object.field("name", seat.name)
            object.field("branchId", seat.branchId)
            object.field("branch", seat.branch)
            object.field("guest", seat.guest)
            writer.field("seat", json: object.finish())
        }
        writer.field("token", token)
        return writer.finish()
    }
}
