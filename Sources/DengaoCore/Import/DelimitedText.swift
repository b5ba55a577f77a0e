/// RFC 4180 records from delimited text: quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF.
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

    /// Calls `body` with each record's first line number and its fields; throws if a quote is never closed.
    static func forEachRecord(
        in text: String, delimiter: UInt8, _ body: (_ line: Int, _ fields: [String]) -> Void
    ) throws(ImportFailure) {
        var text = text
        var unclosedQuoteLine: Int?
        text.withUTF8 { bytes in
            var fields: [String] = []
            var field: [UInt8] = []
            var line = 1
            var recordLine = 1
            var inQuotes = false
            var quoteLine = 0
            var index = 0
            let count = bytes.count
            func endField() {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            }
            func endRecord() {
                endField()
                body(recordLine, fields)
                fields.removeAll(keepingCapacity: true)
            }
            while index < count {
                let byte = bytes[index]
                index += 1
                if inQuotes {
                    if byte == 0x22 {
                        if index < count && bytes[index] == 0x22 {
                            field.append(0x22)
                            index += 1
                        } else {
                            inQuotes = false
                        }
                    } else {
                        if byte == 0x0A { line += 1 }
                        field.append(byte)
                    }
                    continue
                }
                switch byte {
                case 0x22 where field.isEmpty:
                    inQuotes = true
                    quoteLine = line
                case delimiter:
                    endField()
                case 0x0D where index < count && bytes[index] == 0x0A:
                    continue
                case 0x0A, 0x0D:
                    endRecord()
                    line += 1
                    recordLine = line
                default:
                    field.append(byte)
                }
            }
            if inQuotes {
                unclosedQuoteLine = quoteLine
            } else if !field.isEmpty || !fields.isEmpty {
                endRecord()
            }
        }
        if let line = unclosedQuoteLine {
            throw ImportFailure(.line(line), "a quoted field opened here is never closed")
        }
    }
}
