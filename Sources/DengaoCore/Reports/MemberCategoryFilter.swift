/// A report narrowed to one member category (分层分类): only members who held it at the moment that counts —
/// a contest's start, a campaign attempt's day, an answer's time — are counted; guests never are.
public struct MemberCategoryFilter: Sendable {
    public let categoryId: MemberCategoryID
    public let name: String
    private let spans: [MemberID: [ClosedOpen]]

    /// A span of milliseconds since the epoch, `until` nil = still held.
    struct ClosedOpen: Sendable {
        let since: Int64
        let until: Int64?
    }

    /// `spans`: every member's category spans (the roster history's); only `categoryId`'s are kept.
    public init(categoryId: MemberCategoryID, name: String, spans: [Participation.CategorySpan]) {
        self.categoryId = categoryId
        self.name = name
        var held: [MemberID: [ClosedOpen]] = [:]
        for span in spans where span.categoryId == categoryId {
            held[span.memberId, default: []].append(ClosedOpen(since: span.since, until: span.until))
        }
        self.spans = held
    }

    /// Whether `member` held the category at `instant`; a guest (nil) never does.
    public func holds(_ member: MemberID?, at instant: Int64) -> Bool {
        guard let member, let held = spans[member] else { return false }
        return held.contains { $0.since <= instant && ($0.until.map { instant < $0 } ?? true) }
    }

    /// `base` with the category named after it, usable as a worksheet's name (at most 31 characters, none of
    /// `[]:*?/\`, which Excel refuses in a sheet's name).
    public func sheetName(_ base: String) -> String {
        let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
        let text = "\(base)（\(name.filter { !forbidden.contains($0) })）"
        return String(text.prefix(31))
    }

    /// `sheets` renamed to name the category, so a download says what it was narrowed to.
    public func caption(_ sheets: [Spreadsheet.Sheet]) -> [Spreadsheet.Sheet] {
        sheets.map { sheet in
            var named = sheet
            named.name = sheetName(sheet.name)
            return named
        }
    }
}
