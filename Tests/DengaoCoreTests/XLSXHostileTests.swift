import Foundation
import Testing

@testable import DengaoCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Workbooks built to hurt the importer: zip bombs, DTDs in any disguise, absurd cell references. Each is refused
/// with a clear error, and nothing it holds is expanded, fetched or kept.
@Suite struct XLSXHostileTests {
    static let header = """
        <row r="1"><c r="A1" t="inlineStr"><is><t>题干</t></is></c><c r="B1" t="inlineStr"><is><t>答案</t></is></c></row>
        """
    static let question = """
        <row r="2"><c r="A2" t="inlineStr"><is><t>党的根本宗旨是全心全意为人民服务。</t></is></c><c r="B2" t="inlineStr"><is><t>对</t></is></c></row>
        """

    /// A worksheet part: `prolog` before the root element, `rows` inside `sheetData`.
    static func sheet(prolog: String = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", rows: String = header + question)
        -> String
    {
        prolog + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>" + rows
            + "</sheetData></worksheet>"
    }

    @Test func theHarmlessSheetImports() throws {
        let bank = try BankImporter.parse(try XLSXFixtures.workbook(sheetXML: Data(Self.sheet().utf8)))
        #expect(bank.questions.map(\.stem) == ["党的根本宗旨是全心全意为人民服务。"])
    }

    /// Refused from the sizes the container declares, and — when they lie — once it has inflated 50 times its
    /// compressed size, a few MiB into it.
    @Test(arguments: [false, true])
    func zipBombIsRefusedAsSoonAsItOutgrowsItsCompressedSize(understating: Bool) throws {
        let padded = Self.question + String(repeating: " ", count: 2_000)
        let sheet = Data(Self.sheet(rows: Self.header + String(repeating: padded, count: 20_000)).utf8)
        let workbook = try XLSXFixtures.workbook(sheetXML: sheet, compress: true)
        #expect(sheet.count > 40 * 1024 * 1024 && workbook.count < 256 * 1024)
        let hostile =
            understating ? XLSXFixtures.understatingSize(of: "xl/worksheets/sheet1.xml", in: workbook) : workbook
        #expect(hostile.count == workbook.count && hostile != workbook || !understating)
        #expect(
            importErrors(hostile) == [
                "文件 (file): 工作簿的 xl/worksheets/sheet1.xml 部分解压后超过压缩前的 50 倍，疑似恶意文件，无法导入 (the workbook part xl/worksheets/sheet1.xml inflates to more than 50 times its compressed size (a zip bomb); refused)"
            ])
    }

    @Test func whatOneFileInflatesToIsBounded() throws {
        // Stored, not deflated: no ratio to catch, only the budget for the whole file.
        let sheet = Data(Self.sheet(rows: Self.header + String(repeating: Self.question, count: 10_000)).utf8)
        let workbook = try XLSXFixtures.workbook(sheetXML: sheet)
        #expect(sheet.count > 1024 * 1024)
        let path = "xl/worksheets/sheet1.xml"
        try XLSXPackage(data: workbook, inflatedBytes: 2 * 1024 * 1024).scan(path, with: XMLPartHandler(part: path))
        do {
            try XLSXPackage(data: workbook, inflatedBytes: 512 * 1024).scan(path, with: XMLPartHandler(part: path))
            Issue.record("a part larger than the file's budget was read")
        } catch {
            #expect(
                error.description
                    == "文件 (file): 工作簿解压后的内容超过一个文件的上限（共 512 KiB），无法导入 "
                    + "(the workbook part \(path) inflates past what one file may hold (512 KiB in all); refused)")
        }
    }

    @Test func classicDTDIsRefused() throws {
        let prolog = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
            """
        #expect(
            importErrors(try XLSXFixtures.workbook(sheetXML: Data(Self.sheet(prolog: prolog).utf8))) == [
                Self.dtdRefusal
            ])
    }

    /// The old text pre-scan stopped at the `<` inside the comment and let the DOCTYPE through.
    @Test func dtdBehindACommentWithAnAngleBracketIsRefused() throws {
        let prolog = "<?xml version=\"1.0\"?><!-- a < b --><?pi x?>\n<!DOCTYPE worksheet [<!ENTITY x \"y\">]>"
        #expect(
            importErrors(try XLSXFixtures.workbook(sheetXML: Data(Self.sheet(prolog: prolog).utf8))) == [
                Self.dtdRefusal
            ])
    }

    @Test(arguments: [String.Encoding.utf16LittleEndian, .utf16BigEndian], [true, false])
    func utf16PartsAreReadAndTheirDTDRefused(encoding: String.Encoding, byteOrderMark: Bool) throws {
        func part(_ text: String) -> Data {
            let mark: [UInt8] = encoding == .utf16LittleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
            return (byteOrderMark ? Data(mark) : Data()) + text.data(using: encoding)!
        }
        let plain = Self.sheet(prolog: "<?xml version=\"1.0\" encoding=\"UTF-16\"?>")
        let bank = try BankImporter.parse(try XLSXFixtures.workbook(sheetXML: part(plain)))
        #expect(bank.questions.count == 1)

        let hostile = Self.sheet(
            prolog: "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!-- < --><!DOCTYPE r [<!ENTITY a \"b\">]>")
        #expect(importErrors(try XLSXFixtures.workbook(sheetXML: part(hostile))) == [Self.dtdRefusal])
    }

    @Test func encodingsOOXMLDoesNotAllowAreRefused() throws {
        let latin = Self.sheet(prolog: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>")
        #expect(
            importErrors(try XLSXFixtures.workbook(sheetXML: Data(latin.utf8))) == [
                "文件 (file): 工作簿的 xl/worksheets/sheet1.xml 部分格式不对，无法导入 (the workbook part xl/worksheets/sheet1.xml declares the encoding \"ISO-8859-1\"; XLSX parts are UTF-8 or UTF-16; refused)"
            ])
        let ucs4 = Data(
            Self.sheet(prolog: "").unicodeScalars.flatMap { scalar -> [UInt8] in
                let value = scalar.value
                return [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
            })
        #expect(
            importErrors(try XLSXFixtures.workbook(sheetXML: ucs4)) == [
                "文件 (file): 工作簿的 xl/worksheets/sheet1.xml 部分格式不对，无法导入 (the workbook part xl/worksheets/sheet1.xml is encoded neither as UTF-8 nor as UTF-16; refused)"
            ])
    }

    @Test func anOverlongPrologIsRefused() throws {
        let prolog = "<?xml version=\"1.0\"?><!--" + String(repeating: "x", count: 70_000) + "-->"
        #expect(
            importErrors(try XLSXFixtures.workbook(sheetXML: Data(Self.sheet(prolog: prolog).utf8))) == [
                "文件 (file): 工作簿的 xl/worksheets/sheet1.xml 部分格式不对，无法导入 (the workbook part xl/worksheets/sheet1.xml has more than 64 KiB before its root element; refused)"
            ])
    }

    /// An entity reference needs a DTD; without one the parser asks its delegate, which refuses.
    @Test func anEntityReferenceIsRefusedFromTheParsersEvent() throws {
        let rows = Self.header + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>&xxe;</t></is></c></row>"
        #expect(
            importErrors(try XLSXFixtures.workbook(sheetXML: Data(Self.sheet(rows: rows).utf8))) == [
                "文件 (file): 工作簿的 xl/worksheets/sheet1.xml 部分含有 DTD 声明或实体，无法导入 (the workbook part xl/worksheets/sheet1.xml refers to the entity &xxe;, which only a DTD could declare; refused)"
            ])
    }

    /// Behind the prolog reader, the parser's own DTD events refuse too (here without the prolog reader).
    @Test func theParsersDeclarationEventsAreRefused() throws {
        let document = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ELEMENT r ANY>]><r/>"
        do {
            try XMLScan.run(
                XMLPartHandler(part: "test.xml"), on: InputStream(data: Data(document.utf8)), part: "test.xml")
            Issue.record("a declaration was not refused")
        } catch {
            #expect(
                error.description
                    == "文件 (file): 工作簿的 test.xml 部分含有 DTD 声明或实体，无法导入 (the workbook part test.xml declares a DTD (<!ELEMENT r>); refused)"
            )
        }
    }

    /// A column reference of many letters overflowed an Int and stopped the process.
    @Test func cellReferencesPastTheLastColumnAreRefused() throws {
        for reference in ["XFE2", String(repeating: "Z", count: 40) + "2"] {
            let rows = Self.header + "<row r=\"2\"><c r=\"\(reference)\" t=\"inlineStr\"><is><t>x</t></is></c></row>"
            #expect(
                importErrors(try XLSXFixtures.workbook(sheetXML: Data(Self.sheet(rows: rows).utf8))) == [
                    "工作表“题库”第 2 行 (sheet \"题库\", row 2): 超过 16,384 列，拒绝导入 (more than 16,384 columns; refused)"
                ])
        }
    }

    @Test func rowsPastABanksLimitAreRefusedWhereTheyStart() throws {
        let rows =
            Self.header
            + (2...6).map { row in
                "<row r=\"\(row)\"><c r=\"A\(row)\" t=\"inlineStr\"><is><t>题\(row)</t></is></c><c r=\"B\(row)\" t=\"inlineStr\"><is><t>对</t></is></c></row>"
            }.joined()
        let workbook = try XLSXFixtures.workbook(sheetXML: Data(Self.sheet(rows: rows).utf8))
        #expect(try XLSXBankReader.read(workbook, maximumQuestions: 5).questions.count == 5)
        do {
            _ = try XLSXBankReader.read(workbook, maximumQuestions: 4)
            Issue.record("a fifth question was accepted")
        } catch {
            #expect(
                error.errors.map(\.description) == [
                    "工作表“题库”第 6 行 (sheet \"题库\", row 6): 一个文件超过 4 道题，请拆成几个文件 (more than 4 questions in one file; split the bank into several files)"
                ])
        }
    }

    static let dtdRefusal =
        "文件 (file): 工作簿的 xl/worksheets/sheet1.xml 部分格式不对，无法导入 (the workbook part xl/worksheets/sheet1.xml declares a DTD (<!DOCTYPE …>), which SpreadsheetML never uses; refused)"
}
