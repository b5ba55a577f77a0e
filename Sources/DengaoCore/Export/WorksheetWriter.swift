import Foundation

/// One worksheet part of an XLSX workbook, written straight into UTF-8 bytes.
///
/// A campaign's results workbook holds tens of thousands of cells; building each as an interpolated `String` (and
/// its column letters anew) was the largest part of what a download cost the server while members climbed
/// (BENCHMARKS.md, the report load). Foundation's `XMLDocument` is not available everywhere and builds a tree first,
/// so the part is written by hand; the markup is fixed and only cell text needs escaping.
struct WorksheetWriter {
    /// The cell formats of the workbook's styles part, by their index in its `cellXfs`.
    enum Style: Int {
        case body, header
        /// Text that would start a formula: shown and kept as text, the way Excel marks a typed leading `'`.
        case bodyText, headerText

        var asText: Style { self == .body || self == .bodyText ? .bodyText : .headerText }
    }

    private var bytes: [UInt8] = []
    /// "A", "B", …, "AA", … for each column a row of this sheet can have.
    private let columnNames: [[UInt8]]

    /// The part for `sheet`: frozen header row, column widths, the header in bold, then the rows.
    static func part(_ sheet: Spreadsheet.Sheet) -> Data {
        let columns = max(sheet.header.count, sheet.rows.map(\.count).max() ?? 0)
        var writer = WorksheetWriter(columns: columns)
        writer.bytes.reserveCapacity(64 * columns * (sheet.rows.count + 1) + 512)
        writer.append(
            """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols>
            """)
        for index in sheet.header.indices {
            let width = index < sheet.widths.count ? sheet.widths[index] : 18
            writer.append("<col min=\"")
            writer.append(index + 1)
            writer.append("\" max=\"")
            writer.append(index + 1)
            writer.append("\" width=\"")
            writer.append(width)
            writer.append("\" customWidth=\"1\"/>")
        }
        writer.append("</cols><sheetData>")
        writer.row(1, sheet.header.map(Spreadsheet.Cell.text), style: .header)
        for (offset, cells) in sheet.rows.enumerated() { writer.row(offset + 2, cells, style: .body) }
        writer.append("</sheetData></worksheet>")
        return Data(writer.bytes)
    }

    private init(columns: Int) {
        columnNames = (0..<columns).map { Array(SheetRowsHandler.columnName($0).utf8) }
    }

    private mutating func row(_ number: Int, _ cells: [Spreadsheet.Cell], style: Style) {
        append("<row r=\"")
        append(number)
        append("\">")
        for (index, cell) in cells.enumerated() {
            switch cell {
            case .text(let text) where text.isEmpty: continue
            case .text(let text):
                // An inline string is never a formula; the quotePrefix style keeps it text when someone edits it.
                cellStart(index, row: number)
                append(" t=\"inlineStr\"")
                appendStyle(FormulaInjection.startsFormula(text) ? style.asText : style)
                append("><is><t xml:space=\"preserve\">")
                appendEscaped(text)
                append("</t></is></c>")
            case .number(let value):
                cellStart(index, row: number)
                appendStyle(style)
                append("><v>")
                append(value)
                append("</v></c>")
            }
        }
        append("</row>")
    }

    /// `<c r="B7"` — the cell's type and style attributes follow.
    private mutating func cellStart(_ column: Int, row: Int) {
        append("<c r=\"")
        bytes.append(contentsOf: columnNames[column])
        append(row)
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendStyle(_ style: Style) {
        guard style != .body else { return }
        append(" s=\"")
        append(style.rawValue)
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func append(_ markup: StaticString) {
        markup.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func append(_ value: Int) {
        guard value != 0 else { return bytes.append(UInt8(ascii: "0")) }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: [UInt8] = []
        var rest = value.magnitude
        while rest > 0 {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        }
        bytes.append(contentsOf: digits.reversed())
    }

    /// XML text: markup characters and CR escaped, and what XML 1.0 cannot carry (control characters other than tab and
    /// line ends, U+FFFE and U+FFFF) dropped. Works on the UTF-8 bytes: every character that matters is ASCII or,
    /// for U+FFFE and U+FFFF, the three bytes EF BF BE / EF BF BF, which no other character's encoding contains.
    private mutating func appendEscaped(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                switch byte {
                case UInt8(ascii: "&"): append("&amp;")
                case UInt8(ascii: "<"): append("&lt;")
                case UInt8(ascii: ">"): append("&gt;")
                case UInt8(ascii: "\""): append("&quot;")
                case UInt8(ascii: "\t"), UInt8(ascii: "\n"): bytes.append(byte)
                // A raw CR would be read back as a line feed (XML's end-of-line normalization); a reference keeps it.
                case UInt8(ascii: "\r"): append("&#13;")
                case 0..<0x20: break
                case 0xEF
                where index + 2 < utf8.count && utf8[index + 1] == 0xBF
                    && (utf8[index + 2] == 0xBE || utf8[index + 2] == 0xBF):
                    index += 2
                default: bytes.append(byte)
                }
                index += 1
            }
        }
    }
}
