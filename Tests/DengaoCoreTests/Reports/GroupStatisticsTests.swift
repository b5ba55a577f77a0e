import Testing

@testable import DengaoCore

/// Distributions, bands, group roll-ups, rank tables and the category matrix on hand-checked inputs.
@Suite struct GroupStatisticsTests {
    @Test func histogramBinsAreHalfOpenWithTheLastClosed() {
        let distribution = ScoreDistribution.histogram(
            [0, 9.99, 10, 55, 100, 100, -1, 101, .nan], edges: ScoreDistribution.percentEdges(width: 25))
        #expect(distribution.edges == [0, 25, 50, 75, 100])
        // 0, 9.99, 10 → [0, 25); 55 → [50, 75); both 100s → [75, 100]; −1 below, 101 above, NaN ignored.
        #expect(distribution.counts == [3, 0, 1, 2])
        #expect(distribution.below == 1 && distribution.above == 1)
        #expect(ScoreDistribution.percentEdges().count == 11)
    }

    @Test func automaticEdgesForHeightsAreWholeAndCoverTheValues() {
        // 3…42 in ten bins: width ⌈39/10⌉ = 4 from 3 → 3, 7, …, 43.
        let edges = ScoreDistribution.automaticEdges(for: [3, 17, 42])
        #expect(edges.first == 3 && edges.last == 43 && edges.count == 11)
        #expect(ScoreDistribution.automaticEdges(for: [5, 5]) == [5, 6])
        #expect(ScoreDistribution.automaticEdges(for: []) == [0, 1])
        #expect(ScoreDistribution.histogram([1], edges: [3, 2, 1]).edges == [3])
    }

    @Test func defaultBandsAreNinetySeventyFiveSixty() {
        let counted = BandCount.count([95, 90, 89.9, 75, 60, 59, 0])
        #expect(counted.map(\.count) == [2, 2, 1, 2])
        #expect(counted.map(\.band.name).first == "优秀 (excellent)")
        #expect(abs(counted[0].share - 200.0 / 7) < 1e-12)
        #expect(BandCount.count([]).allSatisfy { $0.share == 0 })
    }

    @Test func groupsRollUpTheTree() {
        // 1 ← 2, 1 ← 3 ← 4: unit 2 has 60 and 80, unit 4 has 100, unit 1 has 40.
        let values = [
            UnitValue(unitId: 2, value: 60), UnitValue(unitId: 2, value: 80), UnitValue(unitId: 4, value: 100),
            UnitValue(unitId: 1, value: 40),
        ]
        let own = GroupSummary.byUnit(values)
        #expect(own.map(\.unitId) == [1, 2, 4])
        #expect(own[1].mean == 70 && own[1].median == 70 && abs(own[1].standardDeviation! - 200.0.squareRoot()) < 1e-12)
        let rolled = GroupSummary.rolledUp(values, parents: [2: 1, 3: 1, 4: 3])
        #expect(rolled.map(\.unitId) == [1, 2, 3, 4])
        #expect(rolled[0].count == 4 && rolled[0].mean == 70 && rolled[0].median == 70)
        #expect(rolled[2].count == 1 && rolled[2].mean == 100 && rolled[2].standardDeviation == nil)
        // A cycle is cut where it closes: each unit counts the value once.
        let cyclic = GroupSummary.rolledUp([UnitValue(unitId: 1, value: 10)], parents: [1: 2, 2: 1])
        #expect(cyclic.map(\.count) == [1, 1])
    }

    @Test func ranksShareTiesAndReportTheChange() {
        let table = RankTable.rank(current: [1: 90, 2: 80, 3: 90, 4: 70], previous: [1: 80, 2: 90, 4: 60])
        #expect(table.map(\.unitId) == [1, 3, 2, 4])
        #expect(table.map(\.rank) == [1, 1, 3, 4])
        #expect(table.map(\.previousRank) == [2, nil, 1, 3])
        // change = previous − current: unit 1 moved up one, unit 2 down two, unit 3 is new.
        #expect(table.map(\.change) == [1, nil, -2, -1])
        let lowerIsBetter = RankTable.rank(current: [1: 3, 2: 1], higherIsBetter: false)
        #expect(lowerIsBetter.map(\.unitId) == [2, 1])
    }

    @Test func categoryMatrixAgainstTheOrganizationAndWeakestCategories() {
        func attempt(_ unit: UnitID, _ credits: [(QuestionID, Double)]) -> ReportAttempt {
            ReportAttempt(
                id: 0, unitId: unit,
                responses: credits.enumerated().map { ItemResponse(questionId: $1.0, slot: $0, credit: $1.1) })
        }
        let items = [
            ReportItem(questionId: 1, optionCount: 0, key: [], category: "A"),
            ReportItem(questionId: 2, optionCount: 0, key: [], category: "B"),
        ]
        // Unit 1: A 1, 0 and B 1, 1, 1; unit 2: A 0, 0, 0, 1 and one answer to a question outside the items.
        let attempts = [
            attempt(1, [(1, 1), (1, 0), (2, 1), (2, 1), (2, 1)]),
            attempt(2, [(1, 0), (1, 0), (1, 0), (1, 1), (99, 1)]),
        ]
        let matrix = CategoryMatrix.build(attempts, items: items, minimumCount: 2)
        // Organization A = 2 right of 6 = 33.3 %; B = 100 %; "" (unlisted) = 100 % of 1.
        #expect(matrix.organization.map(\.category) == ["", "A", "B"])
        #expect(abs(matrix.organization[1].accuracy - 100.0 / 3) < 1e-12)
        let unit2A = matrix.cells.first { $0.unitId == 2 && $0.category == "A" }!
        #expect(unit2A.count == 4 && unit2A.accuracy == 25 && abs(unit2A.difference - (25 - 100.0 / 3)) < 1e-12)
        // Unit 1: A 50 % before B 100 %; unit 2: only A has two answers or more.
        #expect(matrix.weakest.map(\.categories) == [["A", "B"], ["A"]])
    }
}
