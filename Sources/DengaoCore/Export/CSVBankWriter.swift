import Foundation

/// Writes the template as CSV.
enum CSVBankWriter {
    static func write(_ questions: [Question]) -> Data {
        Spreadsheet.csv(TemplateColumns.sheet(questions))
    }
}
