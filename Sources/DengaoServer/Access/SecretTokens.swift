import Crypto
import Foundation

/// Random bearer secrets (session cookies, invitation links, CSRF tokens) and the hashes they are stored under.
enum SecretTokens {
    /// 256 bits from the system's CSPRNG, base64url without padding: 43 characters, safe in cookies and URLs.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

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
