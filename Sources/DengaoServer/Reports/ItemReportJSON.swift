import DengaoCore
import Hummingbird

/// The item analysis as the results page reads it (docs/api.md, "Item analysis"). Figures Moodle leaves undefined
/// are absent, never NaN.
struct ItemReportJSON: ResponseEncodable {
    struct Test: Encodable {
        var count: Int
        var mean, median, standardDeviation, skewness, kurtosis: Double?
        var coefficientOfInternalConsistency, errorRatio, standardError: Double?
        var slotCount: Int
    }

    struct Option: Encodable {
        var option: Int
        var label: String
        var text: String?
        var isKey: Bool
        var count: Int
        var share: Double
        var pointBiserial: Double?
    }

    struct QuestionLine: Encodable {
        var questionId: QuestionID
        var place: String
        var bankName: String?
        var bankVersion: Int?
        var position: Int?
        /// The console page where the question lives, to correct it.
        var link: String?
        var type: String?
        var stem: String?
        var category: String?
        var answer: String?
        var count: Int
        var answeredCount: Int
        var facilityIndex, standardDeviation, randomGuessScore, intendedWeight, effectiveWeight: Double?
        var discriminationIndex, discriminativeEfficiency, medianElapsedMilliseconds: Double?
        var mostChosenWrongOption: String?
        var flags: [String]
        var options: [Option]
        /// 抢答 questions only.
        var buzz: BuzzFigures?
        /// 风险 questions only.
        var stakes: StakeFigures?
    }

    struct Cell: Encodable {
        var unitId: UnitID
        var category: String
        var count: Int
        var accuracy: Double
        var organizationAccuracy: Double
        var difference: Double
    }

    struct CategoryTotal: Encodable {
        var category: String
        var count: Int
        var accuracy: Double
    }

    struct Weakest: Encodable {
        var unitId: UnitID
        var name: String
        var categories: [String]
    }

    struct Categories: Encodable {
        var units: [Unit]
        var organization: [CategoryTotal]
        var cells: [Cell]
        var weakest: [Weakest]
    }

    struct Unit: Encodable {
        var unitId: UnitID
        var name: String
    }

    struct Downloads: Encodable {
        var workbook: String
        var sheets: [ReportController.Download]
    }

    var test: Test
    var questions: [QuestionLine]
    var categories: Categories
    var downloads: Downloads

    static let sheetLabels = ["questions": "题目分析", "options": "选项分析", "test": "试卷统计", "categories": "薄弱分类"]

    init(analysis: ItemAnalysis, categories matrix: CategoryMatrix, source: ItemReport.Source) {
        let t = analysis.test
        test = Test(
            count: t.count, mean: t.mean, median: t.median, standardDeviation: t.standardDeviation,
            skewness: t.skewness,
            kurtosis: t.kurtosis, coefficientOfInternalConsistency: t.coefficientOfInternalConsistency,
            errorRatio: t.errorRatio,
            standardError: t.standardError, slotCount: t.slotCount)
        questions = analysis.questions.map { stats in
            let stored = source.questions[stats.questionId]
            let question = stored?.question
            return QuestionLine(
                questionId: stats.questionId, place: source.places[stats.questionId] ?? "", bankName: stored?.bankName,
                bankVersion: stored?.bankVersion, position: stored?.position,
                link: stored.map { "/banks.html?bank=" + ItemReport.segment($0.bankName) },
                type: question?.type.rawValue,
                stem: question?.stem, category: question?.category, answer: question?.answerText, count: stats.count,
                answeredCount: stats.answeredCount, facilityIndex: stats.facilityIndex,
                standardDeviation: stats.standardDeviation,
                randomGuessScore: stats.randomGuessScore, intendedWeight: stats.intendedWeight,
                effectiveWeight: stats.effectiveWeight,
                discriminationIndex: stats.discriminationIndex,
                discriminativeEfficiency: stats.discriminativeEfficiency,
                medianElapsedMilliseconds: stats.medianElapsedMilliseconds,
                mostChosenWrongOption: stats.mostChosenWrongOption.flatMap { option in
                    question.map { ItemAnalysis.optionName(option, of: $0) }
                },
                flags: ItemFlag.allCases.filter(stats.flags.contains).map(\.rawValue),
                options: stats.options.map { option in
                    Option(
                        option: option.option,
                        label: question.map { ItemAnalysis.optionName(option.option, of: $0) } ?? String(option.option),
                        text: question.flatMap {
                            $0.type != .trueFalse && $0.options.indices.contains(option.option)
                                ? $0.options[option.option] : nil
                        },
                        isKey: option.isKey, count: option.count, share: option.share,
                        pointBiserial: option.pointBiserial)
                }, buzz: source.play[stats.questionId]?.buzz, stakes: source.play[stats.questionId]?.stakes)
        }
        .sorted { ($0.place, $0.questionId) < ($1.place, $1.questionId) }
        categories = Categories(matrix, unitNames: source.unitNames)
        downloads = Downloads(
            workbook: MemberCategoryReports.link(source.downloadBase + "?format=xlsx", source.filter),
            sheets: ItemReportController.sheetNames.map {
                ReportController.Download(
                    sheet: $0, name: Self.sheetLabels[$0] ?? $0,
                    csv: MemberCategoryReports.link(source.downloadBase + "?format=csv&sheet=" + $0, source.filter))
            })
    }
}

extension ItemReportJSON.Categories {
    /// The matrix as the pages read it: units in id order (the tree's), each cell, each unit's weakest.
    init(_ matrix: CategoryMatrix, unitNames: [UnitID: String]) {
        let unitIds = Array(Set(matrix.cells.map(\.unitId)))
        let order = Dictionary(unitNames.keys.sorted().enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        self.init(
            units: unitIds.sorted { (order[$0] ?? .max, $0) < (order[$1] ?? .max, $1) }.map {
                .init(unitId: $0, name: unitNames[$0] ?? String($0))
            },
            organization: matrix.organization.map {
                .init(category: $0.category, count: $0.count, accuracy: $0.accuracy)
            },
            cells: matrix.cells.map {
                .init(
                    unitId: $0.unitId, category: $0.category, count: $0.count, accuracy: $0.accuracy,
                    organizationAccuracy: $0.organizationAccuracy, difference: $0.difference)
            },
            weakest: matrix.weakest.map {
                .init(unitId: $0.unitId, name: unitNames[$0.unitId] ?? String($0.unitId), categories: $0.categories)
            })
    }
}
