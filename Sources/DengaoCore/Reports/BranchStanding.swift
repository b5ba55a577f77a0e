/// Branches ranked by participation over a range, with the change since the range before it — the table of a
/// 通报 ("各支部参与率排名，较上期变化"): who leads, who lags, who moved.
public struct BranchStanding: Sendable, Hashable {
    public let unitId: UnitID
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

    /// Ranks the branches of `current` (not the 直属 groups, and only branches with anyone on their roster) by
    /// `RankTable`'s competition ranks, ties in the report's branch order, each compared with the same branch in
    /// `previous`. (Equal fractions such as 1/7 and 2/14 are equal doubles: IEEE division rounds the exact quotient.)
    public static func rank(_ current: PeriodParticipation.Figures, previous: PeriodParticipation.Figures?)
        -> [BranchStanding]
    {
        func rates(_ figures: PeriodParticipation.Figures?) -> [UnitID: Double] {
            var rates: [UnitID: Double] = [:]
            for group in figures?.groups ?? [] where !group.direct && group.tally.roster > 0 {
                rates[group.unitId] = group.tally.rate
            }
            return rates
        }
        let previousRates = rates(previous)
        let rows = Dictionary(
            RankTable.rank(current: rates(current), previous: previousRates).map { ($0.unitId, $0) },
            uniquingKeysWith: { first, _ in first })
        let order = Dictionary(
            current.groups.enumerated().map { ($1.unitId, $0) }, uniquingKeysWith: { first, _ in first })
        return current.groups.compactMap { group -> BranchStanding? in
            guard !group.direct, let row = rows[group.unitId] else { return nil }
            return BranchStanding(
                unitId: group.unitId, rank: row.rank, tally: group.tally, previousRank: row.previousRank,
                previousRate: previousRates[group.unitId])
        }
        .sorted { ($0.rank, order[$0.unitId] ?? 0) < ($1.rank, order[$1.unitId] ?? 0) }
    }
}

extension BranchStanding {
    /// The 排名 sheet: rank, branch, roster, participants, rate, and the comparison with the previous range.
    public static func sheet(_ standings: [BranchStanding], names: [UnitID: String], previous: ReportPeriod)
        -> Spreadsheet.Sheet
    {
        func percent(_ share: Double?) -> Spreadsheet.Cell {
            .text(share.map { String(format: "%.1f%%", $0 * 100) } ?? "")
        }
        return Spreadsheet.Sheet(
            name: "排名",
            header: ["名次", "支部", "应参人数", "参与人数", "参与率", "上期名次", "名次变化", "上期参与率", "参与率变化（百分点）"],
            rows: standings.map { standing in
                [
                    .number(standing.rank), .text(names[standing.unitId] ?? String(standing.unitId)),
                    .number(standing.tally.roster),
                    .number(standing.tally.participants), percent(standing.tally.rate),
                    standing.previousRank.map { .number($0) } ?? .text(""),
                    .text(standing.rankChange.map { $0 > 0 ? "↑\($0)" : $0 < 0 ? "↓\(-$0)" : "—" } ?? ""),
                    percent(standing.previousRate),
                    .text(standing.rateChange.map { String(format: "%+.1f", $0) } ?? ""),
                ]
            }, widths: [6, 36, 10, 10, 10, 10, 10, 12, 18])
    }
}
