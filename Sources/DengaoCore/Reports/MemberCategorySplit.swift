/// A report's figures split by member category (分层分类): one row per category of the organization's list —
/// its members on the report's roster (those holding it at the roster's moment), how many of them took part, the
/// rate, and the mean of the participants' score (a contest's points, a campaign's height). A member holding
/// several categories counts in each, so the rows need not add up to the whole.
public struct MemberCategorySplit: Sendable, Encodable {
    public struct Row: Sendable, Encodable, Hashable {
        public let categoryId: MemberCategoryID
        public let name: String
        public let roster: Int
        public let participants: Int
        /// participants / roster; nil for an empty roster.
        public let rate: Double?
        /// Over the participants; nil when nobody took part.
        public let meanScore: Double?
    }

    /// What `meanScore` is the mean of: 平均分 or 平均高度.
    public let measure: String
    public let rows: [Row]

    /// `roster`: the report's members (member id → unit, read at `moment`); `scores`: each participant's score
    /// (members only; a participant off the roster is not counted); `spans`: the roster history's category spans.
    public init(
        categories: [(id: MemberCategoryID, name: String)], roster: [MemberID: UnitID], scores: [MemberID: Int],
        moment: Int64, spans: [Participation.CategorySpan], measure: String
    ) {
        self.measure = measure
        rows = categories.map { category in
            let filter = MemberCategoryFilter(categoryId: category.id, name: category.name, spans: spans)
            let members = roster.keys.filter { filter.holds($0, at: moment) }
            let played = members.compactMap { scores[$0] }
            return Row(
                categoryId: category.id, name: category.name, roster: members.count, participants: played.count,
                rate: members.isEmpty ? nil : Double(played.count) / Double(members.count),
                meanScore: ReportFigures.mean(played))
        }
    }

    /// The 党员类别 sheet: 党员类别, 应参人数, 参与人数, 参与率, and the mean.
    public func sheet() -> Spreadsheet.Sheet {
        Spreadsheet.Sheet(
            name: "党员类别",
            header: ["党员类别", "应参人数", "参与人数", "参与率", measure],
            rows: rows.map { row in
                [
                    .text(row.name), .number(row.roster), .number(row.participants),
                    .text(row.rate.map { String(format: "%.1f%%", $0 * 100) } ?? "—"),
                    .text(row.meanScore.map { String(format: "%.2f", $0) } ?? "—"),
                ]
            },
            widths: [16, 10, 10, 10, 12])
    }
}
