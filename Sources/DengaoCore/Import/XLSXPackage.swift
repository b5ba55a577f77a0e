import Foundation
import ZIPFoundation

/// The parts of an XLSX file a reader needs, streamed from its ZIP container under hard limits (`ImportLimits`).
///
/// A part is inflated on a helper thread and parsed as it inflates, so memory does not grow with a part's size.
/// Everything one file inflates counts against one budget, and a part that inflates far beyond its compressed size
/// is refused at once: a zip bomb costs a moment, not memory. A part's prolog is read before the parser sees it
/// (`XMLProlog`) and the parser's own DTD events are refused (`XMLPartHandler`), so no entity can expand and
/// nothing outside the file is ever loaded.
struct XLSXPackage {
    struct Sheet {
        var name: String
        var path: String
    }

    private let archive: Archive
    private let entries: [String: Entry]
    private let budget: InflationBudget
    let sheets: [Sheet]
    let sharedStringsPath: String?

    init(data: Data, inflatedBytes: Int = ImportLimits.inflatedBytes) throws(ImportFailure) {
        guard data.starts(with: [0x50, 0x4B]), let archive = try? Archive(data: data, accessMode: .read, pathEncoding: nil) else {
            throw ImportFailure(.file, "not an XLSX file: the ZIP container is damaged or truncated")
        }
        self.archive = archive
        // One pass over the central directory: looking entries up by path would walk it again for every part.
        var entries: [String: Entry] = [:]
        for entry in archive {
            guard entries.count < ImportLimits.archiveEntries else {
                throw ImportFailure(.file, "the XLSX container has more than \(ImportLimits.archiveEntries) entries; refused")
            }
            if entries[entry.path] == nil { entries[entry.path] = entry }
        }
        self.entries = entries
        budget = InflationBudget(remaining: inflatedBytes, limit: inflatedBytes)
        guard entries["xl/workbook.xml"] != nil else {
            throw ImportFailure(.file, "not an XLSX workbook: xl/workbook.xml is missing")
        }

        var declared: [(name: String, relationID: String?)] = []
        var tooManySheets = false
        let workbook = StartElementHandler(part: "xl/workbook.xml") { name, attributes in
            guard name == "sheet" else { return }
            guard declared.count < ImportLimits.sheets else {
                tooManySheets = true
                return
            }
            declared.append((attributes["name"] ?? "Sheet\(declared.count + 1)", attributes.first(where: { $0.key.hasSuffix(":id") })?.value))
        }
        try XLSXPackage.scan("xl/workbook.xml", in: archive, entries, budget, with: workbook)
        if tooManySheets { throw ImportFailure(.file, "the workbook declares more than \(ImportLimits.sheets) sheets; refused") }

        var relations: [String: (target: String, type: String)] = [:]
        if entries["xl/_rels/workbook.xml.rels"] != nil {
            let handler = StartElementHandler(part: "xl/_rels/workbook.xml.rels") { name, attributes in
                if name == "Relationship", let id = attributes["Id"], let target = attributes["Target"], relations.count < ImportLimits.archiveEntries {
                    relations[id] = (target, attributes["Type"] ?? "")
                }
            }
            try XLSXPackage.scan("xl/_rels/workbook.xml.rels", in: archive, entries, budget, with: handler)
        }
        sheets = declared.enumerated().map { index, sheet in
            let target = sheet.relationID.flatMap { relations[$0]?.target } ?? "worksheets/sheet\(index + 1).xml"
            return Sheet(name: sheet.name, path: XLSXPackage.resolve(target))
        }
        sharedStringsPath =
            relations.values.first(where: { $0.type.hasSuffix("/sharedStrings") }).map { XLSXPackage.resolve($0.target) }
            ?? (entries["xl/sharedStrings.xml"] != nil ? "xl/sharedStrings.xml" : nil)
    }

    /// The workbook's shared-string table (empty when it has none); cells of type "s" index into it.
    func sharedStrings() throws(ImportFailure) -> [String] {
        guard let path = sharedStringsPath else { return [] }
        let handler = SharedStringsHandler(part: path)
        try scan(path, with: handler)
        return handler.strings
    }

    /// Streams the part at `path` through `handler`; parser errors are reported at `location()`.
    func scan(_ path: String, with handler: XMLPartHandler, location: () -> SourceLocation = { .file }) throws(ImportFailure) {
        try XLSXPackage.scan(path, in: archive, entries, budget, with: handler, location: location)
    }

    private static func scan(
        _ path: String, in archive: Archive, _ entries: [String: Entry], _ budget: InflationBudget,
        with handler: XMLPartHandler, location: () -> SourceLocation = { .file }
    ) throws(ImportFailure) {
        guard let entry = entries[path], entry.type == .file else {
            throw ImportFailure(.file, "the workbook part \(path) is missing")
        }
        // What the container declares is checked first, then what actually inflates (declarations can lie).
        if entry.uncompressedSize > UInt64(PartInflation.ratioLimit(entry)) { throw PartInflation.bomb(path) }
        if entry.uncompressedSize > UInt64(max(0, budget.remaining)) { throw budget.exceeded(path) }
        let inflation = PartInflation(archive: archive, entry: entry, path: path, budget: budget)
        let channel = ChunkChannel()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            inflation.run(into: channel)
            channel.finish()
            done.signal()
        }
        let parseFailure: ImportFailure?
        do {
            try XMLScan.run(handler, on: ChannelInputStream(channel), part: "the workbook part \(path)", location: location)
            parseFailure = nil
        } catch {
            parseFailure = error
        }
        channel.close()
        done.wait()
        // The inflation's verdict comes first: a refused bomb or prolog also ends the parse with an error.
        if let failure = inflation.failure { throw failure }
        if let parseFailure { throw parseFailure }
    }

    private static func resolve(_ target: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        return target.hasPrefix("xl/") ? target : "xl/" + target
    }
}

/// The bytes one file's parts may still inflate to.
///
/// `@unchecked Sendable`: it is used by one part's inflating thread at a time, and the thread that started it waits
/// for it to end (`DispatchSemaphore`) before the next part begins.
final class InflationBudget: @unchecked Sendable {
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
            .file, "the workbook part \(path) inflates past what one file may hold (\(ImportLimits.size(limit)) in all); refused")
    }
}

/// One part inflated on its own thread into a `ChunkChannel`, counted and checked as it goes.
///
/// `@unchecked Sendable`: the archive, entry and budget are used only on the inflating thread while it runs, and
/// `failure` is written there before the thread signals its end and read by the waiting thread only after it.
private final class PartInflation: @unchecked Sendable {
    private let archive: Archive
    private let entry: Entry
    private let path: String
    private let budget: InflationBudget
    private(set) var failure: ImportFailure?

    init(archive: Archive, entry: Entry, path: String, budget: InflationBudget) {
        self.archive = archive
        self.entry = entry
        self.path = path
        self.budget = budget
    }

    private struct Refused: Error { var failure: ImportFailure }
    private struct ReaderGone: Error {}

    /// The most an entry may inflate to before it counts as a zip bomb.
    static func ratioLimit(_ entry: Entry) -> Int {
        let (limit, overflow) = Int(clamping: entry.compressedSize).multipliedReportingOverflow(by: ImportLimits.compressionRatio)
        return overflow ? Int.max : max(ImportLimits.compressionRatioGrace, limit)
    }

    static func bomb(_ path: String) -> ImportFailure {
        ImportFailure(
            .file,
            "the workbook part \(path) inflates to more than \(ImportLimits.compressionRatio) times its compressed size "
                + "(a zip bomb); refused")
    }

    func run(into channel: ChunkChannel) {
        var prolog = PrologGate()
        var inflated = 0
        let ratioLimit = Self.ratioLimit(entry)
        func pass(_ result: Result<Data, PrologRefusal>) throws {
            switch result {
            case .failure(let refusal):
                throw Refused(failure: ImportFailure(.file, "the workbook part \(path) \(refusal.reason); refused"))
            case .success(let bytes):
                if !bytes.isEmpty, !channel.send(bytes) { throw ReaderGone() }
            }
        }
        do {
            let checksum = try archive.extract(entry, bufferSize: 64 * 1024) { chunk in
                inflated += chunk.count
                // The declared size can lie; the count of inflated bytes cannot.
                guard budget.spend(chunk.count) else { throw Refused(failure: budget.exceeded(path)) }
                if inflated > ratioLimit { throw Refused(failure: Self.bomb(path)) }
                try pass(prolog.admit(chunk))
            }
            try pass(prolog.finish())
            if checksum != entry.checksum {
                failure = ImportFailure(.file, "the workbook part \(path) is damaged: its checksum does not match")
            }
        } catch let refused as Refused {
            failure = refused.failure
        } catch is ReaderGone {
            // The parser stopped first (an error, or enough rows); its outcome is the one to report.
        } catch {
            failure = ImportFailure(.file, "the workbook part \(path) is damaged: \(error)")
        }
    }
}
