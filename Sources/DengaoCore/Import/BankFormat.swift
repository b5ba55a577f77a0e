import Foundation

/// The file formats a bank can be imported from and exported to.
public enum BankFormat: String, Codable, Sendable, CaseIterable {
    case xlsx, csv, json, gift, aiken
    /// The layout people paste from Word: "1. 题干", "A. 选项", "答案：A", "解析：…".
    case text

    /// The usual file extension for an export.
    public var fileExtension: String {
        switch self {
        case .text: "txt"
        case .aiken: "txt"
        default: rawValue
        }
    }

    /// The MIME type an export is served with.
    public var contentType: String {
        switch self {
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .csv: "text/csv; charset=utf-8"
        case .json: "application/json"
        case .gift, .aiken, .text: "text/plain; charset=utf-8"
        }
    }

    /// Accepts the format names and the common aliases people type ("txt", "word", "moodle").
    public init?(name: String) {
        switch name.lowercased() {
        case "xlsx", "excel": self = .xlsx
        case "csv": self = .csv
        case "json": self = .json
        case "gift", "moodle": self = .gift
        case "aiken": self = .aiken
        case "text", "txt", "word", "plain": self = .text
        default: return nil
        }
    }

    /// The format of a file, from its content first and its extension as a tie-breaker.
    ///
    /// Content wins because files travel with wrong names (a ".xls" that is really XLSX, a CSV saved as ".txt").
    public static func detect(fileName: String?, content: Data) -> BankFormat {
        let ext = fileName.map { ($0 as NSString).pathExtension.lowercased() } ?? ""
        if content.starts(with: [0x50, 0x4B, 0x03, 0x04]) || ext == "xlsx" { return .xlsx }
        switch ext {
        case "json": return .json
        case "gift": return .gift
        case "aiken": return .aiken
        case "csv", "tsv": return .csv
        default: break
        }
        // Only the first 64 KiB are sniffed: enough to see the structure, cheap for a 100k-question file.
        let head = (try? TextDecoding.decode(content.prefix(64 * 1024), allowTruncatedEnd: true)) ?? ""
        return sniff(head)
    }

    /// Guesses a text format from its first lines.
    static func sniff(_ text: String) -> BankFormat {
        let trimmed = text.drop(while: { $0.isWhitespace })
        if trimmed.first == "{" || trimmed.first == "[" { return .json }
        let lines = text.split(whereSeparator: \.isNewline).map { FieldParsing.trimmed($0) }.filter { !$0.isEmpty }
        if lines.contains(where: { $0.hasPrefix("$CATEGORY") || ($0.hasPrefix("::") && $0.contains("{")) })
            || lines.contains(where: { $0.hasSuffix("{") || ($0.contains("{") && $0.hasSuffix("}")) })
        {
            return .gift
        }
        if lines.contains(where: { $0.range(of: #"^ANSWER\s*:\s*[A-Za-z]\s*$"#, options: .regularExpression) != nil }) {
            return .aiken
        }
        if let first = lines.first, TabularHeader.looksLikeHeader(first) { return .csv }
        return .text
    }
}
