/// Accuracy of one unit in one category against the whole organization's in that category.
public struct CategoryCell: Hashable, Sendable {
    /// The unit.
    public var unitId: UnitID
    /// The category.
    public var category: String
    /// Questions of the category shown to the unit's attempts (unanswered count as shown and wrong).
    public var count: Int
    /// Mean credit × 100.
    public var accuracy: Double
    /// The organization's accuracy in the category (pooled over every response, not a mean of unit means).
    public var organizationAccuracy: Double
    /// accuracy − organizationAccuracy, in percentage points.
    public var difference: Double
}

/// The organization's accuracy in one category.
public struct CategoryTotal: Hashable, Sendable {
    /// The category.
    public var category: String
    /// Responses counted.
    public var count: Int
    /// Mean credit × 100.
    public var accuracy: Double
}

/// One unit's weakest categories, weakest first.
public struct UnitWeakness: Hashable, Sendable {
    /// The unit.
    public var unitId: UnitID
    /// At most `weakestCount` categories with enough responses, lowest accuracy first, ties by name.
    public var categories: [String]
}

/// The unit × category accuracy matrix (the heat map of 精准滴灌) and each unit's weakest categories.
public struct CategoryMatrix: Hashable, Sendable {
    /// Cells with at least one response, by unit id then category.
    public var cells: [CategoryCell]
    /// Organization totals per category, by category.
    public var organization: [CategoryTotal]
    /// Weakest categories per unit that has responses, by unit id.
    public var weakest: [UnitWeakness]

    /// Builds the matrix; a question not in `items` counts under the empty category.
    ///
    /// A category is among a unit's weakest only with at least `minimumCount` responses there (default 10), so a
    /// single wrong answer does not name a weakness.
    public static func build(
        _ attempts: [ReportAttempt], items: [ReportItem], minimumCount: Int = 10, weakestCount: Int = 3
    )
        -> CategoryMatrix
    {
        // Summed by array index rather than by (unit, category) key: a million responses should not hash a string each.
        let categories = Array(Set(items.map(\.category) + [""])).sorted()
        var categoryIndex: [String: Int] = [:]
        for (index, name) in categories.enumerated() { categoryIndex[name] = index }
        var questionCategory: [QuestionID: Int] = [:]
        for item in items where questionCategory[item.questionId] == nil {
            questionCategory[item.questionId] = categoryIndex[item.category]!
        }
        let units = Array(Set(attempts.map(\.unitId))).sorted()
        var unitIndex: [UnitID: Int] = [:]
        for (index, unit) in units.enumerated() { unitIndex[unit] = index }
        let width = categories.count
        var counts = [Int](repeating: 0, count: units.count * width)
        var credits = [Double](repeating: 0, count: units.count * width)
        for attempt in attempts {
            let row = unitIndex[attempt.unitId]! * width
            for response in attempt.responses {
                let cell = row + (questionCategory[response.questionId] ?? categoryIndex[""]!)
                counts[cell] += 1
                credits[cell] += FlatMatrix.clampedCredit(response.credit)
            }
        }
        var tallies: [CategoryTally] = []
        for (row, unit) in units.enumerated() {
            for (column, name) in categories.enumerated() where counts[row * width + column] > 0 {
                tallies.append(
                    CategoryTally(
                        unitId: unit, category: name, count: counts[row * width + column],
                        credit: credits[row * width + column]))
            }
        }
        return build(
            tallies: tallies, categories: Set(categories), minimumCount: minimumCount, weakestCount: weakestCount)
    }

    /// Builds the matrix from responses already summed per unit and category (a query's GROUP BY); `categories`
    /// names categories that exist though nobody answered in them (they stay out of the figures either way).
    public static func build(
        tallies: [CategoryTally], categories known: Set<String> = [], minimumCount: Int = 10, weakestCount: Int = 3
    ) -> CategoryMatrix {
        let categories = Array(known.union(tallies.map(\.category)).union([""])).sorted()
        var categoryIndex: [String: Int] = [:]
        for (index, name) in categories.enumerated() { categoryIndex[name] = index }
        let units = Array(Set(tallies.map(\.unitId))).sorted()
        var unitIndex: [UnitID: Int] = [:]
        for (index, unit) in units.enumerated() { unitIndex[unit] = index }
        let width = categories.count
        var counts = [Int](repeating: 0, count: units.count * width)
        var credits = [Double](repeating: 0, count: units.count * width)
        for tally in tallies where tally.count > 0 {
            let cell = unitIndex[tally.unitId]! * width + categoryIndex[tally.category]!
            counts[cell] += tally.count
            credits[cell] += min(Double(tally.count), max(0, tally.credit))
        }
        var organization: [CategoryTotal] = []
        var organizationAccuracy = [Double](repeating: 0, count: width)
        for (column, name) in categories.enumerated() {
            var count = 0, credit = 0.0
            for row in units.indices {
                count += counts[row * width + column]
                credit += credits[row * width + column]
            }
            guard count > 0 else { continue }
            organizationAccuracy[column] = 100 * credit / Double(count)
            organization.append(CategoryTotal(category: name, count: count, accuracy: organizationAccuracy[column]))
        }
        var cells: [CategoryCell] = []
        var weakest: [UnitWeakness] = []
        for (row, unit) in units.enumerated() {
            var unitCells: [CategoryCell] = []
            for (column, name) in categories.enumerated() where counts[row * width + column] > 0 {
                let accuracy = 100 * credits[row * width + column] / Double(counts[row * width + column])
                unitCells.append(
                    CategoryCell(
                        unitId: unit, category: name, count: counts[row * width + column], accuracy: accuracy,
                        organizationAccuracy: organizationAccuracy[column],
                        difference: accuracy - organizationAccuracy[column]))
            }
            cells += unitCells
            let ranked = unitCells.filter { $0.count >= minimumCount }.sorted {
                ($0.accuracy, $0.category) < ($1.accuracy, $1.category)
            }
            weakest.append(UnitWeakness(unitId: unit, categories: ranked.prefix(max(0, weakestCount)).map(\.category)))
        }
        return CategoryMatrix(cells: cells, organization: organization, weakest: weakest)
    }
}

/// Responses of one unit in one category, summed: `credit` is the sum of their credits (right 1, partly right ½).
public struct CategoryTally: Hashable, Sendable {
    public var unitId: UnitID
    public var category: String
    public var count: Int
    public var credit: Double

    /// A tally.
    public init(unitId: UnitID, category: String, count: Int, credit: Double) {
        self.unitId = unitId
        self.category = category
        self.count = count
        self.credit = credit
    }
}
