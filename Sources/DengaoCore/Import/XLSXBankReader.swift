import Foundation

/// Reads a bank from an XLSX workbook: every sheet whose first row is a bank header, columns in any order.
enum XLSXBankReader {
    static func read(_ data: Data, maximumQuestions: Int = ImportLimits.questions) throws(ImportFailure) -> ParsedBank {
        let package = try XLSXPackage(data: data)
        let sharedStrings = try package.sharedStrings()

        var issues = IssueCollector()
        var questions: [LocatedQuestion] = []
        var sheetsWithHeader = 0
        var rowsLeft = maximumQuestions
        for sheet in package.sheets where rowsLeft >= 0 {
            var reader = SheetReader(sheet: sheet.name, maximumQuestions: maximumQuestions)
            let handler = SheetRowsHandler(sheet: sheet.name, part: sheet.path, sharedStrings: sharedStrings) {
                row, cells in
                reader.read(row: row, cells: cells, into: &questions, issues: &issues, rowsLeft: &rowsLeft)
            }
            try package.scan(sheet.path, with: handler) { .row(sheet: sheet.name, row: handler.rowNumber) }
            for (row, column) in handler.badSharedStringReferences {
                issues.error(
                    .cell(sheet: sheet.name, row: row, column: SheetRowsHandler.columnName(column)),
                    "引用的共享文字不存在，文件可能已损坏 (refers to a shared string that does not exist)")
            }
            if reader.header != nil { sheetsWithHeader += 1 }
            if reader.skippedForMissingHeader {
                issues.warning(
                    .row(sheet: sheet.name, row: reader.firstRow),
                    "首行不是题库表头（题干、答案…），已跳过此工作表 (no bank header in the first row; sheet skipped)")
            }
        }
        if sheetsWithHeader == 0 && issues.errors.isEmpty {
            issues.error(
                .file, "没有哪个工作表以至少含 题干、答案 的表头行开始 (no sheet starts with a header row naming at least 题干 and 答案)")
        }
        return try issues.finish(.xlsx, questions)
    }

    /// The row-by-row state of one sheet: the header once seen, then one question per non-empty row.
    private struct SheetReader {
        let sheet: String
        let maximumQuestions: Int
        /// A sheet named "多选题" holds 多选 questions when no 题型 column says otherwise.
        let impliedType: QuestionType?
        var header: TabularHeader?
        var skippedForMissingHeader = false
        var firstRow = 0

        init(sheet: String, maximumQuestions: Int) {
            self.sheet = sheet
            self.maximumQuestions = maximumQuestions
            impliedType = FieldParsing.questionType(FieldParsing.trimmed(sheet))
        }

        /// Reads one row; false once the file has more rows than a bank may hold (recorded as an error).
        mutating func read(
            row: Int, cells: [Int: String], into questions: inout [LocatedQuestion], issues: inout IssueCollector,
            rowsLeft: inout Int
        ) -> Bool {
            guard !skippedForMissingHeader, cells.values.contains(where: { !FieldParsing.trimmed($0).isEmpty })
            else { return true }
            guard let header else {
                firstRow = row
                let found = TabularHeader(cells: cells)
                guard found.isHeader else {
                    skippedForMissingHeader = true
                    return true
                }
                for problem in found.problems { issues.error(.row(sheet: sheet, row: row), "表头：\(problem)") }
                for name in found.ignored {
                    issues.warning(
                        .row(sheet: sheet, row: row),
                        "“\(name)”列不是题库字段，已忽略 (column \"\(name)\" is not a bank field; ignored)")
                }
                self.header = found
                return true
            }
            guard header.problems.isEmpty else { return true }
            rowsLeft -= 1
            guard rowsLeft >= 0 else {
                issues.error(.row(sheet: sheet, row: row), ImportLimits.tooManyQuestions(maximumQuestions))
                return false
            }
            let sheet = self.sheet
            guard
                var raw = header.rawQuestion(
                    cells: cells, rowLocation: .row(sheet: sheet, row: row),
                    cellLocation: { .cell(sheet: sheet, row: row, column: $0) }, issues: &issues)
            else { return true }
            raw.impliedType = impliedType
            if let question = QuestionBuilder.build(raw, issues: &issues) {
                questions.append(LocatedQuestion(question: question, location: .row(sheet: sheet, row: row)))
            }
            return true
        }
    }
}
