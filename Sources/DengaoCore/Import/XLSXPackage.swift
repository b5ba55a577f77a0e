import Foundation
import ZIPFoundation

/// The parts of an XLSX file a bank reader needs, read from its ZIP container with hard limits.
///
/// Limits stop hostile files: a part that inflates past `maximumPartSize` (a zip bomb) is refused while
/// inflating, and a part with a DTD is refused before parsing, so no entity can expand (an XML bomb).
struct XLSXPackage {
    struct Sheet {
        var name: String
        var path: String
    }

    static let defaultMaximumPartSize = 512 * 1024 * 1024

    private let archive: Archive
    private let maximumPartSize: Int
    let sheets: [Sheet]
    let sharedStringsPath: String?

    init(data: Data, maximumPartSize: Int = defaultMaximumPartSize) throws(ImportFailure) {
        self.maximumPartSize = maximumPartSize
        guard data.starts(with: [0x50, 0x4B]), let archive = try? Archive(data: data, accessMode: .read, pathEncoding: nil) else {
            throw ImportFailure(.file, "not an XLSX file: the ZIP container is damaged or truncated")
        }
        self.archive = archive
        guard archive["xl/workbook.xml"] != nil else {
            throw ImportFailure(.file, "not an XLSX workbook: xl/workbook.xml is missing")
        }
        let workbook = try XLSXPackage.part("xl/workbook.xml", in: archive, limit: maximumPartSize)
        var relations: [String: (target: String, type: String)] = [:]
        if archive["xl/_rels/workbook.xml.rels"] != nil {
            relations = try XLSXPackage.relationships(XLSXPackage.part("xl/_rels/workbook.xml.rels", in: archive, limit: maximumPartSize))
        }
        let declared = try XLSXPackage.sheetDeclarations(workbook)
        sheets = declared.enumerated().map { index, sheet in
            let target = sheet.relationID.flatMap { relations[$0]?.target } ?? "worksheets/sheet\(index + 1).xml"
            return Sheet(name: sheet.name, path: XLSXPackage.resolve(target))
        }
        sharedStringsPath =
            relations.values.first(where: { $0.type.hasSuffix("/sharedStrings") }).map { XLSXPackage.resolve($0.target) }
            ?? (archive["xl/sharedStrings.xml"] != nil ? "xl/sharedStrings.xml" : nil)
    }

    /// The bytes of one part, refusing parts that are missing, corrupt, too large or carry a DTD.
    /// The workbook's shared-string table (empty when it has none); cells of type "s" index into it.
    func sharedStrings() throws(ImportFailure) -> [String] {
        guard let path = sharedStringsPath else { return [] }
        let handler = SharedStringsHandler()
        try XMLScan.run(handler, on: part(path), part: path)
        return handler.strings
    }

    func part(_ path: String) throws(ImportFailure) -> Data {
        try XLSXPackage.part(path, in: archive, limit: maximumPartSize)
    }

    private static func part(_ path: String, in archive: Archive, limit: Int) throws(ImportFailure) -> Data {
        guard let entry = archive[path] else { throw ImportFailure(.file, "the workbook part \(path) is missing") }
        if entry.uncompressedSize > UInt64(limit) { throw tooLarge(path, limit) }
        var data = Data()
        data.reserveCapacity(Int(min(entry.uncompressedSize, 64 * 1024 * 1024)))
        do {
            _ = try archive.extract(entry, bufferSize: 256 * 1024) { chunk in
                // The declared size can lie; the count of inflated bytes cannot.
                guard data.count + chunk.count <= limit else { throw PartTooLarge() }
                data.append(chunk)
            }
        } catch is PartTooLarge {
            throw tooLarge(path, limit)
        } catch {
            throw ImportFailure(.file, "the workbook part \(path) is damaged: \(error)")
        }
        try rejectDocumentTypeDeclaration(data, path)
        return data
    }

    private struct PartTooLarge: Error {}

    private static func tooLarge(_ path: String, _ limit: Int) -> ImportFailure {
        ImportFailure(.file, "the workbook part \(path) inflates past \(limit / 1024 / 1024) MiB; refused")
    }

    /// SpreadsheetML never uses a DTD; one in an XLSX part can only be an attempt at entity expansion.
    private static func rejectDocumentTypeDeclaration(_ data: Data, _ path: String) throws(ImportFailure) {
        // A DTD must come before the root element, so only the prolog needs scanning.
        var index = data.startIndex
        while let open = data[index...].firstIndex(of: 0x3C) {
            let next = data.index(after: open)
            guard next < data.endIndex else { return }
            switch data[next] {
            case 0x3F, 0x21:  // "<?" declaration or "<!" comment / DOCTYPE
                if data[next...].starts(with: Array("!DOCTYPE".utf8)) || data[next...].starts(with: Array("!ENTITY".utf8)) {
                    throw ImportFailure(.file, "the workbook part \(path) declares a DTD; refused")
                }
                index = next
            default:
                return
            }
        }
    }

    private static func resolve(_ target: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        return target.hasPrefix("xl/") ? target : "xl/" + target
    }

    private static func relationships(_ data: Data) throws(ImportFailure) -> [String: (target: String, type: String)] {
        var relations: [String: (target: String, type: String)] = [:]
        try XMLScan.elements(in: data, part: "workbook relationships") { name, attributes in
            if name == "Relationship", let id = attributes["Id"], let target = attributes["Target"] {
                relations[id] = (target, attributes["Type"] ?? "")
            }
        }
        return relations
    }

    private static func sheetDeclarations(_ data: Data) throws(ImportFailure) -> [(name: String, relationID: String?)] {
        var sheets: [(name: String, relationID: String?)] = []
        try XMLScan.elements(in: data, part: "workbook") { name, attributes in
            if name == "sheet" {
                sheets.append((attributes["name"] ?? "Sheet\(sheets.count + 1)", attributes.first(where: { $0.key.hasSuffix(":id") })?.value))
            }
        }
        return sheets
    }
}
