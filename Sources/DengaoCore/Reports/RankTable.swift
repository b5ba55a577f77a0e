/// One unit's place in a rank table and how it moved since the previous period.
public struct RankRow: Hashable, Sendable {
    /// The unit.
    public var unitId: UnitID
    /// This period's value.
    public var value: Double
    /// Competition rank (1, 2, 2, 4): one more than the number of units strictly ahead.
    public var rank: Int
    /// The rank in the previous period, nil when the unit was not ranked then.
    public var previousRank: Int?
    /// previous rank − rank: positive means the unit moved up; nil when new.
    public var change: Int?
}

/// Rank tables of units by a value, with the change on the previous period.
public enum RankTable {
    /// Ranks this period's units (NaN values are not ranked), best first, ties by unit id.
    public static func rank(current: [UnitID: Double], previous: [UnitID: Double] = [:], higherIsBetter: Bool = true)
        -> [RankRow]
    {
        let now = ranks(current, higherIsBetter: higherIsBetter)
        let before = ranks(previous, higherIsBetter: higherIsBetter)
        return now.map { unit, rank in
            let previousRank = before[unit]
            return RankRow(
                unitId: unit, value: current[unit]!, rank: rank, previousRank: previousRank,
                change: previousRank.map { $0 - rank })
        }
        .sorted { ($0.rank, $0.unitId) < ($1.rank, $1.unitId) }
    }

    /// Competition ranks of the values.
    static func ranks(_ values: [UnitID: Double], higherIsBetter: Bool) -> [UnitID: Int] {
        let ordered = values.filter { !$0.value.isNaN }.sorted {
            higherIsBetter ? $0.value > $1.value : $0.value < $1.value
        }
        var result: [UnitID: Int] = [:]
        for (index, entry) in ordered.enumerated() {
            if index > 0, ordered[index - 1].value == entry.value {
                result[entry.key] = result[ordered[index - 1].key]
            } else {
                result[entry.key] = index + 1
            }
        }
        return result
    }
}
