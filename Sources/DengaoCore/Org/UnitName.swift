import Foundation

/// The rules a unit's name and code follow, shared by the console, the CLI and roster import.
public enum UnitName {
    public static let maximumLength = 60

    /// The trimmed name, or why it cannot be one: names are path components, so no separators.
    public static func validated(_ raw: String) -> Result<String, UnitNameProblem> {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { return .failure(.empty) }
        if name.count > maximumLength { return .failure(.tooLong(maximum: maximumLength)) }
        if name.contains(where: { $0 == "/" || $0 == "／" || $0 == "\\" }) { return .failure(.containsSeparator) }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return .failure(.controlCharacter)
        }
        return .success(name)
    }
}

public enum UnitNameProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case empty, tooLong(maximum: Int), containsSeparator, controlCharacter

    public var description: String {
        switch self {
        case .empty: "单位名称不能为空 (a unit name cannot be empty)"
        case .tooLong(let maximum): "单位名称最多 \(maximum) 个字 (a unit name has at most \(maximum) characters)"
        case .containsSeparator:
            "单位名称不能含有 /（它用来分隔上下级） (a unit name cannot contain / (it separates the levels of a path))"
        case .controlCharacter: "单位名称不能含有控制字符 (a unit name cannot contain control characters)"
        }
    }
}
