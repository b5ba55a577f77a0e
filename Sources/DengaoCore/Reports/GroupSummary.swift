/// One member's (or attempt's) value in a unit, the input of group summaries.
public struct UnitValue: Hashable, Sendable {
    /// The unit.
    public var unitId: UnitID
    /// The value (a score %, a height).
    public var value: Double

    /// Creates a value.
    public init(unitId: UnitID, value: Double) {
        self.unitId = unitId
        self.value = value
    }
}

/// Count, mean, median and SD of the values of one unit (and, rolled up, of the units below it).
public struct GroupSummary: Hashable, Sendable {
    /// The unit.
    public var unitId: UnitID
    /// Values counted.
    public var count: Int
    /// Mean, nil without values.
    public var mean: Double?
    /// Median, nil without values.
    public var median: Double?
    /// Sample SD (n − 1), nil below two values.
    public var standardDeviation: Double?

    /// Summarises a unit's values.
    static func summary(unitId: UnitID, _ values: [Double]) -> GroupSummary {
        GroupSummary(
            unitId: unitId, count: values.count, mean: SampleMoments.mean(values), median: SampleMoments.median(values),
            standardDeviation: SampleMoments.sampleStandardDeviation(values))
    }

    /// One summary per unit that has values, by unit id; NaN values are ignored.
    public static func byUnit(_ values: [UnitValue]) -> [GroupSummary] {
        var grouped: [UnitID: [Double]] = [:]
        for entry in values where !entry.value.isNaN { grouped[entry.unitId, default: []].append(entry.value) }
        return grouped.keys.sorted().map { summary(unitId: $0, grouped[$0]!) }
    }

    /// One summary per unit of the tree over its own values and all its descendants' (`parents[child] = parent`).
    ///
    /// Every unit named in the values or the parent map gets a row, by unit id. A cycle in the map is cut where
    /// it closes, so a broken tree still gives an answer.
    public static func rolledUp(_ values: [UnitValue], parents: [UnitID: UnitID]) -> [GroupSummary] {
        var grouped: [UnitID: [Double]] = [:]
        for unit in parents.keys { grouped[unit, default: []] = [] }
        for parent in parents.values { grouped[parent, default: []] = [] }
        for entry in values where !entry.value.isNaN {
            var unit: UnitID? = entry.unitId
            var visited: Set<UnitID> = []
            while let current = unit, visited.insert(current).inserted {
                grouped[current, default: []].append(entry.value)
                unit = parents[current]
            }
        }
        return grouped.keys.sorted().map { summary(unitId: $0, grouped[$0]!) }
    }
}
