import Foundation
import Testing

@testable import DengaoCore

/// Every input the fuzzers in Fuzz/ found to crash, hang or leak, as a regression test (docs: Tests/fuzz/run).
@Suite struct FuzzFindingsTests {
    /// fuzz-roster: a container whose central directory points past its end made ZIPFoundation's memory-backed
    /// reader trap (a negative range in `MemoryFile.readData`), which would stop the whole server.
    @Test func aDirectoryPointingPastTheEndIsRefused() throws {
        let input = try fixture("fuzz/roster-crash-635f8b51.xlsx")
        let refusal =
            "文件 (file): 不是有效的 XLSX 文件：压缩包已损坏或不完整 (not an XLSX file: the ZIP container is damaged or truncated (its central directory lies past the end of the file))"
        do {
            _ = try RosterReader.read(input)
            Issue.record("the damaged roster was read")
        } catch {
            #expect(error.errors.map(\.description) == [refusal])
        }
        #expect(importErrors(input, format: .xlsx) == [refusal])
    }

    /// fuzz-xlsx (timeout): a deflate stream cut short made ZIPFoundation's inflate loop read past the entry and
    /// then spin at the end of the data for ever, holding a thread and an import slot.
    @Test func aTruncatedDeflateStreamIsRefused() throws {
        let sheet = Data(
            XLSXHostileTests.sheet(
                rows: XLSXHostileTests.header + String(repeating: XLSXHostileTests.question, count: 300)
            ).utf8)
        let whole = try XLSXFixtures.workbook(sheetXML: sheet, compress: true)
        let directory = try ZIPDirectory(whole, maximumEntries: 10)
        let entry = try #require(directory.entries["xl/worksheets/sheet1.xml"])
        let stored = try directory.storedRange(of: entry)
        // The sheet's compressed bytes end at half their length; the rest of the container (the directory) follows.
        var cut = whole
        cut.removeSubrange(stored.lowerBound + stored.count / 2..<stored.upperBound)
        var patched = [UInt8](cut)
        func patch32(_ at: Int, _ value: Int) {
            for shift in 0..<4 { patched[at + shift] = UInt8(truncatingIfNeeded: value >> (8 * shift)) }
        }
        let removed = stored.count - stored.count / 2
        // Keep the directory consistent: the entry's compressed size and every later offset shrink by `removed`.
        let end = patched.count - 22
        let directoryStart = Int(patched[end + 16]) | Int(patched[end + 17]) << 8 | Int(patched[end + 18]) << 16
        patch32(end + 16, directoryStart - removed)
        var position = directoryStart - removed
        while position + 46 <= end, patched[position..<position + 4].elementsEqual([0x50, 0x4B, 0x01, 0x02]) {
            let local =
                Int(patched[position + 42]) | Int(patched[position + 43]) << 8 | Int(patched[position + 44]) << 16
            let name = String(
                decoding: patched[(position + 46)..<(position + 46 + Int(patched[position + 28]))], as: UTF8.self)
            if name == "xl/worksheets/sheet1.xml" { patch32(position + 20, stored.count / 2) }
            if local > stored.lowerBound { patch32(position + 42, local - removed) }
            position += 46 + Int(patched[position + 28]) + Int(patched[position + 30]) + Int(patched[position + 32])
        }
        #expect(
            importErrors(Data(patched)) == [
                "文件 (file): 工作簿的 xl/worksheets/sheet1.xml 部分已损坏：压缩数据不完整 (the workbook part xl/worksheets/sheet1.xml is damaged: its compressed data ends early)"
            ])
    }

    /// fuzz-xlsx (leak detector), on the committed truncated.xlsx: without an end-of-central-directory record,
    /// ZIPFoundation's `Archive(data:)` threw without closing its memory file, so every such upload stayed in memory
    /// for good. Uploads are now read by `ZIPDirectory`; this keeps any reader honest.
    @Test func aTruncatedContainerIsReleased() throws {
        let truncated = try fixture("truncated.xlsx")
        let released = Flag()
        do {
            let copy = UnsafeMutableRawPointer.allocate(byteCount: truncated.count, alignment: 1)
            truncated.copyBytes(to: copy.assumingMemoryBound(to: UInt8.self), count: truncated.count)
            let upload = Data(
                bytesNoCopy: copy, count: truncated.count,
                deallocator: .custom { pointer, _ in
                    pointer.deallocate()
                    released.set()
                })
            #expect(
                importErrors(upload, format: .xlsx) == [
                    "文件 (file): 不是有效的 XLSX 文件：压缩包已损坏或不完整 (not an XLSX file: the ZIP container is damaged or truncated (its end-of-directory record is missing))"
                ])
            #expect(throws: ImportFailure.self) { try RosterReader.read(upload) }
        }
        #expect(released.value, "the upload's bytes are still held after the import failed")
    }

    /// fuzz-roster and fuzz-xlsx: a damaged sheet (here, bytes changed after zipping) with an invalid UTF-8 byte
    /// in an attribute name made swift-corelibs-foundation's XMLParser force-unwrap a failed string conversion and
    /// trap, which would stop the whole server.
    @Test func invalidUTF8InANameIsRefusedBeforeTheParserSeesIt() throws {
        let input = try fixture("fuzz/roster-crash-ab57f5e7.xlsx")
        do {
            _ = try RosterReader.read(input)
            Issue.record("the damaged roster was read")
        } catch {
            #expect(error.errors.count == 1)
            #expect(
                error.errors.first?.description.hasPrefix(
                    "文件 (file): 工作簿的 xl/worksheets/sheet1.xml 部分格式不对，无法导入 (the workbook part xl/worksheets/sheet1.xml is not valid UTF-8 (at byte"
                ) == true)
        }
        for hostile in ["<r a\u{E5}=\"1\"/>", "<pageMar\u{E5}380 x=\"1\"/>", "<!-- \u{E5} -->", "<?p\u{E5} x?>"] {
            // U+00E5 written as its Latin-1 byte 0xE5, which is not UTF-8.
            var sheet = Data(XLSXHostileTests.sheet().utf8)
            let bytes = Array(hostile.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
            sheet.insert(contentsOf: bytes, at: sheet.range(of: Data("<sheetData>".utf8))!.upperBound)
            let errors = importErrors(try XLSXFixtures.workbook(sheetXML: sheet))
            #expect(errors.count == 1 && errors[0].contains("is not valid UTF-8"), "\(hostile): \(errors)")
        }
    }

    @Test func theUTF8ValidatorFollowsTheStandardAcrossChunks() {
        for (bytes, valid) in [
            ([0x41, 0xC3, 0xA5], true), ([0xE4, 0xB8, 0xAD, 0xF0, 0x9F, 0x98, 0x80], true),  // 中, 😀
            ([0xC0, 0x80], false), ([0xED, 0xA0, 0x80], false), ([0xF4, 0x90, 0x80, 0x80], false),
            ([0xE5, 0x41], false),
        ] as [([UInt8], Bool)] {
            for split in 0...bytes.count {
                var validator = UTF8Validator()
                let first = validator.firstInvalid(in: Data(bytes[..<split]))
                let second = first == nil ? validator.firstInvalid(in: Data(bytes[split...])) : first
                #expect((second == nil && validator.isComplete) == valid, "\(bytes) split at \(split)")
            }
        }
    }

    /// fuzz-csv (round trip): a quote followed by a combining mark is one Character, so the CSV writer's
    /// Character-based replace did not double it, and the field broke the re-import.
    @Test func aQuoteBeforeACombiningMarkIsDoubledInCSV() throws {
        let question = Question(
            type: .multiple, stem: "下列属于\"四个全面\"的有（ ）。", options: ["全面建设", "全\"\u{0307}深化改革", "全面依法治国"],
            answer: .choices([0, 1]))
        let exported = try BankExporter.export([question], as: .csv)
        #expect(String(decoding: exported, as: UTF8.self).contains(",\"全\"\"\u{0307}深化改革\","))
        #expect(try BankImporter.parse(exported, format: .csv).questions == [question])
    }

    /// fuzz-csv (round trip): a fill answer starting with a combining mark joined the "|" before it into one
    /// Character, so the re-import read two accepted answers as one. (GIFT still reads its `=` markers as
    /// Characters: such an answer is not yet kept there.)
    @Test(arguments: [BankFormat.csv, .xlsx, .json, .text])
    func anAnswerStartingWithACombiningMarkStaysItsOwn(format: BankFormat) throws {
        let question = Question(type: .fill, stem: "党的全国代表大会和它所产生的（ ）。", answer: .texts(["中央委员会", "\u{05A7}gb180"]))
        let exported = try BankExporter.export([question], as: format)
        #expect(try BankImporter.parse(exported, format: format).questions == [question], "\(format)")
    }

    /// fuzz-text: option lines repeated under one stem ran the question past eight options, and the error message
    /// looked up a ninth option letter, which stopped the process.
    @Test func repeatedOptionLinesAreAnErrorNotACrash() throws {
        let text = "1. 中共一大于（ ）年召开。\nA．1919 B．1921 C．1927 D．1949 E．1950\nA．1919 B．1921 C．1927 D．1949 E．1950\n答案：B\n"
        let errors = importErrors(Data(text.utf8), format: .text)
        #expect(errors.contains("第 3 行 (line 3): 选项 E 顺序不对 (option E follows option number 9)"), "\(errors)")
        #expect(errors.contains("第 3 行 (line 3): 选项 A 顺序不对 (option A follows option E)"), "\(errors)")
        #expect(try fixture("fuzz/text-crash-29087415.txt").count == 745)
        #expect(!importErrors(try fixture("fuzz/text-crash-29087415.txt"), format: .text).isEmpty)
    }

    /// Valid containers still pass, whoever wrote them (openpyxl, Dengao's own export, ZIPFoundation stored).
    @Test(arguments: ["valid-chinese.xlsx", "valid-english.xlsx", "roster.xlsx", "broken.xlsx"])
    func validContainersAreReadable(file: String) throws {
        #expect(try ZIPDirectory(try fixture(file), maximumEntries: 100).entries["xl/workbook.xml"] != nil)
        #expect(
            try ZIPDirectory(try BankExporter.export(Question.mockBank, as: .xlsx), maximumEntries: 100).entries.count
                == 6)
    }
}

/// A flag set from a deallocator, read after it ran.
private final class Flag: @unchecked Sendable {
    // `@unchecked Sendable`: set and read on the test's own thread (Data's deallocator runs where it is released).
    private(set) var value = false
    func set() { value = true }
}
