import Foundation
import Testing
import ZIPFoundation

@testable import DengaoCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The worksheet part written as bytes: well-formed XML whatever the cells hold, with the text and numbers given.
struct WorksheetWriterTests {
    @Test func cellsComeBackAsWrittenWithWhatXMLCannotCarryDropped() throws {
        let header = (0..<28).map { "列\($0)" }
        let hostile = "a&b<c>d\"e'f\tg\nh\ri\u{01}j\u{FFFE}k\u{FFFF}l\u{FFFD}m😀党"
        var row: [Spreadsheet.Cell] = [.text(hostile), .number(-42), .number(Int.min), .number(0), .text("")]
        row += (5..<28).map { .number($0) }
        let sheet = Spreadsheet.Sheet(name: "表", header: header, rows: [row, [.text("=1+2"), .number(Int.max)]])
        let worksheet = try part(Spreadsheet.xlsx([sheet]))
        let cells = try WorksheetCells.read(worksheet)

        #expect(cells["A1"] == "列0")
        #expect(cells["AB1"] == "列27")
        #expect(cells["A2"] == "a&b<c>d\"e'f\tg\nh\ri" + "jkl\u{FFFD}m😀党")
        #expect(cells["B2"] == "-42")
        #expect(cells["C2"] == String(Int.min))
        #expect(cells["D2"] == "0")
        #expect(cells["E2"] == nil, "an empty text is no cell")
        #expect(cells["AB2"] == "27")
        #expect(cells["A3"] == "=1+2")
        #expect(cells["B3"] == String(Int.max))
        #expect(
            String(decoding: worksheet, as: UTF8.self).contains(
                "<c r=\"A3\" t=\"inlineStr\" s=\"2\"><is><t xml:space=\"preserve\">=1+2</t></is></c>"))
    }

    @Test func aHeaderOnlySheetIsAValidPart() throws {
        let sheet = Spreadsheet.Sheet(name: "空", header: ["姓名", "得分"], rows: [], widths: [14])
        let worksheet = try part(Spreadsheet.xlsx([sheet]))
        let text = String(decoding: worksheet, as: UTF8.self)
        #expect(try WorksheetCells.read(worksheet) == ["A1": "姓名", "B1": "得分"])
        #expect(text.contains("<col min=\"1\" max=\"1\" width=\"14\" customWidth=\"1\"/>"))
        #expect(text.contains("<col min=\"2\" max=\"2\" width=\"18\" customWidth=\"1\"/>"))
        #expect(text.contains("<c r=\"A1\" t=\"inlineStr\" s=\"1\">"))
    }

    private func part(_ workbook: Data) throws -> Data {
        let archive = try Archive(data: workbook, accessMode: .read)
        let entry = try #require(archive["xl/worksheets/sheet1.xml"])
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        return data
    }
}

/// A worksheet's cells by reference, read with Foundation's XML parser (which fails on anything not well-formed).
private final class WorksheetCells: NSObject, XMLParserDelegate {
    private var cells: [String: String] = [:]
    private var reference: String?
    private var text = ""
    private var inValue = false

    static func read(_ data: Data) throws -> [String: String] {
        let reader = WorksheetCells()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
        return reader.cells
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if name == "c" { (reference, text) = (attributes["r"], "") }
        if name == "t" || name == "v" { inValue = true }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if inValue { text += string } }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "t" || name == "v" { inValue = false }
        if name == "c", let reference { cells[reference] = text }
    }
}
