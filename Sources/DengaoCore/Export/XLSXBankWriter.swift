import Foundation

/// Writes the template as a one-sheet workbook named "题库".
enum XLSXBankWriter {
    static func write(_ questions: [Question]) -> Data {
        Spreadsheet.xlsx([TemplateColumns.sheet(questions)])
    }
}
