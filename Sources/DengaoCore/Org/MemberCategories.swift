import Foundation

/// The rules of members' categories (分层分类: 农村党员, 机关党员 …): the organization's own short list, each member
/// holding one or more. Shared by the console, the API, roster import and both storage backends.
public enum MemberCategories {
    /// The list a new installation starts with; the organization edits it.
    public static let defaults = ["农村党员", "机关党员", "离退休党员", "两新组织党员", "党务干部"]
    /// The defaults whose members' pages open in 大字 until they choose a size (older members, often taught at home).
    public static let largeTextDefaults: Set<String> = ["离退休党员"]
    public static let maximumNameLength = 20
    /// A list is for telling a handful of groups apart, not for tagging people.
    public static let maximumCount = 30

    /// Why `ids` cannot be the list's new order when it now holds `existing`: a category named twice is a bad
    /// request; a list that is not the stored one (a category added or deleted meanwhile) is a conflict to reload.
    public static func orderProblem(_ ids: [MemberCategoryID], existing: [MemberCategoryID]) -> StorageError? {
        if Set(ids).count != ids.count {
            return .invalid("类别顺序中有重复的类别 (a category appears twice in the order)")
        }
        if Set(ids) != Set(existing) {
            return .conflict("类别列表已有变化，请刷新后再排序 (the list changed meanwhile; reload and reorder)")
        }
        return nil
    }
    /// What separates several categories in one roster cell or one text field: 、 , ， ; ；
    static let separators: Set<Character> = ["、", ",", "，", ";", "；"]

    /// The trimmed name, or why it cannot be one: no separators (a roster cell lists several), no control characters.
    public static func validatedName(_ raw: String) -> Result<String, MemberFieldProblem> {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { return .failure(.invalid("类别名称不能为空 (a category name cannot be empty)")) }
        if name.count > maximumNameLength {
            return .failure(
                .invalid("类别名称最多 \(maximumNameLength) 个字 (a category name has at most \(maximumNameLength) characters)")
            )
        }
        if name.contains(where: { separators.contains($0) }) {
            return .failure(
                .invalid(
                    "类别名称不能含有 、 , ; （它们用来分隔多个类别） (a category name cannot contain 、 , or ; — they separate categories)"
                ))
        }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return .failure(.invalid("类别名称不能含有控制字符 (a category name cannot contain control characters)"))
        }
        return .success(name)
    }

    /// Whether a member holding the categories `held` (names, as `MemberView` lists them) gets the member pages in
    /// 大字 by default: when any of them is marked so in `list`.
    public static func largeTextByDefault(held: [String], in list: [MemberCategoryView]) -> Bool {
        let held = Set(held)
        return list.contains { $0.largeText && held.contains($0.name) }
    }

    /// The names one cell lists (`农村党员、党务干部`), trimmed, empty parts dropped, each once, in the cell's order.
    public static func split(_ cell: String) -> [String] {
        var seen: Set<String> = []
        return cell.split(whereSeparator: { separators.contains($0) })
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// The ids of `names` in the organization's list `known` (name → id), each once; or the message naming every
    /// name the list does not have, with the names it does.
    public static func resolve(_ names: [String], in known: [String: MemberCategoryID]) -> Result<
        [MemberCategoryID], MemberFieldProblem
    > {
        var ids: [MemberCategoryID] = []
        var unknown: [String] = []
        for name in names {
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            if let id = known[trimmed] {
                if !ids.contains(id) { ids.append(id) }
            } else if !unknown.contains(trimmed) {
                unknown.append(trimmed)
            }
        }
        guard unknown.isEmpty else {
            let quoted = unknown.map { "「\($0)」" }.joined(separator: "、")
            let listed = known.keys.sorted().joined(separator: "、")
            let english = unknown.map { "\"\($0)\"" }.joined(separator: ", ")
            return .failure(
                .invalid(
                    "没有类别\(quoted)（现有类别：\(listed.isEmpty ? "无" : listed)） (unknown member category \(english))"))
        }
        return .success(ids)
    }
}

/// One category of the organization's list, with how many active members hold it now.
public struct MemberCategoryView: Codable, Sendable, Equatable {
    public var id: MemberCategoryID
    public var name: String
    /// Where it sits in the list; categories show in this order everywhere.
    public var position: Int
    public var memberCount: Int
    /// Its members' pages open in 大字 (large text) unless they chose a size on their phone.
    public var largeText: Bool

    public init(id: MemberCategoryID, name: String, position: Int, memberCount: Int, largeText: Bool = false) {
        self.id = id
        self.name = name
        self.position = position
        self.memberCount = memberCount
        self.largeText = largeText
    }
}

/// A span of time a member held a category: the dated history of their categories, as placements are of their unit.
public struct CategorySpanView: Codable, Sendable, Equatable {
    public var category: String
    public var since: Date
    public var until: Date?

    public init(category: String, since: Date, until: Date? = nil) {
        self.category = category
        self.since = since
        self.until = until
    }
}
