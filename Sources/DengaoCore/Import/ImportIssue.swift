/// Where in an imported file something was found; printed the way an organizer finds it again.
public enum SourceLocation: Hashable, Sendable, CustomStringConvertible {
    case file
    case line(Int)
    /// A field of a delimited text file: the physical line the record starts on and the header of its column.
    case lineField(line: Int, column: String)
    case cell(sheet: String, row: Int, column: String)
    case row(sheet: String, row: Int)
    case record(index: Int, field: String?)

    /// Chinese first, with the English in brackets, like every message a user can cause: the pages and the CLI
    /// print it before the issue's message.
    public var description: String {
        switch self {
        case .file: "文件 (file)"
        case .line(let line): "第 \(line) 行 (line \(line))"
        case .lineField(let line, let column): "第 \(line) 行“\(column)”列 (line \(line), column \(column))"
        case .cell(let sheet, let row, let column):
            "工作表“\(sheet)”第 \(row) 行“\(column)”列 (sheet \"\(sheet)\", row \(row), column \(column))"
        case .row(let sheet, let row): "工作表“\(sheet)”第 \(row) 行 (sheet \"\(sheet)\", row \(row))"
        case .record(let index, let field):
            "第 \(index + 1) 题\(field.map { "的 \($0) 字段" } ?? "") (questions[\(index)]\(field.map { ".\($0)" } ?? ""))"
        }
    }
}

/// One located finding of an import: an error refuses the whole file, a warning is reported alongside success.
public struct ImportIssue: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable { case error, warning }

    public var severity: Severity
    public var location: SourceLocation
    public var message: String

    public init(_ severity: Severity, at location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    public static func error(_ location: SourceLocation, _ message: String) -> ImportIssue {
        ImportIssue(.error, at: location, message)
    }

    public static func warning(_ location: SourceLocation, _ message: String) -> ImportIssue {
        ImportIssue(.warning, at: location, message)
    }

    public var description: String { "\(location): \(message)" }
}

/// A file that cannot be imported, with every error found in it (not only the first).
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    public var errors: [ImportIssue]
    public var warnings: [ImportIssue]

    public init(errors: [ImportIssue], warnings: [ImportIssue] = []) {
        self.errors = errors
        self.warnings = warnings
    }

    public init(_ location: SourceLocation, _ message: String) {
        self.init(errors: [.error(location, message)])
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// The questions read from one file, ready to be stored, and what the reader noticed along the way.
public struct ParsedBank: Sendable {
    public var format: BankFormat
    public var questions: [Question]
    public var warnings: [ImportIssue]

    public init(format: BankFormat, questions: [Question], warnings: [ImportIssue] = []) {
        self.format = format
        self.questions = questions
        self.warnings = warnings
    }
}

/// Collects located issues while a reader walks a file, so every problem is reported at once.
struct IssueCollector {
    private(set) var errors: [ImportIssue] = []
    private(set) var warnings: [ImportIssue] = []

    mutating func error(_ location: SourceLocation, _ message: String) {
        errors.append(.error(location, message))
    }

    mutating func warning(_ location: SourceLocation, _ message: String) {
        warnings.append(.warning(location, message))
    }

    /// The bank if nothing went wrong, otherwise the failure listing every error.
    func finish(_ format: BankFormat, _ questions: [LocatedQuestion]) throws(ImportFailure) -> ParsedBank {
        guard errors.isEmpty else { throw ImportFailure(errors: errors, warnings: warnings) }
        guard !questions.isEmpty else {
            throw ImportFailure(errors: [.error(.file, "没有找到题目 (no questions found)")], warnings: warnings)
        }
        return ParsedBank(
            format: format, questions: questions.map(\.question),
            warnings: warnings + DuplicateStems.warnings(in: questions))
    }
}

/// A question together with where its reader found it, for located warnings after parsing.
struct LocatedQuestion {
    var question: Question
    var location: SourceLocation
}
