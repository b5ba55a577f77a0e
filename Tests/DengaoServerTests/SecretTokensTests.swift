import Foundation
import Testing

@testable import DengaoServer

/// The bearer secrets: base64url of 256 random bits, encoded by our own table (checked here against Foundation's
/// base64 with the URL alphabet swapped in), and every token different and well formed.
@Suite struct SecretTokensTests {
    @Test func base64URLMatchesFoundationsBase64WithTheURLAlphabet() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let foundation = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            #expect(SecretTokens.base64URL(bytes) == foundation, "\(length) bytes")
        }
        #expect(SecretTokens.base64URL([0xFB, 0xFF, 0xBF]) == "-_-_")
    }

    @Test func tokensAreWellFormedDistinctAndUseTheWholeAlphabet() {
        let tokens = (0..<2_000).map { _ in SecretTokens.generate() }
        #expect(tokens.allSatisfy(SecretTokens.isWellFormed))
        #expect(Set(tokens).count == tokens.count)
        // Every position but the last (which holds 4 bits) takes all 64 characters across 2,000 tokens; a word
        // drawn and used twice, or bytes left zero, would not.
        for position in [0, 10, 21, 32, 41] {
            let seen = Set(tokens.map { Array($0.utf8)[position] })
            #expect(seen.count == 64, "position \(position): \(seen.count) characters")
        }
        let last = Set(tokens.map { $0.utf8.last! })
        #expect(last.count == 16)
    }
}
