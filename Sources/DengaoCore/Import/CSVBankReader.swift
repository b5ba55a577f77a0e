import Foundation

/// Reads a bank from CSV (or tab- or semicolon-separated text) with the template's columns in any order.
enum CSVBankReader {
    /// Reads `data`; while no error has been found, `delivery` gets the questions read so far in batches, so a
    /// store can insert them while the rest is parsed (the returned bank still holds every question).
    static func read(
        _ data: Data, maximumQuestions: Int = ImportLimits.questions, delivery: QuestionDelivery? = nil
    ) throws(ImportFailure) -> ParsedBank {
        let text = try TextDecoding.decode(data)
        var issues = IssueCollector()
        var header: TabularHeader?
        var questions: [LocatedQuestion] = []
        var rowsLeft = maximumQuestions
        var delivered = 0
        try DelimitedText.forEachRecord(in: text, delimiter: DelimitedText.delimiter(of: text)) { line, fields in
            guard fields.contains(where: { !FieldParsing.trimmed($0).isEmpty }) else { return true }
            let cells = Dictionary(uniqueKeysWithValues: fields.enumerated().map { ($0.offset, $0.element) })
            guard let header else {
                let found = TabularHeader(cells: cells)
                for problem in found.problems { issues.error(.line(line), "表头：\(problem)") }
                for name in found.ignored {
                    issues.warning(
                        .line(line), "“\(name)”列不是题库字段，已忽略 (column \"\(name)\" is not a bank field; ignored)")
                }
                header = found
                return true
            }
            guard header.problems.isEmpty else { return false }
            rowsLeft -= 1
            guard rowsLeft >= 0 else {
                issues.error(.line(line), ImportLimits.tooManyQuestions(maximumQuestions))
                return false
            }
            if let raw = header.rawQuestion(
                cells: cells, rowLocation: .line(line), cellLocation: { .lineField(line: line, column: $0) },
                issues: &issues),
                let question = QuestionBuilder.build(raw, issues: &issues)
            {
                questions.append(LocatedQuestion(question: question, location: .line(line)))
            }
            if let delivery, issues.errors.isEmpty, questions.count - delivered >= delivery.batchSize {
                let batch = questions[delivered...].map(\.question)
                delivered = questions.count
                // The store could not take them (it failed); the import is over, so reading on is wasted.
                return delivery.deliver(batch)
            }
            return true
        }
        return try issues.finish(.csv, questions)
    }
}
