import Foundation

/// Reads the stored answer column (`PlayerAnswer` as `JSONEncoder` wrote it: `{"choices":{"_0":[1,2]}}`,
/// `{"truth":{"_0":true}}`, `{"text":{"_0":"…"}}`). A report reads a million of these per request, and
/// `JSONDecoder` per row costs several times the SQLite read; the two shapes of choices and truth, and text without
/// escapes, are parsed here directly, anything else by `JSONDecoder`. Both backends store answers this way.
public enum AnswerJSON {
    private static let choicesPrefix = Array("{\"choices\":{\"_0\":[".utf8)
    private static let choicesSuffix = Array("]}}".utf8)
    private static let truthTrue = "{\"truth\":{\"_0\":true}}"
    private static let truthFalse = "{\"truth\":{\"_0\":false}}"
    private static let textPrefix = Array("{\"text\":{\"_0\":\"".utf8)
    private static let textSuffix = Array("\"}}".utf8)

    public static func decode(_ text: String) -> PlayerAnswer? { decode(Data(text.utf8)) }

    /// Reads the column's bytes where they lie (a report passes SQLite's own buffer, uncopied).
    public static func decode(_ data: Data) -> PlayerAnswer? {
        if let fast = data.withUnsafeBytes({ fastDecode($0.bindMemory(to: UInt8.self)) }) { return fast }
        return try? JSONDecoder().decode(PlayerAnswer.self, from: data)
    }

    /// The shape of a stored answer, read in place with nothing allocated: choices as a bit set, truth, or text
    /// (item analysis needs no text). Anything but the encoder's own shapes goes through `decode`.
    public static func shape(_ bytes: UnsafeBufferPointer<UInt8>) -> AnswerShape? {
        if hasAffixes(bytes, choicesPrefix, choicesSuffix) {
            var bits: UInt64 = 0
            var value = 0, digits = 0, count = 0
            for byte in bytes[choicesPrefix.count..<(bytes.count - choicesSuffix.count)] {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    guard digits < 9 else { return nil }
                    value = value * 10 + Int(byte - UInt8(ascii: "0"))
                    digits += 1
                case UInt8(ascii: ","):
                    guard digits > 0 else { return nil }
                    if value < 64 { bits |= 1 << UInt64(value) }
                    (value, digits, count) = (0, 0, count + 1)
                default:
                    return nil
                }
            }
            if digits > 0 {
                if value < 64 { bits |= 1 << UInt64(value) }
            } else if count > 0 {
                return nil
            }
            return .choices(bits)
        }
        if bytes.elementsEqual(truthTrue.utf8) { return .truth(true) }
        if bytes.elementsEqual(truthFalse.utf8) { return .truth(false) }
        if hasAffixes(bytes, textPrefix, textSuffix) { return .text }
        return decode(Data(buffer: bytes)).map(AnswerShape.init)
    }

    /// A stored correctness (`correct`, `partial`, `wrong`) by its bytes.
    public static func correctness(_ data: Data) -> Correctness? {
        switch data.first {
        case UInt8(ascii: "c") where data.count == 7: .correct
        case UInt8(ascii: "p") where data.count == 7: .partial
        case UInt8(ascii: "w") where data.count == 5: .wrong
        default: nil
        }
    }

    /// A stored campaign day (`YYYY-MM-DD`, as the journal wrote it) by its bytes; nil for anything else.
    public static func day(_ data: Data) -> CampaignDay? {
        guard data.count == 10 else { return nil }
        return data.withUnsafeBytes { raw -> CampaignDay? in
            let bytes = raw.bindMemory(to: UInt8.self)
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for index in range {
                    let byte = bytes[index]
                    guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                    value = value * 10 + Int(byte - UInt8(ascii: "0"))
                }
                return value
            }
            guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), let year = number(0..<4),
                let month = number(5..<7), let day = number(8..<10), (1...12).contains(month), (1...31).contains(day)
            else { return nil }
            return CampaignDay(year: year, month: month, day: day)
        }
    }

    private static func fastDecode(_ bytes: UnsafeBufferPointer<UInt8>) -> PlayerAnswer? {
        if hasAffixes(bytes, choicesPrefix, choicesSuffix) {
            var picks: [Int] = []
            var value = 0, digits = 0
            for byte in bytes[choicesPrefix.count..<(bytes.count - choicesSuffix.count)] {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    guard digits < 9 else { return nil }
                    value = value * 10 + Int(byte - UInt8(ascii: "0"))
                    digits += 1
                case UInt8(ascii: ","):
                    guard digits > 0 else { return nil }
                    picks.append(value)
                    (value, digits) = (0, 0)
                default:
                    return nil
                }
            }
            if digits > 0 { picks.append(value) } else if !picks.isEmpty { return nil }
            return .choices(picks)
        }
        if bytes.elementsEqual(truthTrue.utf8) { return .truth(true) }
        if bytes.elementsEqual(truthFalse.utf8) { return .truth(false) }
        if hasAffixes(bytes, textPrefix, textSuffix) {
            let body = bytes[textPrefix.count..<(bytes.count - textSuffix.count)]
            guard !body.contains(UInt8(ascii: "\\")), !body.contains(UInt8(ascii: "\"")) else { return nil }
            return .text(String(decoding: body, as: UTF8.self))
        }
        return nil
    }

    private static func hasAffixes(_ bytes: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8], _ suffix: [UInt8]) -> Bool {
        bytes.count >= prefix.count + suffix.count && bytes.prefix(prefix.count).elementsEqual(prefix)
            && bytes.suffix(suffix.count).elementsEqual(suffix)
    }
}
