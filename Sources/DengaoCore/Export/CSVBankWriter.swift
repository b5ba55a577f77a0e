import Foundation

/// Writes the template as UTF-8 CSV with a BOM and CRLF line ends, which is what Excel opens without garbling.
enum CSVBankWriter {
    static func write(_ questions: [Question]) -> Data {
        let optionCount = TemplateColumns.optionCount(questions)
        var output = "\u{FEFF}"
        output += TemplateColumns.header(optionCount: optionCount).map(quoted).joined(separator: ",") + "\r\n"
        for question in questions {
            let row = TemplateColumns.cells(question, optionCount: optionCount)
            output += (row.before + [String(row.difficulty)] + row.after).map(quoted).joined(separator: ",") + "\r\n"
        }
        return Data(output.utf8)
    }

    private static let needsQuotes: Set<Unicode.Scalar> = [",", "\"", "\n", "\r", ";", "\t"]

    private static func quoted(_ field: String) -> String {
        // Scalars, not Characters: "\r\n" is one Character and would slip past a check for "\n".
        guard field.unicodeScalars.contains(where: { needsQuotes.contains($0) }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
