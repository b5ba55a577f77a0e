import Foundation

/// Reads the prolog of an XLSX part — what comes before its root element — the way the XML parser will, and
/// refuses a document type declaration (DTD) there, the only place one can be.
///
/// Why not from the parser's events alone: swift-corelibs-foundation's `XMLParser` on Linux does not pass a
/// DOCTYPE on to its delegate at all (libxml2's `internalSubset` callback stops in Foundation), nor entity
/// declarations (libxml2 records them itself and expands `&name;` silently). It does report element, attribute,
/// notation and unparsed-entity declarations and unknown entity references, and `XMLPartHandler` refuses those;
/// this reader covers the rest. It is exact rather than a text search: the part's encoding is decided as libxml2
/// decides it, and only the encodings OOXML allows are accepted (ECMA-376 Part 2 §8.1.4: UTF-8 or UTF-16, and a
/// declaration may name no other), so what is read here is what the parser reads; comments and processing
/// instructions are skipped as XML defines them, `<` inside a comment included.
struct XMLProlog {
    /// A prolog longer than this is refused: SpreadsheetML writers put ~60 bytes before the root element.
    static let maximumLength = 64 * 1024

    enum Verdict: Equatable {
        /// The root element starts: nothing the parser could expand comes before it. `utf8` tells UTF-8 from
        /// UTF-16, for the parser's input to be checked (`UTF8Validator`).
        case accepted(utf8: Bool)
        /// The bytes so far end inside the prolog.
        case needsMore
        case refused(String)
    }

    private enum Encoding {
        case utf8, utf16LittleEndian, utf16BigEndian
    }

    /// Decides on the first bytes of a part; `complete` when `bytes` is the whole part.
    static func check(_ bytes: Data, complete: Bool) -> Verdict {
        let head = Array(bytes.prefix(4))
        guard head.count == 4 || complete else { return .needsMore }
        let encoding: Encoding
        var skip = 0
        switch head {
        case _ where head.starts(with: [0xEF, 0xBB, 0xBF]): (encoding, skip) = (.utf8, 3)
        case _ where head.starts(with: [0xFF, 0xFE]): (encoding, skip) = (.utf16LittleEndian, 2)
        case _ where head.starts(with: [0xFE, 0xFF]): (encoding, skip) = (.utf16BigEndian, 2)
        case [0x3C, 0x00, 0x3F, 0x00]: encoding = .utf16LittleEndian
        case [0x00, 0x3C, 0x00, 0x3F]: encoding = .utf16BigEndian
        // UCS-4 in its four byte orders and EBCDIC, which libxml2 would also accept.
        case [0x00, 0x00, 0x00, 0x3C], [0x3C, 0x00, 0x00, 0x00], [0x00, 0x00, 0x3C, 0x00], [0x00, 0x3C, 0x00, 0x00],
            [0x4C, 0x6F, 0xA7, 0x94]:
            return .refused("is encoded neither as UTF-8 nor as UTF-16")
        default: encoding = .utf8
        }
        let text = decode(bytes.prefix(maximumLength + 8).dropFirst(skip), encoding)
        var verdict = read(Array(text.unicodeScalars), utf16: encoding != .utf8, complete: complete)
        if verdict == .accepted(utf8: true) && encoding != .utf8 { verdict = .accepted(utf8: false) }
        if verdict == .needsMore && bytes.count >= maximumLength {
            return .refused("has more than \(maximumLength / 1024) KiB before its root element")
        }
        return verdict
    }

    private static func decode(_ bytes: Data, _ encoding: Encoding) -> String {
        switch encoding {
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .utf16LittleEndian, .utf16BigEndian:
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var index = bytes.startIndex
            while index + 1 < bytes.endIndex {
                let (first, second) = (UInt16(bytes[index]), UInt16(bytes[index + 1]))
                units.append(encoding == .utf16LittleEndian ? first | second << 8 : first << 8 | second)
                index += 2
            }
            return String(decoding: units, as: UTF16.self)
        }
    }

    /// XML 1.0's `prolog ::= XMLDecl? Misc* (doctypedecl Misc*)?` up to the root element's `<`.
    private static func read(_ scalars: [Unicode.Scalar], utf16: Bool, complete: Bool) -> Verdict {
        let incomplete: Verdict = complete ? .accepted(utf8: true) : .needsMore
        // Six characters tell an XML declaration from a processing instruction.
        guard scalars.count >= 6 || complete else { return .needsMore }
        var index = 0
        func starts(with prefix: String, at position: Int) -> Bool {
            let wanted = prefix.unicodeScalars
            return scalars.count - position >= wanted.count
                && scalars[position..<position + wanted.count].elementsEqual(wanted)
        }
        /// The index just past the first `terminator` at or after `from`.
        func end(of terminator: String, from: Int) -> Int? {
            let length = terminator.unicodeScalars.count
            var cursor = from
            while cursor + length <= scalars.count {
                if starts(with: terminator, at: cursor) { return cursor + length }
                cursor += 1
            }
            return nil
        }

        if starts(with: "<?xml", at: 0), scalars.count > 5, isSpace(scalars[5]) {
            guard let close = end(of: "?>", from: 5) else { return incomplete }
            if let problem = declaredEncodingProblem(String(String.UnicodeScalarView(scalars[0..<close])), utf16: utf16)
            {
                return .refused(problem)
            }
            index = close
        }
        while true {
            while index < scalars.count && isSpace(scalars[index]) { index += 1 }
            guard index < scalars.count else { return incomplete }
            guard scalars[index] == "<" else { return .refused("has text before its root element") }
            // Four characters tell a comment from a DOCTYPE from an element.
            guard scalars.count - index >= 4 || complete else { return .needsMore }
            if starts(with: "<!--", at: index) {
                guard let close = end(of: "-->", from: index + 4) else { return incomplete }
                index = close
            } else if starts(with: "<?", at: index) {
                guard let close = end(of: "?>", from: index + 2) else { return incomplete }
                index = close
            } else if starts(with: "<!", at: index) {
                return .refused("declares a DTD (<!DOCTYPE …>), which SpreadsheetML never uses")
            } else {
                return .accepted(utf8: true)
            }
        }
    }

    /// The declaration `<?xml … encoding="…"?>` may name only the encoding the bytes are in (UTF-8 or UTF-16).
    private static func declaredEncodingProblem(_ declaration: String, utf16: Bool) -> String? {
        guard let range = declaration.range(of: #"encoding\s*=\s*["']([^"']*)["']"#, options: .regularExpression) else {
            return nil
        }
        let name =
            declaration[range].split(whereSeparator: { $0 == "\"" || $0 == "'" }).dropFirst().first.map(String.init)
            ?? ""
        let upper = name.uppercased()
        let fits =
            utf16 ? ["UTF-16", "UTF-16LE", "UTF-16BE", "UTF16"].contains(upper) : ["UTF-8", "UTF8"].contains(upper)
        return fits ? nil : "declares the encoding \"\(name)\"; XLSX parts are UTF-8 or UTF-16"
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n"
    }
}

/// Holds back the first bytes of a part until `XMLProlog` has accepted them, then lets everything through — in a
/// UTF-8 part, only valid UTF-8.
///
/// swift-corelibs-foundation's XMLParser traps (stopping the whole server) when libxml2, recovering from an error,
/// hands it an element or attribute name, a comment or a processing instruction that is not valid UTF-8:
/// `<r a\u{E5}="1"/>` is enough (it force-unwraps `String(validatingUTF8:)`). Found by fuzz-roster and fuzz-xlsx.
/// libxml2 decodes UTF-16 parts itself and hands on only valid UTF-8.
struct PrologGate {
    private var held = Data()
    private var open = false
    private var utf8: UTF8Validator?

    /// What may go on to the parser now (empty while the prolog is still being read), or the refusal.
    mutating func admit(_ chunk: Data) -> Result<Data, PrologRefusal> {
        if open { return validated(chunk) }
        held.append(chunk)
        return decide(complete: false)
    }

    /// At the end of the part: whatever is still held, judged as the whole part.
    mutating func finish() -> Result<Data, PrologRefusal> {
        guard open else { return decide(complete: true) }
        if let utf8, !utf8.isComplete { return .failure(PrologRefusal(reason: "ends inside a UTF-8 character")) }
        return .success(Data())
    }

    private mutating func decide(complete: Bool) -> Result<Data, PrologRefusal> {
        switch XMLProlog.check(held, complete: complete) {
        case .needsMore: return .success(Data())
        case .refused(let reason): return .failure(PrologRefusal(reason: reason))
        case .accepted(let isUTF8):
            open = true
            utf8 = isUTF8 ? UTF8Validator() : nil
            defer { held = Data() }
            let result = validated(held)
            if complete, case .success = result, let utf8, !utf8.isComplete {
                return .failure(PrologRefusal(reason: "ends inside a UTF-8 character"))
            }
            return result
        }
    }

    private mutating func validated(_ bytes: Data) -> Result<Data, PrologRefusal> {
        guard utf8 != nil else { return .success(bytes) }
        if let offset = utf8!.firstInvalid(in: bytes) {
            return .failure(PrologRefusal(reason: "is not valid UTF-8 (at byte \(offset))"))
        }
        return .success(bytes)
    }
}

/// Strict UTF-8 (Unicode's table 3-7: no overlong forms, surrogates or code points past U+10FFFF), checked chunk
/// by chunk, a character split between two chunks included.
struct UTF8Validator {
    private var needed = 0
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF
    private var consumed = 0

    /// Not inside a character.
    var isComplete: Bool { needed == 0 }

    /// The offset in the whole stream of the first byte that breaks UTF-8, if any.
    mutating func firstInvalid(in bytes: Data) -> Int? {
        let found: Int? = bytes.withUnsafeBytes { raw in
            for (index, byte) in raw.enumerated() {
                if needed == 0 {
                    switch byte {
                    case 0x00...0x7F: continue
                    case 0xC2...0xDF: needed = 1
                    case 0xE0: (needed, lower) = (2, 0xA0)
                    case 0xE1...0xEC, 0xEE...0xEF: needed = 2
                    case 0xED: (needed, upper) = (2, 0x9F)
                    case 0xF0: (needed, lower) = (3, 0x90)
                    case 0xF1...0xF3: needed = 3
                    case 0xF4: (needed, upper) = (3, 0x8F)
                    default: return index
                    }
                } else {
                    guard byte >= lower && byte <= upper else { return index }
                    (needed, lower, upper) = (needed - 1, 0x80, 0xBF)
                }
            }
            return nil
        }
        defer { consumed += bytes.count }
        return found.map { consumed + $0 }
    }
}

/// Why a part's prolog was refused, e.g. "declares a DTD (<!DOCTYPE …>), …".
struct PrologRefusal: Error {
    var reason: String
}
