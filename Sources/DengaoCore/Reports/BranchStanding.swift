/// Branches ranked by participation over a range, with the change since the range before it — the table of a
/// 通报 ("各支部参与率排名，较上期变化"): who leads, who lags, who moved.
public struct BranchStanding: Sendable, Hashable {
    public let unitId: Int64
    /// Competition rank by rate, highest first: equal rates share a rank (1, 2, 2, 4).
    public let rank: Int
    public let tally: Participation.Tally
    /// The rank and rate over the previous range, nil when the branch had nobody on its roster then.
    public let previousRank: Int?
    public let previousRate: Double?

    /// Places moved up since the previous range (negative: down); nil without a previous rank.
    public var rankChange: Int? { previousRank.map { $0 - rank } }
    /// The rate's change in percentage points; nil without a previous rate.
    public var rateChange: Double? { previousRate.map { (tally.rate - $0) * 100 } }

    /// Ranks the branches of `current` (not the 直属 groups, and only branches with anyone on their roster), ties in
    /// the report's branch order, each compared with the same branch in `previous`.
    public static func rank(_ current: PeriodParticipation.Figures, previous: PeriodParticipation.Figures?) -> [BranchStanding] {
        let now = ranks(current)
        let before = previous.map { Dictionary(ranks($0).map { ($0.group.unitId, ($0.rank, $0.group.tally.rate)) }, uniquingKeysWith: { a, _ in a }) }
        return now.map { entry in
            let earlier = before?[entry.group.unitId]
            return BranchStanding(
                unitId: entry.group.unitId, rank: entry.rank, tally: entry.group.tally, previousRank: earlier?.0, previousRate: earlier?.1)
        }
    }

    /// Branches with a roster, by rate (stable: the report's order breaks ties), with competition ranks.
    static func ranks(_ figures: PeriodParticipation.Figures) -> [(group: PeriodParticipation.Group, rank: Int)] {
        let branches = figures.groups.enumerated().filter { !$0.element.direct && $0.element.tally.roster > 0 }
        // Rates compare as fractions (participants × other roster), so equal shares tie exactly, without rounding.
        let ordered = branches.sorted { a, b in
            let left = a.element.tally.participants * b.element.tally.roster
            let right = b.element.tally.participants * a.element.tally.roster
            return left != right ? left > right : a.offset < b.offset
        }.map(\.element)
        var ranked: [(group: PeriodParticipation.Group, rank: Int)] = []
        for (index, group) in ordered.enumerated() {
            if let last = ranked.last,
                last.group.tally.participants * group.tally.roster == group.tally.participants * last.group.tally.roster
            {
                ranked.append((group, last.rank))
            } else {
                ranked.append((group, index + 1))
            }
        }
        return ranked
    }
}

extension BranchStanding {
    /// The 排名 sheet: rank, branch, roster, participants, rate, and the comparison with the previous range.
    public static func sheet(_ standings: [BranchStanding], names: [Int64: String], previous: ReportPeriod) -> Spreadsheet.Sheet {
        func percent(_ share: Double?) -> Spreadsheet.Cell { .text(share.map { String(format: "%.1f%%", $0 * 100) } ?? "") }
        return Spreadsheet.Sheet(
            name: "排名",
            header: ["名次", "支部", "应参人数", "参与人数", "参与率", "上期名次", "名次变化", "上期参与率", "参与率变化（百分点）"],
            rows: standings.map { standing in
                [.number(standing.rank), .text(names[standing.unitId] ?? String(standing.unitId)), .number(standing.tally.roster),
                 .number(standing.tally.participants), percent(standing.tally.rate),
                 standing.previousRank.map { .number($0) } ?? .text(""),
                 .text(standing.rankChange.map { $0 > 0 ? "↑\($0)" : $0 < 0 ? "↓\(-$0)" : "—" } ?? ""),
                 percent(standing.previousRate), .text(standing.rateChange.map { String(format: "%+.1f", $0) } ?? "")]
            }, widths: [6, 36, 10, 10, 10, 10, 10, 12, 18])
    }
}
