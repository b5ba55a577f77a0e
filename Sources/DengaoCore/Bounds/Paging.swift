/// Which page of a listing a client asked for, held inside bounds that keep `offset` far from overflowing: every
/// paged route of the API reads its `page` and page size through this one rule (docs/bounds.md).
public struct Paging: Sendable, Hashable {
    /// 1-based.
    public let page: Int
    public let perPage: Int

    /// A hundred thousand pages of two hundred is twenty million rows: past any bank or roster, and
    /// `offset` stays a small number.
    public static let pages = FieldBound("page", "页码", 1...100_000)
    public static let sizes = FieldBound("perPage", "每页条数", 1...200)

    /// Values outside the bounds are clamped to them; nil takes page 1 and `defaultSize`.
    public init(page: Int?, perPage: Int?, defaultSize: Int) {
        self.page = Self.clamp(page ?? 1, to: Self.pages.range)
        self.perPage = Self.clamp(perPage ?? defaultSize, to: Self.sizes.range)
    }

    /// How many rows come before this page.
    public var offset: Int { (page - 1) * perPage }

    /// A query parameter as a whole number: digits with an optional sign, any length. Beyond `Int` it is held at
    /// the limit (a clamp follows anyway); nil for anything else — "1.5", "NaN", "0x10", " 2", "abc".
    public static func wholeNumber(_ text: Substring) -> Int? {
        var digits = text
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if let value = Int(text) { return value }
        return negative ? .min : .max
    }

    private static func clamp(_ value: Int, to range: ClosedRange<Int>) -> Int {
        min(max(value, range.lowerBound), range.upperBound)
    }
}
