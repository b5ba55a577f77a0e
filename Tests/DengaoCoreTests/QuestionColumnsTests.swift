import Foundation
import Testing

@testable import DengaoCore

/// The stored JSON arrays read back as the strings written, whatever they hold.
@Suite struct QuestionColumnsTests {
    @Test func arraysEscapeWhatJSONNeedsAndKeepEverythingElse() throws {
        let strings = ["甲\"乙\"", "back\\slash", "line\nbreak\r\ttab", "\u{01}\u{1F}", "🙂 emoji", "", "/"]
        let text = QuestionColumns.array(strings)
        #expect(text == #"["甲\"乙\"","back\\slash","line\nbreak\r\ttab","\u0001\u001f","🙂 emoji","","/"]"#)
        let decoded = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]
        #expect(decoded == strings)
        #expect(QuestionColumns.array([]) == "[]")
    }
}
