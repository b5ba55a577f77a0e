import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Event-driven reading of SpreadsheetML parts with Foundation's `XMLParser`: no document tree is built, so a
/// sheet of 100k rows is read in memory proportional to one row.
enum XMLScan {
    /// Calls `body` with every element's name and attributes; enough for small parts such as the workbook.
    static func elements(
        in data: Data, part: String, _ body: @escaping (_ name: String, _ attributes: [String: String]) -> Void
    ) throws(ImportFailure) {
        let handler = StartElementHandler(body: body)
        try run(handler, on: data, part: part)
    }

    /// Parses `data` with `delegate`, turning parser failures into an import error at `location()`.
    static func run(
        _ delegate: XMLParserDelegate, on data: Data, part: String,
        location: () -> SourceLocation = { .file }
    ) throws(ImportFailure) {
        // A stream, not `XMLParser(data:)`: on Linux the latter hands libxml2 one chunk, which fails on parts over
        // 10 MB ("huge input lookup"); the stream feeds it in pieces.
        let parser = XMLParser(stream: InputStream(data: data))
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        if !parser.parse() {
            let code = (parser.parserError as NSError?)?.code ?? 0
            // libxml2 also stops at text nodes over 10 MB; Foundation reports both as bare error codes.
            throw ImportFailure(
                location(),
                "\(part) cannot be read past XML line \(parser.lineNumber): malformed XML or a cell beyond the "
                    + "parser's size limit (XMLParser error \(code))")
        }
    }
}

private final class StartElementHandler: NSObject, XMLParserDelegate {
    let body: (String, [String: String]) -> Void

    init(body: @escaping (String, [String: String]) -> Void) {
        self.body = body
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        body(elementName, attributes)
    }
}

/// Reads `xl/sharedStrings.xml`: each `<si>` is one string, the concatenation of its `<t>` runs outside phonetic
/// (`<rPh>`) runs.
final class SharedStringsHandler: NSObject, XMLParserDelegate {
    private(set) var strings: [String] = []
    private var current = ""
    private var inText = false
    private var phoneticDepth = 0

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        switch elementName {
        case "si": current = ""
        case "t": inText = phoneticDepth == 0
        case "rPh": phoneticDepth += 1
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        // Past Excel's cell limit the text is refused anyway; keeping one more character is enough to say so.
        if inText && current.utf8.count <= Question.maximumFieldLength * 4 { current += string }
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        switch elementName {
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": phoneticDepth -= 1
        default: break
        }
    }
}

/// Reads one worksheet row by row, handing each finished row (1-based row number, column index → text) on.
final class SheetRowsHandler: NSObject, XMLParserDelegate {
    private let sharedStrings: [String]
    private let onRow: (_ row: Int, _ cells: [Int: String]) -> Void
    private(set) var badSharedStringReferences: [(row: Int, column: Int)] = []

    private(set) var rowNumber = 0
    private var cells: [Int: String] = [:]
    private var column = -1
    private var cellType = ""
    private var value = ""
    private var inlineText = ""
    private var capture: Capture = .none

    private enum Capture { case none, value, inlineText }

    init(sharedStrings: [String], onRow: @escaping (_ row: Int, _ cells: [Int: String]) -> Void) {
        self.sharedStrings = sharedStrings
        self.onRow = onRow
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        switch elementName {
        case "row":
            rowNumber = attributes["r"].flatMap { Int($0) } ?? rowNumber + 1
            cells.removeAll(keepingCapacity: true)
            column = -1
        case "c":
            column = attributes["r"].flatMap(SheetRowsHandler.columnIndex) ?? column + 1
            cellType = attributes["t"] ?? "n"
            value = ""
            inlineText = ""
        case "v": capture = .value
        case "t" where cellType == "inlineStr": capture = .inlineText
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        switch capture {
        case .none: break
        case .value: value += string
        case .inlineText where inlineText.utf8.count <= Question.maximumFieldLength * 4: inlineText += string
        case .inlineText: break
        }
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        switch elementName {
        case "v", "t": capture = .none
        case "c": finishCell()
        case "row":
            if !cells.isEmpty { onRow(rowNumber, cells) }
        default: break
        }
    }

    private func finishCell() {
        let text: String
        switch cellType {
        case "s":
            guard let index = Int(value), sharedStrings.indices.contains(index) else {
                badSharedStringReferences.append((rowNumber, column))
                return
            }
            text = sharedStrings[index]
        case "inlineStr": text = inlineText
        case "b": text = value == "1" ? "TRUE" : "FALSE"
        default: text = value
        }
        if !text.isEmpty { cells[column] = text }
    }

    /// Column index (A = 0) of a cell reference such as "AB17".
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0
        var letters = 0
        for scalar in reference.unicodeScalars {
            guard (65...90).contains(scalar.value) else { break }
            index = index * 26 + Int(scalar.value - 64)
            letters += 1
        }
        return letters == 0 ? nil : index - 1
    }

    /// "A" for 0, "AB" for 27: how Excel names a column, for locations in sheets without a header.
    static func columnName(_ index: Int) -> String {
        var index = index + 1
        var name = ""
        while index > 0 {
            let remainder = (index - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            index = (index - 1) / 26
        }
        return name
    }
}
