import Foundation

/// Line shapes shared by the Aiken and plain-text readers.
enum LinePatterns {
    /// "A. text", "A、text", "A．text", "A) text", "(A) text": the option's index and text.
    static func option(_ line: String) -> (index: Int, text: String)? {
        guard let match = line.firstMatch(of: optionPattern) else { return nil }
        let letter = match.1.uppercased().unicodeScalars.first!.value
        return (Int(letter) - 65, String(match.2))
    }

    /// Splits "A. 1919   B. 1921   C. 1927" (several options on one line, as Word layouts often put short ones).
    static func options(_ line: String) -> [(index: Int, text: String)]? {
        guard let first = option(line) else { return nil }
        var result = [first]
        var remaining = first.text
        while let next = remaining.firstMatch(of: inlineOptionPattern),
            Int(next.1.uppercased().unicodeScalars.first!.value) - 65 == result.last!.index + 1
        {
            result[result.count - 1].text = String(remaining[..<next.range.lowerBound])
            let text = String(remaining[next.range.upperBound...])
            result.append((result.last!.index + 1, text))
            remaining = text
        }
        return result.map { ($0.index, FieldParsing.trimmed($0.text)) }
    }

    /// "答案：B", "【答案】B", "正确答案: B", "ANSWER: B": the labelled value after a known label.
    static func labelled(_ line: String, labels: [String]) -> String? {
        for label in labels {
            for form in ["【\(label)】", "[\(label)]", "\(label)：", "\(label):"] where line.hasPrefix(form) {
                return FieldParsing.trimmed(line.dropFirst(form.count))
            }
        }
        return nil
    }

    // Computed, not stored: `Regex` is not `Sendable`, and these run once per line of a pasted document.
    private static var optionPattern: Regex<(Substring, Substring, Substring)> { /^[（(]?([A-H])\s*[.、．:：)）]\s*(.*)$/ }
    private static var inlineOptionPattern: Regex<(Substring, Substring)> { /\s+([A-H])\s*[.、．]\s*/ }
}

/// The lines of a text, split at every "\n" and numbered from 1, one at a time.
///
/// At the scalar "\n", not the Character: Swift reads "\r\n" as one Character, so splitting on Characters left a
/// Windows (CRLF) file as one long line; here its lines keep a trailing "\r", which the readers trim. And one at a
/// time because an array of every line costs 32 bytes per line, 32 times the size of a file of empty lines.
struct TextLines: Sequence, IteratorProtocol {
    private let scalars: Substring.UnicodeScalarView
    private var position: Substring.UnicodeScalarView.Index?
    private var number = 0

    init(_ text: String) {
        scalars = text[...].unicodeScalars
        position = scalars.startIndex
    }

    mutating func next() -> (number: Int, line: Substring)? {
        guard let start = position else { return nil }
        number += 1
        guard let newline = scalars[start...].firstIndex(of: "\n") else {
            position = nil
            return (number, Substring(scalars[start...]))
        }
        position = scalars.index(after: newline)
        return (number, Substring(scalars[start..<newline]))
    }
}
