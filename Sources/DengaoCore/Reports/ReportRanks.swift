import Foundation

/// Branches ranked by an activity's main figure, with the move since the previous comparable activity or period:
/// ▲ up, ▼ down, — unchanged, 新 (new) for a branch not ranked then.
public struct ReportRanks: Sendable, Encodable {
    public struct Line: Sendable, Hashable, Encodable {
        public let rank: Int
        public let id: UnitID
        public let name: String
        public let value: Double
        public let previousRank: Int?
        /// previousRank − rank: positive moved up; nil when new or when nothing came before.
        public let change: Int?
        /// Ranked now, not in the previous activity or period (false when there is none).
        public let isNew: Bool
        /// ▲2, ▼1, —, 新; "" when there is nothing to compare with.
        public let movement: String
    }

    /// What the branches are ranked by.
    public let measure: String
    /// What they are compared with; nil when nothing came before.
    public let previous: String?
    public let lines: [Line]

    /// Ranks `current` (higher is better) against `previous` (nil: there is no previous activity or period).
    public init(
        measure: String, current: [UnitID: Double], previous: [UnitID: Double]?, previousLabel: String?,
        names: [UnitID: String]
    ) {
        self.measure = measure
        self.previous = previous == nil ? nil : previousLabel
        lines = RankTable.rank(current: current, previous: previous ?? [:]).map { row in
            let isNew = previous != nil && row.previousRank == nil
            return Line(
                rank: row.rank, id: row.unitId, name: names[row.unitId] ?? "#\(row.unitId)", value: row.value,
                previousRank: row.previousRank, change: row.change, isNew: isNew,
                movement: previous == nil ? "" : Self.movement(change: row.change, isNew: isNew))
        }
    }

    /// ▲n for a move up by n, ▼n down, — unchanged, 新 for a newcomer.
    public static func movement(change: Int?, isNew: Bool) -> String {
        if isNew { return "新" }
        guard let change else { return "" }
        return change > 0 ? "▲\(change)" : change < 0 ? "▼\(-change)" : "—"
    }

    /// 支部排名: rank, branch, the figure (two decimals), the previous rank and the move; a last row names what
    /// the ranks are compared with.
    public func sheet() -> Spreadsheet.Sheet {
        let header = ["名次", "支部", measure, "上期名次", "变化"]
        let note: [[Spreadsheet.Cell]] = [
            [.text("对比"), .text(previous ?? "没有可比的上一期 (nothing earlier to compare with)")]
        ]
        return Spreadsheet.Sheet(
            name: "支部排名", header: header,
            rows: lines.map { line in
                [
                    .number(line.rank), .text(line.name), .text(String(format: "%.2f", line.value)),
                    line.previousRank.map { .number($0) } ?? .text(line.isNew ? "新" : ""), .text(line.movement),
                ]
            } + note, widths: [6, 30, 12, 8, 8])
    }
}
