import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Event-driven reading of SpreadsheetML parts with Foundation's `XMLParser`: no document tree is built, so a
/// sheet of 100k rows is read in memory proportional to one row.
enum XMLScan {
    /// Parses `stream` with `handler`, turning parser failures into an import error at `location()`; a handler's
    /// own refusal (a DTD, too many rows) wins over the parser error its abort causes.
    static func run(
        _ handler: XMLPartHandler, on stream: InputStream, part: String, location: () -> SourceLocation = { .file }
    ) throws(ImportFailure) {
        // A stream, not `XMLParser(data:)`: on Linux the latter hands libxml2 one chunk, which fails on parts over
        // 10 MB ("huge input lookup"); the stream feeds it in pieces, as they are inflated.
        let parser = XMLParser(stream: stream)
        parser.shouldResolveExternalEntities = false
        parser.externalEntityResolvingPolicy = .never
        parser.delegate = handler
        let parsed = parser.parse()
        if let refusal = handler.refusal { throw refusal }
        if parsed || handler.stopped { return }
        let code = (parser.parserError as NSError?)?.code ?? 0
        // libxml2 also stops at text nodes over 10 MB; Foundation reports both as bare error codes.
        throw ImportFailure(
            location(),
            "\(part) 在第 \(parser.lineNumber) 行之后无法读取：XML 格式有误，或单元格内容过长 "
                + "(\(part) cannot be read past XML line \(parser.lineNumber): malformed XML or a cell beyond the "
                + "parser's size limit (XMLParser error \(code)))")
    }
}

/// The base of every SpreadsheetML handler: refuses whatever DTD the parser reports, and lets a subclass stop the
/// parse early (enough rows read) or refuse the part.
///
/// `XMLParserDelegate` is a plain Swift protocol on Linux whose unimplemented methods fall back to its extension's
/// empty defaults, fixed at this class's conformance; so the element and text events subclasses need are declared
/// here, for them to override.
class XMLPartHandler: NSObject, XMLParserDelegate {
    /// The part's name in messages, e.g. "xl/worksheets/sheet1.xml".
    let part: String
    private(set) var refusal: ImportFailure?
    private(set) var stopped = false
    private var reportedErrors = 0

    init(part: String) {
        self.part = part
    }

    /// Ends the parse here without an error: the reader has what it needs (or has recorded why it stopped).
    final func stop(_ parser: XMLParser) {
        stopped = true
        parser.abortParsing()
    }

    /// Ends the parse and fails the import with `failure`.
    final func refuse(_ parser: XMLParser, _ failure: ImportFailure) {
        if refusal == nil { refusal = failure }
        parser.abortParsing()
    }

    private func refuseDTD(_ parser: XMLParser, _ what: String) {
        refuse(
            parser,
            ImportFailure(
                .file, "工作簿的 \(part) 部分含有 DTD 声明或实体，无法导入 (the workbook part \(part) \(what); refused)"))
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {}

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {}

    func parser(_ parser: XMLParser, foundCharacters string: String) {}

    /// Stops a part that keeps reporting errors instead of letting libxml2 recover on and on: swift-corelibs-
    /// foundation leaks a few CFStrings for every error or warning it reports (`_CFErrorCreateFromXMLInterface`,
    /// found by fuzz-xlsx's leak detector), so a sheet of a million malformed cells would leak a million times.
    /// A few are let through: libxml2 reports warnings here too, which do not fail a part.
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        reportedErrors += 1
        if reportedErrors > 16 { parser.abortParsing() }
    }

    // Declarations only occur in a DTD. Linux's XMLParser reports these four; Darwin's also the entity ones.
    func parser(_ parser: XMLParser, foundElementDeclarationWithName elementName: String, model: String) {
        refuseDTD(parser, "declares a DTD (<!ELEMENT \(elementName)>)")
    }

    func parser(
        _ parser: XMLParser, foundAttributeDeclarationWithName attributeName: String, forElement elementName: String,
        type: String?, defaultValue: String?
    ) {
        refuseDTD(parser, "declares a DTD (<!ATTLIST \(elementName)>)")
    }

    func parser(
        _ parser: XMLParser, foundNotationDeclarationWithName name: String, publicID: String?, systemID: String?
    ) {
        refuseDTD(parser, "declares a DTD (<!NOTATION \(name)>)")
    }

    func parser(
        _ parser: XMLParser, foundUnparsedEntityDeclarationWithName name: String, publicID: String?, systemID: String?,
        notationName: String?
    ) {
        refuseDTD(parser, "declares a DTD (<!ENTITY \(name)>)")
    }

    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        refuseDTD(parser, "declares a DTD (<!ENTITY \(name)>)")
    }

    func parser(
        _ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?
    ) {
        refuseDTD(parser, "declares a DTD (<!ENTITY \(name)>)")
    }

    /// Asked for every entity reference the parser cannot resolve itself (all but &amp; &lt; &gt; &quot; &apos;):
    /// SpreadsheetML has no others, and nothing is ever loaded from outside the file.
    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        refuseDTD(parser, "refers to the entity &\(name);, which only a DTD could declare")
        return nil
    }
}

/// Reports every element's name and attributes; enough for small parts such as the workbook.
final class StartElementHandler: XMLPartHandler {
    let body: (String, [String: String]) -> Void

    init(part: String, body: @escaping (String, [String: String]) -> Void) {
        self.body = body
        super.init(part: part)
    }

    override func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        body(elementName, attributes)
    }
}

/// Reads `xl/sharedStrings.xml`: each `<si>` is one string, the concatenation of its `<t>` runs outside phonetic
/// (`<rPh>`) runs.
final class SharedStringsHandler: XMLPartHandler {
    private(set) var strings: [String] = []
    private var current = ""
    private var inText = false
    private var phoneticDepth = 0

    override func parser(
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

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        // Past Excel's cell limit the text is refused anyway; keeping one more character is enough to say so.
        if inText && current.utf8.count <= Question.maximumFieldLength * 4 { current += string }
    }

    override func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        switch elementName {
        case "si":
            guard strings.count < ImportLimits.sharedStrings else {
                let limit = ImportLimits.grouped(ImportLimits.sharedStrings)
                return refuse(
                    parser,
                    ImportFailure(
                        .file,
                        "工作簿的共享文字超过 \(limit) 条，无法导入 "
                            + "(the workbook part \(part) has more than \(limit) shared strings; refused)"))
            }
            strings.append(current)
        case "t": inText = false
        case "rPh": phoneticDepth -= 1
        default: break
        }
    }
}

/// Reads one worksheet row by row, handing each finished row (1-based row number, column index → text) on.
final class SheetRowsHandler: XMLPartHandler {
    private let sharedStrings: [String]
    private let onRow: (_ row: Int, _ cells: [Int: String]) -> Bool
    private(set) var badSharedStringReferences: [(row: Int, column: Int)] = []

    private(set) var rowNumber = 0
    private var cells: [Int: String] = [:]
    private var column = -1
    private var cellType = ""
    private var value = ""
    private var inlineText = ""
    private var capture: Capture = .none

    private enum Capture { case none, value, inlineText }

    private let sheet: String

    /// `onRow` returns false to stop reading the sheet (the reader has recorded why).
    init(
        sheet: String, part: String, sharedStrings: [String],
        onRow: @escaping (_ row: Int, _ cells: [Int: String]) -> Bool
    ) {
        self.sheet = sheet
        self.sharedStrings = sharedStrings
        self.onRow = onRow
        super.init(part: part)
    }

    override func parser(
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
            guard column < ImportLimits.columns else {
                return refuse(parser, ImportFailure(.row(sheet: sheet, row: rowNumber), ImportLimits.tooManyColumns))
            }
            cellType = attributes["t"] ?? "n"
            value = ""
            inlineText = ""
        case "v": capture = .value
        case "t" where cellType == "inlineStr": capture = .inlineText
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        switch capture {
        case .none: break
        case .value where value.utf8.count <= Question.maximumFieldLength * 4: value += string
        case .value: break
        case .inlineText where inlineText.utf8.count <= Question.maximumFieldLength * 4: inlineText += string
        case .inlineText: break
        }
    }

    override func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        switch elementName {
        case "v", "t": capture = .none
        case "c": finishCell()
        case "row":
            if !cells.isEmpty && !onRow(rowNumber, cells) { stop(parser) }
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

    /// Column index (A = 0) of a cell reference such as "AB17"; `ImportLimits.columns` for any column past XFD.
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0
        var letters = 0
        for scalar in reference.unicodeScalars {
            guard (65...90).contains(scalar.value) else { break }
            // Beyond Excel's last column the letters would soon overflow an Int; the cell is refused either way.
            index = min(index * 26 + Int(scalar.value - 64), ImportLimits.columns + 1)
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
