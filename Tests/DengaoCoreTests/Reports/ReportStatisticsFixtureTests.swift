import Foundation
import Testing

@testable import DengaoCore

/// Every figure of the report statistics against the independent numpy implementation in
/// Tests/reports/reference_statistics.py, over its seeded matrices (fixed form, sparse draws, ties, degenerate).
@Suite struct ReportStatisticsFixtureTests {
    typealias Object = [String: Any]

    /// The fixture's cases, decoded once per test.
    static func cases() throws -> (Object, [Object]) {
        let root = try #require(try JSONSerialization.jsonObject(with: fixture("report-statistics.json")) as? Object)
        return (root, try #require(root["cases"] as? [Object]))
    }

    static func items(_ case: Object) -> [ReportItem] {
        (`case`["items"] as! [Object]).map {
            ReportItem(
                questionId: QuestionID(($0["questionId"] as! NSNumber).int64Value),
                optionCount: $0["optionCount"] as! Int,
                key: $0["key"] as! [Int],
                isTrueFalse: $0["isTrueFalse"] as! Bool, category: $0["category"] as! String)
        }
    }

    static func attempts(_ case: Object) -> [ReportAttempt] {
        (`case`["attempts"] as! [[Any]]).map { row in
            ReportAttempt(
                id: (row[0] as! NSNumber).int64Value, memberId: (row[1] as? NSNumber).map { MemberID($0.int64Value) },
                unitId: UnitID((row[2] as! NSNumber).int64Value),
                responses: (row[3] as! [[Any]]).map { r in
                    ItemResponse(
                        questionId: QuestionID((r[0] as! NSNumber).int64Value), slot: r[1] as! Int,
                        credit: (r[2] as! NSNumber).doubleValue,
                        maxMark: (r[3] as! NSNumber).doubleValue, answered: (r[4] as! Int) == 1, chosen: r[5] as! [Int],
                        truth: (r[6] as? NSNumber)?.boolValue, elapsedMilliseconds: r[7] as? Int)
                })
        }
    }

    /// Equal within 1e-9 (relative above 1), or both absent.
    static func expectClose(_ actual: Double?, _ expected: Any?, _ what: String) {
        let wanted = (expected as? NSNumber)?.doubleValue
        switch (actual, wanted) {
        case (nil, nil): break
        case let (actual?, wanted?):
            #expect(abs(actual - wanted) <= 1e-9 * max(1, abs(wanted)), "\(what): \(actual) ≠ \(wanted)")
        default:
            Issue.record("\(what): \(String(describing: actual)) ≠ \(String(describing: wanted))")
        }
    }

    @Test func questionSlotAndTestFiguresMatchTheReference() throws {
        let (_, cases) = try Self.cases()
        #expect(cases.count >= 7)
        for testCase in cases {
            let name = testCase["name"] as! String
            let expected = testCase["expected"] as! Object
            let analysis = ItemAnalysis.analyze(Self.attempts(testCase), items: Self.items(testCase))
            let questions = expected["questions"] as! [Object]
            try #require(analysis.questions.count == questions.count, "\(name): question count")
            for (actual, wanted) in zip(analysis.questions, questions) {
                let label = "\(name) q\(actual.questionId)"
                #expect(actual.questionId.rawValue == (wanted["questionId"] as! NSNumber).int64Value, "\(label) order")
                #expect(actual.count == wanted["count"] as! Int, "\(label) count")
                #expect(actual.answeredCount == wanted["answeredCount"] as! Int, "\(label) answered")
                Self.expectClose(actual.facilityIndex, wanted["facilityIndex"], "\(label) facility")
                Self.expectClose(actual.standardDeviation, wanted["standardDeviation"], "\(label) SD")
                Self.expectClose(actual.randomGuessScore, wanted["randomGuessScore"], "\(label) random guess")
                Self.expectClose(actual.intendedWeight, wanted["intendedWeight"], "\(label) intended weight")
                Self.expectClose(actual.effectiveWeight, wanted["effectiveWeight"], "\(label) effective weight")
                Self.expectClose(actual.discriminationIndex, wanted["discriminationIndex"], "\(label) discrimination")
                Self.expectClose(
                    actual.discriminativeEfficiency, wanted["discriminativeEfficiency"], "\(label) efficiency")
                Self.expectClose(
                    actual.medianElapsedMilliseconds, wanted["medianElapsedMilliseconds"], "\(label) median time")
                #expect(
                    actual.mostChosenWrongOption == wanted["mostChosenWrongOption"] as? Int,
                    "\(label) most chosen wrong")
                #expect(actual.flags.map(\.rawValue).sorted() == wanted["flags"] as! [String], "\(label) flags")
                let options = wanted["options"] as! [Object]
                try #require(actual.options.count == options.count, "\(label) options")
                for (option, wantedOption) in zip(actual.options, options) {
                    #expect(option.isKey == wantedOption["isKey"] as! Bool, "\(label) option \(option.option) key")
                    #expect(option.count == wantedOption["count"] as! Int, "\(label) option \(option.option) count")
                    Self.expectClose(option.share, wantedOption["share"], "\(label) option \(option.option) share")
                    Self.expectClose(
                        option.pointBiserial, wantedOption["pointBiserial"], "\(label) option \(option.option) r_pb")
                }
            }
            let slots = expected["slots"] as! [Object]
            try #require(analysis.slots.count == slots.count, "\(name): slot count")
            for (actual, wanted) in zip(analysis.slots, slots) {
                #expect(
                    actual.slot == wanted["slot"] as! Int && actual.count == wanted["count"] as! Int,
                    "\(name) slot \(actual.slot)")
                Self.expectClose(actual.markVariance, wanted["markVariance"], "\(name) slot \(actual.slot) variance")
                Self.expectClose(
                    actual.effectiveWeight, wanted["effectiveWeight"], "\(name) slot \(actual.slot) effective weight")
                Self.expectClose(
                    actual.discriminationIndex, wanted["discriminationIndex"],
                    "\(name) slot \(actual.slot) discrimination")
                Self.expectClose(
                    actual.discriminativeEfficiency, wanted["discriminativeEfficiency"],
                    "\(name) slot \(actual.slot) efficiency")
            }
            let test = expected["test"] as! Object
            #expect(
                analysis.test.count == test["count"] as! Int && analysis.test.slotCount == test["slotCount"] as! Int,
                "\(name) test counts")
            Self.expectClose(analysis.test.mean, test["mean"], "\(name) mean")
            Self.expectClose(analysis.test.median, test["median"], "\(name) median")
            Self.expectClose(analysis.test.standardDeviation, test["standardDeviation"], "\(name) SD")
            Self.expectClose(analysis.test.skewness, test["skewness"], "\(name) skewness")
            Self.expectClose(analysis.test.kurtosis, test["kurtosis"], "\(name) kurtosis")
            Self.expectClose(analysis.test.coefficientOfInternalConsistency, test["cic"], "\(name) CIC")
            Self.expectClose(analysis.test.errorRatio, test["errorRatio"], "\(name) error ratio")
            Self.expectClose(analysis.test.standardError, test["standardError"], "\(name) standard error")
        }
    }

    @Test func groupsRanksCategoriesAndDistributionsMatchTheReference() throws {
        let (root, cases) = try Self.cases()
        let minimum = root["categoryMinimumCount"] as! Int
        let bands = (root["bands"] as! [[Any]]).map {
            PerformanceBand(name: $0[0] as! String, lowerBound: ($0[1] as! NSNumber).doubleValue)
        }
        for testCase in cases {
            let name = testCase["name"] as! String
            let expected = testCase["expected"] as! Object
            let attempts = Self.attempts(testCase)
            let values = attempts.compactMap { attempt in
                attempt.scorePercent.map { UnitValue(unitId: attempt.unitId, value: $0) }
            }

            let groups = expected["groups"] as! Object
            let parents = Dictionary(
                uniqueKeysWithValues: (groups["parents"] as! [String: Int]).map {
                    (UnitID(Int64($0.key)!), UnitID(Int64($0.value)))
                })
            for (actual, wanted) in [
                (GroupSummary.byUnit(values), groups["byUnit"] as! [Object]),
                (GroupSummary.rolledUp(values, parents: parents), groups["rolledUp"] as! [Object]),
            ] {
                try #require(
                    actual.map(\.unitId.rawValue) == wanted.map { ($0["unitId"] as! NSNumber).int64Value },
                    "\(name) group units"
                )
                for (summary, row) in zip(actual, wanted) {
                    #expect(summary.count == row["count"] as! Int, "\(name) unit \(summary.unitId) count")
                    Self.expectClose(summary.mean, row["mean"], "\(name) unit \(summary.unitId) mean")
                    Self.expectClose(summary.median, row["median"], "\(name) unit \(summary.unitId) median")
                    Self.expectClose(
                        summary.standardDeviation, row["standardDeviation"], "\(name) unit \(summary.unitId) SD")
                }
            }

            let ranks = expected["ranks"] as! Object
            func unitMap(_ key: String) -> [UnitID: Double] {
                Dictionary(
                    uniqueKeysWithValues: (ranks[key] as! [String: NSNumber]).map {
                        (UnitID($0.key)!, $0.value.doubleValue)
                    })
            }
            let table = RankTable.rank(current: unitMap("current"), previous: unitMap("previous"))
            let rows = ranks["rows"] as! [Object]
            #expect(
                table.map(\.unitId) == rows.map { UnitID(($0["unitId"] as! NSNumber).int64Value) }, "\(name) rank order"
            )
            #expect(table.map(\.rank) == rows.map { $0["rank"] as! Int }, "\(name) ranks")
            #expect(table.map(\.previousRank) == rows.map { $0["previousRank"] as? Int }, "\(name) previous ranks")
            #expect(table.map(\.change) == rows.map { $0["change"] as? Int }, "\(name) changes")

            let categories = expected["categories"] as! Object
            let matrix = CategoryMatrix.build(attempts, items: Self.items(testCase), minimumCount: minimum)
            let cells = categories["cells"] as! [Object]
            try #require(matrix.cells.count == cells.count, "\(name) cell count")
            for (cell, row) in zip(matrix.cells, cells) {
                let label = "\(name) cell \(cell.unitId)/\(cell.category)"
                #expect(
                    cell.unitId.rawValue == (row["unitId"] as! NSNumber).int64Value
                        && cell.category == row["category"] as! String, "\(label) order")
                #expect(cell.count == row["count"] as! Int, "\(label) count")
                Self.expectClose(cell.accuracy, row["accuracy"], "\(label) accuracy")
                Self.expectClose(cell.organizationAccuracy, row["organizationAccuracy"], "\(label) organization")
                Self.expectClose(cell.difference, row["difference"], "\(label) difference")
            }
            let totals = categories["organization"] as! [Object]
            #expect(
                matrix.organization.map(\.category) == totals.map { $0["category"] as! String }, "\(name) categories")
            #expect(matrix.organization.map(\.count) == totals.map { $0["count"] as! Int }, "\(name) category counts")
            for (total, row) in zip(matrix.organization, totals) {
                Self.expectClose(total.accuracy, row["accuracy"], "\(name) \(total.category) organization accuracy")
            }
            let weakest = categories["weakest"] as! [Object]
            #expect(
                matrix.weakest.map(\.unitId.rawValue) == weakest.map { ($0["unitId"] as! NSNumber).int64Value },
                "\(name) weak units")
            #expect(
                matrix.weakest.map(\.categories) == weakest.map { $0["categories"] as! [String] }, "\(name) weakest")

            let scores = values.map(\.value)
            let histogram = expected["histogram"] as! Object
            let distribution = ScoreDistribution.histogram(scores, edges: ScoreDistribution.percentEdges())
            #expect(distribution.edges == (histogram["edges"] as! [NSNumber]).map(\.doubleValue), "\(name) edges")
            #expect(distribution.counts == histogram["counts"] as! [Int], "\(name) histogram")
            #expect(
                distribution.below == histogram["below"] as! Int && distribution.above == histogram["above"] as! Int,
                "\(name) outside")
            let bandRows = expected["bands"] as! [Object]
            let counted = BandCount.count(scores, bands: bands)
            #expect(counted.map(\.band.name) == bandRows.map { $0["name"] as! String }, "\(name) band order")
            #expect(counted.map(\.count) == bandRows.map { $0["count"] as! Int }, "\(name) band counts")
            for (band, row) in zip(counted, bandRows) {
                Self.expectClose(band.share, row["share"], "\(name) \(band.band.name) share")
            }
        }
    }
}
