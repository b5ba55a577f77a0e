import Foundation

/// Reads a roster from XLSX (the first sheet with a roster header) or CSV (UTF-8, UTF-16 or GB18030).
public enum RosterReader {
    /// The roster, or every error in it.
    public static func parse(_ data: Data) throws(ImportFailure) -> ParsedRoster {
        let (roster, errors) = try read(data)
        guard errors.isEmpty else { throw ImportFailure(errors: errors, warnings: roster.warnings) }
        return roster
    }

    /// The well-formed rows and the errors of the others, so that an import can add the errors it finds in the
    /// good rows (unknown units…) and report everything at once. Throws only when nothing can be read.
    public static func read(_ data: Data) throws(ImportFailure) -> (roster: ParsedRoster, errors: [ImportIssue]) {
        try read(data, maximumMembers: ImportLimits.members)
    }

    static func read(_ data: Data, maximumMembers: Int) throws(ImportFailure) -> (
        roster: ParsedRoster, errors: [ImportIssue]
    ) {
        if data.isEmpty { throw ImportFailure(.file, "文件是空的 (the file is empty)") }
        var issues = IssueCollector()
        var entries: [RosterEntry] = []
        // XLSX is a zip archive; anything else must be delimited text.
        if data.starts(with: [0x50, 0x4B]) {
            try readWorkbook(data, maximumMembers: maximumMembers, into: &entries, issues: &issues)
        } else {
            try readDelimited(data, maximumMembers: maximumMembers, into: &entries, issues: &issues)
        }
        reportDuplicateNumbers(entries, issues: &issues)
        if entries.isEmpty && issues.errors.isEmpty {
            throw ImportFailure(errors: [.error(.file, "没有找到党员 (no members found)")], warnings: issues.warnings)
        }
        return (ParsedRoster(entries: entries, warnings: issues.warnings), issues.errors)
    }

    private static func readDelimited(
        _ data: Data, maximumMembers: Int, into entries: inout [RosterEntry], issues: inout IssueCollector
    ) throws(ImportFailure) {
        let text = try TextDecoding.decode(data)
        var header: RosterHeader?
        var rowsLeft = maximumMembers
        try DelimitedText.forEachRecord(in: text, delimiter: DelimitedText.delimiter(of: text)) { line, fields in
            guard fields.contains(where: { !FieldParsing.trimmed($0).isEmpty }) else { return true }
            let cells = Dictionary(uniqueKeysWithValues: fields.enumerated().map { ($0.offset, $0.element) })
            guard let header else {
                let found = RosterHeader(cells: cells)
                for problem in found.problems { issues.error(.line(line), "表头：\(problem)") }
                for name in found.ignored {
                    issues.warning(
                        .line(line), "“\(name)”列不是花名册字段，已忽略 (column \"\(name)\" is not a roster field; ignored)")
                }
                header = found
                return true
            }
            guard header.problems.isEmpty else { return false }
            rowsLeft -= 1
            guard rowsLeft >= 0 else {
                issues.error(.line(line), ImportLimits.tooManyMembers(maximumMembers))
                return false
            }
            if let entry = header.entry(
                cells: cells, rowLocation: .line(line), cellLocation: { .lineField(line: line, column: $0) },
                issues: &issues)
            {
                entries.append(entry)
            }
            return true
        }
    }

    private static func readWorkbook(
        _ data: Data, maximumMembers: Int, into foundEntries: inout [RosterEntry],
        issues foundIssues: inout IssueCollector
    ) throws(ImportFailure) {
        // The row handler escapes (XMLParser's delegate keeps it), so it works on locals copied back at the end.
        var entries: [RosterEntry] = []
        var issues = IssueCollector()
        defer {
            foundEntries += entries
            for issue in issues.errors { foundIssues.error(issue.location, issue.message) }
            for issue in issues.warnings { foundIssues.warning(issue.location, issue.message) }
        }
        let package = try XLSXPackage(data: data)
        let sharedStrings = try package.sharedStrings()
        for sheet in package.sheets {
            var header: RosterHeader?
            var rowsLeft = maximumMembers
            let handler = SheetRowsHandler(sheet: sheet.name, part: sheet.path, sharedStrings: sharedStrings) {
                row, cells in
                guard cells.values.contains(where: { !FieldParsing.trimmed($0).isEmpty }) else { return true }
                guard let header else {
                    let found = RosterHeader(cells: cells)
                    // Not a roster sheet: the rest of it does not matter.
                    guard found.isHeader else { return false }
                    for problem in found.problems { issues.error(.row(sheet: sheet.name, row: row), "表头：\(problem)") }
                    for name in found.ignored {
                        issues.warning(
                            .row(sheet: sheet.name, row: row),
                            "“\(name)”列不是花名册字段，已忽略 (column \"\(name)\" is not a roster field; ignored)")
                    }
                    header = found
                    return true
                }
                guard header.problems.isEmpty else { return false }
                rowsLeft -= 1
                guard rowsLeft >= 0 else {
                    issues.error(.row(sheet: sheet.name, row: row), ImportLimits.tooManyMembers(maximumMembers))
                    return false
                }
                if let entry = header.entry(
                    cells: cells, rowLocation: .row(sheet: sheet.name, row: row),
                    cellLocation: { .cell(sheet: sheet.name, row: row, column: $0) }, issues: &issues)
                {
                    entries.append(entry)
                }
                return true
            }
            try package.scan(sheet.path, with: handler) { .row(sheet: sheet.name, row: handler.rowNumber) }
            // The first sheet with a roster header is the roster; later sheets are notes, statistics and the like.
            if header != nil { return }
        }
        issues.error(
            .file, "没有哪个工作表以含 姓名、党员编号、所在支部 的表头行开始 (no sheet starts with a header row naming 姓名, 党员编号 and 所在支部)")
    }

    private static func reportDuplicateNumbers(_ entries: [RosterEntry], issues: inout IssueCollector) {
        var first: [String: SourceLocation] = [:]
        for entry in entries {
            if let earlier = first[entry.number] {
                issues.error(
                    entry.location,
                    "党员编号 \(entry.number) 重复，已出现在\(earlier) (member number \(entry.number) appears twice)")
            } else {
                first[entry.number] = entry.location
            }
        }
    }
}
