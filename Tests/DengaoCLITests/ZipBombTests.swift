import DengaoCore
import Foundation
import Testing
import ZIPFoundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `dengao import` of a real zip bomb in a child process, measured by the kernel: the child's peak resident memory
/// (`ru_maxrss` from `wait4`) against the same child importing a small valid workbook.
@Suite struct ZipBombTests {
    static let dengao = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("dengao")
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("DengaoCoreTests/Fixtures")

    /// A bank workbook whose one sheet is `size` bytes: a header, then one real question row over and over, each
    /// followed by `padding` spaces. Deflated by ZIPFoundation; with `understating`, its headers claim the sheet is
    /// 1,000 bytes, as a bomb's do.
    static func bomb(inflatingTo size: Int, padding: Int, understating: Bool) throws -> Data {
        func cells(_ texts: [String]) -> String {
            "<row>" + texts.map { "<c t=\"inlineStr\"><is><t>\($0)</t></is></c>" }.joined() + "</row>"
        }
        let head = Data(
            ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/"
                + "spreadsheetml/2006/main\"><sheetData>" + cells(["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案"])).utf8)
        let row = Data(
            (cells(["单选", "中国共产党第一次全国代表大会于（ ）年召开。", "1919", "1921", "1927", "1949", "B"])
                + String(repeating: " ", count: padding)).utf8)
        let tail = Data("</sheetData></worksheet>".utf8)
        let rows = (size - head.count - tail.count) / row.count
        let sheetSize = head.count + rows * row.count + tail.count
        let chunkSize = 1024 * 1024
        let block = (0..<(chunkSize / row.count + 2)).reduce(into: Data()) { block, _ in block += row }
        // The sheet is produced piece by piece as ZIPFoundation asks for it, never held whole.
        let sheet: Provider = { position, count in
            var chunk = Data(capacity: count)
            var offset = Int(position)
            while chunk.count < count {
                if offset < head.count {
                    chunk.append(head[offset..<min(head.count, offset + count - chunk.count)])
                } else if offset < head.count + rows * row.count {
                    let within = (offset - head.count) % row.count
                    let take = min(count - chunk.count, head.count + rows * row.count - offset)
                    chunk.append(block[within..<within + take])
                } else {
                    let within = offset - head.count - rows * row.count
                    chunk.append(tail[within..<min(tail.count, within + count - chunk.count)])
                }
                offset = Int(position) + chunk.count
            }
            return chunk
        }
        let workbook = Data(
            """
            <?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
            <sheet name="题库" sheetId="1" r:id="rId1"/></sheets></workbook>
            """.utf8)
        let relations = Data(
            """
            <?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
            Target="worksheets/sheet1.xml"/></Relationships>
            """.utf8)
        let archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
        for (path, data) in [("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", relations)] {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                provider: { position, count in data.subdata(in: Int(position)..<Int(position) + count) })
        }
        try archive.addEntry(
            with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(sheetSize),
            compressionMethod: .deflate,
            bufferSize: chunkSize, provider: sheet)
        return understating ? understate(archive.data!, path: "xl/worksheets/sheet1.xml") : archive.data!
    }

    /// Rewrites the uncompressed size of `path` in its local header and central directory entry to 1,000 bytes.
    static func understate(_ zip: Data, path: String) -> Data {
        var bytes = [UInt8](zip)
        let name = Array(path.utf8)
        func uint16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func setSize(_ at: Int) { bytes.replaceSubrange(at..<at + 4, with: [0xE8, 0x03, 0x00, 0x00]) }
        var index = 0
        while index + 46 < bytes.count {
            if bytes[index..<index + 4].elementsEqual([0x50, 0x4B, 0x03, 0x04]),
                bytes[(index + 30)...].starts(with: name), uint16(index + 26) == name.count
            {
                setSize(index + 22)
            } else if bytes[index..<index + 4].elementsEqual([0x50, 0x4B, 0x01, 0x02]),
                bytes[(index + 46)...].starts(with: name), uint16(index + 28) == name.count
            {
                setSize(index + 24)
            }
            index += 1
        }
        return Data(bytes)
    }

    struct Child {
        var status: Int32
        var stderr: String
        var peakResidentMiB: Int
    }

    /// Runs `dengao import FILE` and reports the child's own peak RSS (`wait4`'s `ru_maxrss`, KiB on Linux).
    static func importInChild(_ file: String) throws -> Child {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dengao-bomb-\(UUID().uuidString)"
        ).path
        let errors = directory + ".stderr"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let arguments = [dengao.path, "import", file, "--bank", "炸弹", "--data", directory]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, dengao.path, &actions, nil, &argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        // ru_maxrss is in KiB on Linux, in bytes on Darwin.
        #if os(Linux)
            let peak = usage.ru_maxrss / 1024
        #else
            let peak = usage.ru_maxrss / 1024 / 1024
        #endif
        return Child(status: (status >> 8) & 0xFF, stderr: text, peakResidentMiB: peak)
    }

    static let bombRefusal =
        "error: 文件 (file): 工作簿的 xl/worksheets/sheet1.xml 部分解压后超过压缩前的 50 倍，疑似恶意文件，无法导入 (the workbook part xl/worksheets/sheet1.xml inflates to more than 50 times its compressed size (a zip bomb); refused)"

    /// 500 MiB of rows padded with whitespace (deflate's best case, ~1,000×), whether the headers declare the size or
    /// understate it: refused as a bomb, from the declaration or after inflating 50 times the compressed size.
    @Test(arguments: [false, true])
    func aFiveHundredMebibyteBombIsRefusedWithoutTheMemory(understating: Bool) throws {
        let bomb = try Self.bomb(inflatingTo: 500 * 1024 * 1024, padding: 4000, understating: understating)
        let refused = try Self.measure(bomb, "padded rows, sizes \(understating ? "understated" : "declared")")
        #expect(refused.stderr.contains(Self.bombRefusal), "\(refused.stderr)")
    }

    /// Dense rows (~150 bytes, ~230× compressed) with understated sizes: every row is a question, so the parse gets
    /// as far as the file's question limit before the ratio; what that holds is the most a refused bank can cost.
    @Test func aBombOfDenseQuestionRowsStopsAtTheQuestionLimit() throws {
        let bomb = try Self.bomb(inflatingTo: 500 * 1024 * 1024, padding: 0, understating: true)
        let refused = try Self.measure(bomb, "dense question rows, sizes understated")
        #expect(
            refused.stderr.contains(
                "error: 工作表“题库”第 200002 行 (sheet \"题库\", row 200002): 一个文件超过 200,000 道题，请拆成几个文件 (more than 200,000 questions in one file; split the bank into several files)"
            ),
            "\(refused.stderr)")
    }

    /// Imports `bomb` in a child, expects a refusal and at most 256 MiB more peak RSS than a valid workbook takes.
    private static func measure(_ bomb: Data, _ kind: String) throws -> Child {
        #expect(bomb.count < 3 * 1024 * 1024, "a bomb: \(bomb.count) bytes for 500 MiB")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bomb-\(UUID().uuidString).xlsx").path
        try bomb.write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let baseline = try importInChild(fixtures.appendingPathComponent("valid-chinese.xlsx").path)
        #expect(baseline.status == 0, "\(baseline.stderr)")
        let refused = try importInChild(file)
        #expect(refused.status == 2)
        let growth = refused.peakResidentMiB - baseline.peakResidentMiB
        print(
            "zip bomb (\(kind)): \(bomb.count / 1024) KiB inflating to 500 MiB; peak RSS \(refused.peakResidentMiB) MiB, "
                + "a valid workbook's \(baseline.peakResidentMiB) MiB")
        #expect(growth <= 256, "peak RSS grew by \(growth) MiB")
        return refused
    }
}
