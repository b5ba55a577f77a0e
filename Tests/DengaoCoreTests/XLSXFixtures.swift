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
}
