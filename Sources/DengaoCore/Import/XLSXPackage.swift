import Foundation

/// The parts of an XLSX file a reader needs, streamed from its ZIP container under hard limits (`ImportLimits`).
///
/// A part is inflated as the parser reads it (`ZIPEntryStream`), so memory does not grow with a part's size.
/// Everything one file inflates counts against one budget, and a part that inflates far beyond its compressed size
/// is refused at once: a zip bomb costs a moment, not memory. A part's prolog is read before the parser sees it
/// (`XMLProlog`) and the parser's own DTD events are refused (`XMLPartHandler`), so no entity can expand and
/// nothing outside the file is ever loaded.
struct XLSXPackage {
    struct Sheet {
        var name: String
        var path: String
    }

    private let data: Data
    private let directory: ZIPDirectory
    private let budget: InflationBudget
    let sheets: [Sheet]
    let sharedStringsPath: String?

    init(data: Data, inflatedBytes: Int = ImportLimits.inflatedBytes) throws(ImportFailure) {
        guard data.starts(with: [0x50, 0x4B]) else {
            throw ImportFailure(
                .file, "不是有效的 XLSX 文件：压缩包已损坏或不完整 (not an XLSX file: the ZIP container is damaged or truncated)")
        }
        do {
            directory = try ZIPDirectory(data, maximumEntries: ImportLimits.archiveEntries)
        } catch {
            throw ImportFailure(.file, XLSXPackage.damagedContainer(error.reason))
        }
        self.data = data
        budget = InflationBudget(remaining: inflatedBytes, limit: inflatedBytes)
        guard directory.entries["xl/workbook.xml"] != nil else {
            throw ImportFailure(
                .file, "不是有效的 Excel 工作簿：缺少 xl/workbook.xml (not an XLSX workbook: xl/workbook.xml is missing)")
        }

        var declared: [(name: String, relationID: String?)] = []
        var tooManySheets = false
        let workbook = StartElementHandler(part: "xl/workbook.xml") { name, attributes in
            guard name == "sheet" else { return }
            guard declared.count < ImportLimits.sheets else {
                tooManySheets = true
                return
            }
            declared.append(
                (
                    attributes["name"] ?? "Sheet\(declared.count + 1)",
                    attributes.first(where: { $0.key.hasSuffix(":id") })?.value
                ))
        }
        try XLSXPackage.scan("xl/workbook.xml", in: data, directory, budget, with: workbook)
        if tooManySheets {
            throw ImportFailure(
                .file,
                "工作簿的工作表超过 \(ImportLimits.sheets) 个，无法导入 "
                    + "(the workbook declares more than \(ImportLimits.sheets) sheets; refused)")
        }

        var relations: [String: (target: String, type: String)] = [:]
        if directory.entries["xl/_rels/workbook.xml.rels"] != nil {
            let handler = StartElementHandler(part: "xl/_rels/workbook.xml.rels") { name, attributes in
                if name == "Relationship", let id = attributes["Id"], let target = attributes["Target"],
                    relations.count < ImportLimits.archiveEntries
                {
                    relations[id] = (target, attributes["Type"] ?? "")
                }
            }
            try XLSXPackage.scan("xl/_rels/workbook.xml.rels", in: data, directory, budget, with: handler)
        }
        sheets = declared.enumerated().map { index, sheet in
            let target = sheet.relationID.flatMap { relations[$0]?.target } ?? "worksheets/sheet\(index + 1).xml"
            return Sheet(name: sheet.name, path: XLSXPackage.resolve(target))
        }
        sharedStringsPath =
            relations.values.first(where: { $0.type.hasSuffix("/sharedStrings") }).map {
                XLSXPackage.resolve($0.target)
            }
            ?? (directory.entries["xl/sharedStrings.xml"] != nil ? "xl/sharedStrings.xml" : nil)
    }

    /// The workbook's shared-string table (empty when it has none); cells of type "s" index into it.
    func sharedStrings() throws(ImportFailure) -> [String] {
        guard let path = sharedStringsPath else { return [] }
        let handler = SharedStringsHandler(part: path)
        try scan(path, with: handler)
        return handler.strings
    }

    /// Streams the part at `path` through `handler`; parser errors are reported at `location()`.
    func scan(_ path: String, with handler: XMLPartHandler, location: () -> SourceLocation = { .file })
        throws(ImportFailure)
    {
        try XLSXPackage.scan(path, in: data, directory, budget, with: handler, location: location)
    }

    private static func scan(
        _ path: String, in data: Data, _ directory: ZIPDirectory, _ budget: InflationBudget,
        with handler: XMLPartHandler, location: () -> SourceLocation = { .file }
    ) throws(ImportFailure) {
        guard let entry = directory.entries[path], !path.hasSuffix("/") else {
            throw ImportFailure(.file, "工作簿缺少 \(path) 部分，文件可能已损坏 (the workbook part \(path) is missing)")
        }
        guard entry.flags & 0x01 == 0 else {
            throw ImportFailure(
                .file, "工作簿的 \(path) 部分已加密，请去掉密码后再导入 (the workbook part \(path) is encrypted; refused)")
        }
        let stored: Range<Int>
        do {
            stored = try directory.storedRange(of: entry)
        } catch {
            throw ImportFailure(.file, XLSXPackage.damagedContainer(error.reason))
        }
        // What the container declares is checked first, then what actually inflates (declarations can lie).
        let ratioLimit = Self.ratioLimit(compressedSize: stored.count)
        if entry.uncompressedSize > ratioLimit { throw bomb(path) }
        if entry.uncompressedSize > budget.remaining { throw budget.exceeded(path) }
        let stream = ZIPEntryStream(data: data, range: stored, entry: entry, budget: budget, ratioLimit: ratioLimit)
        do {
            try XMLScan.run(handler, on: stream, part: "the workbook part \(path)", location: location)
        } catch {
            // The stream's verdict comes first: a refused bomb or prolog also ends the parse with an error.
            throw stream.failure ?? error
        }
        if let failure = stream.failure { throw failure }
    }

    /// The most a part may inflate to before it counts as a zip bomb.
    static func ratioLimit(compressedSize: Int) -> Int {
        let (limit, overflow) = compressedSize.multipliedReportingOverflow(by: ImportLimits.compressionRatio)
        return overflow ? Int.max : max(ImportLimits.compressionRatioGrace, limit)
    }

    /// The refusal of a file whose ZIP container cannot be read, with the English detail of what is wrong.
    static func damagedContainer(_ reason: String) -> String {
        "不是有效的 XLSX 文件：压缩包已损坏或不完整 (not an XLSX file: the ZIP container is damaged or truncated (\(reason)))"
    }

    static func bomb(_ path: String) -> ImportFailure {
        ImportFailure(
            .file,
            "工作簿的 \(path) 部分解压后超过压缩前的 \(ImportLimits.compressionRatio) 倍，疑似恶意文件，无法导入 "
                + "(the workbook part \(path) inflates to more than \(ImportLimits.compressionRatio) times its compressed size "
                + "(a zip bomb); refused)")
    }

    private static func resolve(_ target: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        return target.hasPrefix("xl/") ? target : "xl/" + target
    }
}

/// The bytes one file's parts may still inflate to, shared by the parts of one file as they are read one by one.
final class InflationBudget {
    private(set) var remaining: Int
    let limit: Int

    init(remaining: Int, limit: Int) {
        self.remaining = remaining
        self.limit = limit
    }

    func spend(_ count: Int) -> Bool {
        remaining -= count
        return remaining >= 0
    }

    func exceeded(_ path: String) -> ImportFailure {
        ImportFailure(
            .file,
            "工作簿解压后的内容超过一个文件的上限（共 \(ImportLimits.size(limit))），无法导入 "
                + "(the workbook part \(path) inflates past what one file may hold (\(ImportLimits.size(limit)) in all); refused)"
        )
    }
}
