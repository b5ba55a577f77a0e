import Crypto
import Foundation

/// Random bearer secrets (session cookies, invitation links, CSRF tokens) and the hashes they are stored under.
enum SecretTokens {
    /// 256 bits from the system's CSPRNG, base64url without padding: 43 characters, safe in cookies and URLs.
    ///
    /// Drawn as four 64-bit words and encoded by table: each draw is a `getrandom` call, and a byte per draw plus
    /// Foundation's base64 with three `replacingOccurrences` (bridged through NSString) made token generation 5.6 %
    /// of the server's CPU while ten thousand phones joined a contest (each join mints a resume token).
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<4 { withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) } }
        return base64URL(bytes)
    }

    /// Base64url (RFC 4648 §5) without padding. Foundation's encoder has no URL alphabet or unpadded form.
    static func base64URL(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var word: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { word |= UInt32(byte) << (16 - 8 * offset) }
            for position in 0...chunk.count { text.append(base64URLAlphabet[Int((word >> (18 - 6 * position)) & 63)]) }
            index += 3
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let base64URLAlphabet = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// SHA-256 in hex. A fast hash is right here (unlike passwords): the tokens carry 256 random bits, so there
    /// is nothing to guess offline, and lookups by hash stay indexable.
    static func hash(_ token: String) -> String {
        // Hex by table rather than `String(format:)` per byte: every request hashes its cookie, and the formatted
        // version cost more than the SHA-256 itself (a tenth of a climbing request's CPU; BENCHMARKS.md).
        let digest = SHA256.hash(data: Array(token.utf8))
        return String(unsafeUninitializedCapacity: SHA256.byteCount * 2) { buffer in
            var index = 0
            for byte in digest {
                buffer[index] = hexDigits[Int(byte >> 4)]
                buffer[index + 1] = hexDigits[Int(byte & 0x0F)]
                index += 2
            }
            return index
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Whether a presented token has the shape `generate` produces; anything else is refused before a lookup.
    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 43
            && token.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == 0x2D || byte == 0x5F
            }
    }

    /// Compares without an early exit, so the time taken does not reveal how much of a CSRF token matched.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8), right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
