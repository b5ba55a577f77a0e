import Foundation

/// One member as a roster file states them, before the units it names are resolved.
public struct RosterEntry: Sendable, Equatable {
    public var number: String
    public var name: String
    /// A unit path (`机关党委/第一党支部`), a path's tail, or a unit code.
    public var unit: String
    public var phone: String?
    /// nil when the file has no 状态 column: the member's flag is left as it is (new members are active).
    public var active: Bool?
    /// The category names of a 类别 cell (`农村党员、党务干部`); nil when the file has no such column or the cell is
    /// empty: the member's categories are left as they are.
    public var categories: [String]?
    public var location: SourceLocation

    public init(
        number: String, name: String, unit: String, phone: String? = nil, active: Bool? = nil,
        categories: [String]? = nil, location: SourceLocation
    ) {
        self.number = number
        self.name = name
        self.unit = unit
        self.phone = phone
        self.active = active
        self.categories = categories
        self.location = location
    }
}

public struct ParsedRoster: Sendable {
    public var entries: [RosterEntry]
    public var warnings: [ImportIssue]

    public init(entries: [RosterEntry], warnings: [ImportIssue] = []) {
        self.entries = entries
        self.warnings = warnings
    }
}

/// The field rules for members, shared by roster import, the console and the CLI.
public enum MemberFields {
    public static let maximumNameLength = 50
    public static let maximumNumberLength = 32

    public static func number(_ raw: String) -> Result<String, MemberFieldProblem> {
        let number = spreadsheetInteger(FieldParsing.trimmed(raw))
        if number.isEmpty { return .failure(.missing("member number")) }
        if number.count > maximumNumberLength { return .failure(.tooLong("member number", maximumNumberLength)) }
        if number.contains(where: {
            $0.isWhitespace || $0 == "/" || $0.unicodeScalars.contains { $0.properties.generalCategory == .control }
        }) {
            return .failure(
                .invalid(
                    "党员编号“\(number)”含空格、斜杠或控制字符 (member number \"\(number)\" contains spaces, slashes or control characters)"
                ))
        }
        return .success(number)
    }

    public static func name(_ raw: String) -> Result<String, MemberFieldProblem> {
        let name = FieldParsing.trimmed(raw)
        if name.isEmpty { return .failure(.missing("name")) }
        if name.count > maximumNameLength { return .failure(.tooLong("name", maximumNameLength)) }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return .failure(.invalid("姓名含控制字符 (the name contains control characters)"))
        }
        return .success(name)
    }

    /// A mainland mobile number (11 digits starting with 1), with spaces, dashes and a +86 prefix removed;
    /// an empty field is no phone.
    public static func phone(_ raw: String) -> Result<String?, MemberFieldProblem> {
        var digits = spreadsheetInteger(FieldParsing.trimmed(raw)).filter { $0 != " " && $0 != "-" }
        if digits.isEmpty { return .success(nil) }
        if digits.hasPrefix("+86") { digits.removeFirst(3) } else if digits.hasPrefix("0086") { digits.removeFirst(4) }
        guard digits.count == 11, digits.first == "1", digits.allSatisfy(\.isASCIIDigit) else {
            return .failure(.invalid("手机号“\(raw)”不是 11 位手机号码 (phone \"\(raw)\" is not an 11-digit mobile number)"))
        }
        return .success(digits)
    }

    /// 在册/是/1/active… → true; 停用/否/0… → false; empty → nil.
    public static func active(_ raw: String) -> Result<Bool?, MemberFieldProblem> {
        let word = FieldParsing.trimmed(raw).lowercased()
        if word.isEmpty { return .success(nil) }
        if ["在册", "是", "正常", "有效", "1", "true", "yes", "y", "active", "启用"].contains(word) { return .success(true) }
        if ["停用", "否", "不在册", "无效", "0", "false", "no", "n", "inactive", "离开", "转出"].contains(word) {
            return .success(false)
        }
        return .failure(.invalid("状态“\(raw)”既不是 在册 也不是 停用 (status \"\(raw)\" is neither 在册 nor 停用)"))
    }

    /// The names a 类别 cell lists, each a valid category name; an empty cell is nil (leave the member's as they are).
    public static func categories(_ raw: String) -> Result<[String]?, MemberFieldProblem> {
        let names = MemberCategories.split(raw)
        if names.isEmpty { return .success(nil) }
        for name in names {
            if case .failure(let problem) = MemberCategories.validatedName(name) { return .failure(problem) }
        }
        return .success(names)
    }

    /// Spreadsheets store member numbers and phones as numbers: "1001.0" or "1.3800138E10" mean the integer.
    static func spreadsheetInteger(_ text: String) -> String {
        guard text.contains(where: { $0 == "." || $0 == "E" || $0 == "e" }),
            text.allSatisfy({ $0.isASCIIDigit || $0 == "." || $0 == "E" || $0 == "e" || $0 == "+" }),
            let value = Decimal(string: text), value >= 0, value < 1e18
        else { return text }
        var rounded = Decimal()
        var source = value
        NSDecimalRound(&rounded, &source, 0, .plain)
        guard rounded == value else { return text }
        return NSDecimalNumber(decimal: rounded).stringValue
    }
}

public enum MemberFieldProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case missing(String), tooLong(String, Int), invalid(String)

    /// The roster's own word for a field, as its header names it.
    static func chinese(_ field: String) -> String {
        ["member number": "党员编号", "name": "姓名", "unit": "所在支部", "phone": "手机号"][field] ?? field
    }

    public var description: String {
        switch self {
        case .missing(let field): "\(Self.chinese(field))为空 (the \(field) is missing)"
        case .tooLong(let field, let maximum):
            "\(Self.chinese(field))超过 \(maximum) 个字 (the \(field) is longer than \(maximum) characters)"
        case .invalid(let message): message
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
