/// RFC 4180 records from delimited text: quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF.
/// A field written as `'=…` (a formula trigger after one `'`, as exports neutralize it) is read without the `'`.
///
/// Written here rather than taken from a package: none of our stack parses CSV, and importing needs the physical
/// line each record starts on (for located errors) and a byte-level loop fast enough for 100k-row banks.
enum DelimitedText {
    /// The delimiter of a file: whichever of comma, tab or semicolon occurs most in its first line.
    static func delimiter(of text: String) -> UInt8 {
        var counts: [UInt8: Int] = [0x2C: 0, 0x09: 0, 0x3B: 0]
        var inQuotes = false
        for byte in text.utf8 {
            if byte == 0x22 { inQuotes.toggle() }
            if byte == 0x0A && !inQuotes { break }
            if !inQuotes, counts[byte] != nil { counts[byte]! += 1 }
        }
        return counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key != 0x2C) })!.key
    }

    /// Calls `body` with each record's first line number and its fields until it returns false; throws if a quote
    /// is never closed or a record has more than `ImportLimits.columns` fields.
    static func forEachRecord(
        in text: String, delimiter: UInt8, _ body: (_ line: Int, _ fields: [String]) -> Bool
    ) throws(ImportFailure) {
        var text = text
        var unclosedQuoteLine: Int?
        var wideRecordLine: Int?
        text.withUTF8 { bytes in
            var fields: [String] = []
            var line = 1
            var recordLine = 1
            var index = 0
            let count = bytes.count
            // A field is a slice of the buffer; only quoted fields with doubled quotes are copied to unescape.
            func field(_ range: Range<Int>, unescaping: Bool) -> String {
                let text = rawField(range, unescaping: unescaping)
                // The `'` an export put before a formula trigger (`'=…`) is not part of the value.
                return range.isEmpty || bytes[range.lowerBound] != 0x27 ? text : FormulaInjection.csvUnescaped(text)
            }
            func rawField(_ range: Range<Int>, unescaping: Bool) -> String {
                let slice = UnsafeBufferPointer(rebasing: bytes[range])
                guard unescaping else { return String(decoding: slice, as: UTF8.self) }
                var unescaped: [UInt8] = []
                unescaped.reserveCapacity(slice.count)
                var previousWasQuote = false
                for byte in slice {
                    if byte == 0x22 && previousWasQuote {
                        previousWasQuote = false
                        continue
                    }
                    previousWasQuote = byte == 0x22
                    unescaped.append(byte)
                }
                return String(decoding: unescaped, as: UTF8.self)
            }
            while index <= count {
                // One field per iteration.
                guard fields.count < ImportLimits.columns else {
                    wideRecordLine = recordLine
                    return
                }
                if index < count && bytes[index] == 0x22 {
                    let quoteLine = line
                    let start = index + 1
                    var cursor = start
                    var doubled = false
                    var closed = false
                    while cursor < count {
                        let byte = bytes[cursor]
                        if byte == 0x22 {
                            if cursor + 1 < count && bytes[cursor + 1] == 0x22 {
                                doubled = true
                                cursor += 2
                                continue
                            }
                            closed = true
                            break
                        }
                        if byte == 0x0A { line += 1 }
                        cursor += 1
                    }
                    guard closed else {
                        unclosedQuoteLine = quoteLine
                        return
                    }
                    fields.append(field(start..<cursor, unescaping: doubled))
                    index = cursor + 1
                    // Anything between the closing quote and the delimiter is kept, as spreadsheets do.
                    while index < count && bytes[index] != delimiter && bytes[index] != 0x0A && bytes[index] != 0x0D {
                        index += 1
                    }
                } else {
                    let start = index
                    while index < count && bytes[index] != delimiter && bytes[index] != 0x0A && bytes[index] != 0x0D {
                        index += 1
                    }
                    fields.append(field(start..<index, unescaping: false))
                }
                if index < count && bytes[index] == delimiter {
                    index += 1
                    continue
                }
                // End of record: a line break or the end of the text.
                if fields.count > 1 || !fields[0].isEmpty, !body(recordLine, fields) { return }
                fields.removeAll(keepingCapacity: true)
                if index < count && bytes[index] == 0x0D { index += 1 }
                if index < count && bytes[index] == 0x0A { index += 1 }
                line += 1
                recordLine = line
                if index == count { break }
            }
        }
        if let line = unclosedQuoteLine {
            throw ImportFailure(.line(line), "这里开始的引号没有结束 (a quoted field opened here is never closed)")
        }
        if let line = wideRecordLine { throw ImportFailure(.line(line), ImportLimits.tooManyColumns) }
    }
}
