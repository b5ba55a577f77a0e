import Foundation
import ZIPFoundation

@testable import DengaoCore

/// Builds small workbooks around a given sheet part, for hostile inputs that are better made than committed.
enum XLSXFixtures {
    static func workbook(sheetXML: Data, sheetName: String = "题库", compress: Bool = false) throws -> Data {
        let workbook = """
            <?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
            <sheet name="\(sheetName)" sheetId="1" r:id="rId1"/></sheets></workbook>
            """
        let relations = """
            <?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
            Target="worksheets/sheet1.xml"/></Relationships>
            """
        let archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
        for (path, data) in [
            ("xl/workbook.xml", Data(workbook.utf8)), ("xl/_rels/workbook.xml.rels", Data(relations.utf8)),
            ("xl/worksheets/sheet1.xml", sheetXML),
        ] {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count),
                compressionMethod: compress ? .deflate : .none,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
        return archive.data!
    }

    /// The same container with the uncompressed size of `path` understated as 1,000 bytes in both its local header
    /// and its central directory entry, as a zip bomb's headers do.
    static func understatingSize(of path: String, in zip: Data) -> Data {
        var bytes = [UInt8](zip)
        let name = Array(path.utf8)
        func uint16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        var index = 0
        while index + 46 < bytes.count {
            if bytes[index..<index + 4].elementsEqual([0x50, 0x4B, 0x03, 0x04]), uint16(index + 26) == name.count,
                bytes[(index + 30)...].starts(with: name)
            {
                bytes.replaceSubrange(index + 22..<index + 26, with: [0xE8, 0x03, 0, 0])
            } else if bytes[index..<index + 4].elementsEqual([0x50, 0x4B, 0x01, 0x02]),
                uint16(index + 28) == name.count,
                bytes[(index + 46)...].starts(with: name)
            {
                bytes.replaceSubrange(index + 24..<index + 28, with: [0xE8, 0x03, 0, 0])
            }
            index += 1
        }
        return Data(bytes)
    }
}
