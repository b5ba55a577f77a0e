/// A page's copy of a language dictionary, cut to the key families the page can ask for: Public/js/lang/zh.js
/// holds every page's text (≈ 18 KB gzipped), and a phone's page uses a fraction of it.
///
/// A family is a key up to its first dot ("play" for "play.pinTitle"). Public/js names a key as a string literal,
/// or builds it from a literal prefix ('contest.kind.' + kind), and a page names keys in `data-i18n="…"` and
/// `data-i18n-attr="aria-label:…"`. So a family is kept when the page's code (comments left out) or its HTML has
/// the family's word with a dot right after a quote, a backtick or a colon; others are cut. Keys without a dot are
/// always kept. The browser suites fail on any key shown as text (`check_page_health`), which a wrong cut would be.
struct DictionaryTrim {
    /// Where the dictionaries are ("js/lang/").
    let folder: String
    let families: Set<Substring>

    /// What may come right before a key: ' " ` and the colon of `data-i18n-attr="name:key"`.
    private static let opening: Set<UInt8> = [
        UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"), UInt8(ascii: ":"),
    ]

    /// Every word in `texts` that starts with a lowercase letter, follows a quote, backtick or colon, and is
    /// followed by a dot.
    static func families(in texts: [String]) -> Set<Substring> {
        var found: Set<Substring> = []
        for text in texts {
            let bytes = text.utf8
            var wordStart: String.Index?
            var index = bytes.startIndex
            while index != bytes.endIndex {
                let byte = bytes[index]
                let isWordByte =
                    (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                if isWordByte {
                    if wordStart == nil { wordStart = index }
                } else {
                    if byte == UInt8(ascii: "."), let start = wordStart, (0x61...0x7A).contains(bytes[start]),
                        start != bytes.startIndex, Self.opening.contains(bytes[bytes.index(before: start)])
                    {
                        found.insert(text[start..<index])
                    }
                    wordStart = nil
                }
                index = bytes.index(after: index)
            }
        }
        return found
    }

    /// `lines` without the entries of other families, if `path` is a dictionary whose every entry is one line
    /// (`'key': 'text',`); nil (keep it whole) otherwise.
    func trimmed(_ lines: [ModuleBundler.Line], of path: String) -> [ModuleBundler.Line]? {
        guard path.hasPrefix(folder) else { return nil }
        var kept: [ModuleBundler.Line] = []
        for line in lines {
            guard case .code(let text) = line else { return nil }
            let entry = text.drop { $0 == " " }
            guard entry.hasPrefix("'"), let close = entry.dropFirst().firstIndex(of: "'") else {
                kept.append(line)
                continue
            }
            let key = entry[entry.index(after: entry.startIndex)..<close]
            // An entry that does not end on its line cannot be cut safely.
            let end = text.reversed().drop { $0 == " " }
            guard end.starts(with: ",'") || end.starts(with: "'") else { return nil }
            guard let dot = key.firstIndex(of: ".") else {
                kept.append(line)
                continue
            }
            if families.contains(key[..<dot]) { kept.append(line) }
        }
        return kept
    }
}
