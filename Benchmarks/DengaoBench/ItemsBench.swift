import DengaoCore
import Foundation

/// `dengao-bench items [--attempts 10000] [--questions 100] [--runs 3]`: item statistics on a generated matrix.
///
/// Builds a fixed-form matrix (every attempt answers every question; 40 % single choice, 20 % multiple, 20 %
/// true/false, 20 % fill, right more often the abler the attempt), then times the whole `ItemAnalysis.analyze`
/// (question, slot and test statistics, option counts and point-biserials, median times, flags) against a bare
/// reference in the same run: one pass summing every response's mark, the least any analysis must do. Prints the
/// best of the runs, the ratio to the reference and the process's peak RSS. Exits 1 if the analysis gives a
/// non-finite figure.
enum ItemsBench {
    static func run(_ arguments: [String]) -> Int32 {
        var attemptCount = 10_000, questionCount = 100, runs = 3
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            guard let value = rest.popFirst().flatMap({ Int($0) }), value > 0 else {
                print("usage: dengao-bench items [--attempts N] [--questions K] [--runs R]")
                return 64
            }
            switch argument {
            case "--attempts": attemptCount = value
            case "--questions": questionCount = value
            case "--runs": runs = value
            default:
                print("usage: dengao-bench items [--attempts N] [--questions K] [--runs R]")
                return 64
            }
        }
        let clock = ContinuousClock()
        let built = clock.now
        let (items, attempts) = matrix(attempts: attemptCount, questions: questionCount)
        let buildSeconds = seconds(clock.now - built)
        let matrixMiB = DengaoBench.peakResidentMiB()
        print(
            "items benchmark: \(attemptCount) attempts × \(questionCount) questions = \(attemptCount * questionCount) responses, "
                + "release build, \(ProcessInfo.processInfo.activeProcessorCount) cores; matrix built in "
                + String(format: "%.2f s, peak RSS %d MiB", buildSeconds, matrixMiB))

        var bestReference = Double.infinity, bestAnalysis = Double.infinity
        var sink = 0.0
        var analysis: ItemAnalysis?
        for _ in 0..<runs {
            let start = clock.now
            var total = 0.0
            for attempt in attempts {
                for response in attempt.responses { total += response.credit * response.maxMark }
            }
            sink += total
            bestReference = min(bestReference, seconds(clock.now - start))
            let analysed = clock.now
            analysis = ItemAnalysis.analyze(attempts, items: items)
            bestAnalysis = min(bestAnalysis, seconds(clock.now - analysed))
        }
        guard let analysis else { return 1 }
        let finite = analysis.questions.allSatisfy { question in
            [
                question.facilityIndex, question.discriminationIndex, question.discriminativeEfficiency,
                question.effectiveWeight,
            ]
            .allSatisfy { $0?.isFinite ?? true } && question.options.allSatisfy { $0.pointBiserial?.isFinite ?? true }
        }
        let flagged = analysis.questions.filter { !$0.flags.isEmpty }.count
        print(
            String(
                format:
                    "  reference (one summing pass): %.4f s; full item analysis: %.3f s (best of %d), %.0f× the reference; peak RSS %d MiB",
                bestReference, bestAnalysis, runs, bestAnalysis / max(bestReference, 1e-9),
                DengaoBench.peakResidentMiB()))
        print(
            String(
                format: "  test: mean %.2f %%, SD %.2f, CIC %.2f %%; %d of %d questions flagged; checksum %.0f",
                analysis.test.mean ?? .nan, analysis.test.standardDeviation ?? .nan,
                analysis.test.coefficientOfInternalConsistency ?? .nan, flagged, questionCount, sink))
        if !finite { print("  a figure is not finite") }
        return finite ? 0 : 1
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// A deterministic fixed-form matrix whose answers depend on each attempt's ability and each item's difficulty.
    static func matrix(attempts attemptCount: Int, questions questionCount: Int) -> ([ReportItem], [ReportAttempt]) {
        var random = SplitMix64(seed: 1206)
        func unit() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        let categories = ["政治理论", "党章党规党纪", "党史", "党风廉政建设", "形势政策"]
        let items = (0..<questionCount).map { index -> ReportItem in
            let category = categories[index % categories.count]
            switch index % 5 {
            case 0, 1:
                return ReportItem(
                    questionId: QuestionID(Int64(index + 1)), optionCount: 4, key: [index % 4], category: category)
            case 2:
                return ReportItem(
                    questionId: QuestionID(Int64(index + 1)), optionCount: 5, key: [0, 2, 4], category: category)
            case 3:
                return ReportItem(
                    questionId: QuestionID(Int64(index + 1)), optionCount: 2, key: [index % 2], isTrueFalse: true,
                    category: category)
            default:
                return ReportItem(questionId: QuestionID(Int64(index + 1)), optionCount: 0, key: [], category: category)
            }
        }
        let difficulty = items.map { _ in unit() * 0.6 - 0.3 }
        let attempts = (0..<attemptCount).map { number -> ReportAttempt in
            let ability = unit()
            let responses = items.enumerated().map { slot, item -> ItemResponse in
                let correct = unit() < min(0.98, max(0.02, ability + difficulty[slot]))
                let elapsed = 1_000 + Int(random.next() % 9_000)
                if unit() < 0.03 {
                    return ItemResponse(questionId: item.questionId, slot: slot, credit: 0, answered: false)
                }
                if item.isTrueFalse {
                    let truth = (item.key[0] == 0) == correct
                    return ItemResponse(
                        questionId: item.questionId, slot: slot, credit: correct ? 1 : 0, truth: truth,
                        elapsedMilliseconds: elapsed)
                }
                if item.optionCount == 0 {
                    return ItemResponse(
                        questionId: item.questionId, slot: slot, credit: correct ? 1 : 0, elapsedMilliseconds: elapsed)
                }
                let chosen =
                    correct
                    ? item.key
                    : [(item.key[0] + 1 + Int(random.next() % UInt64(item.optionCount - 1))) % item.optionCount]
                return ItemResponse(
                    questionId: item.questionId, slot: slot, credit: correct ? 1 : 0, chosen: chosen,
                    elapsedMilliseconds: elapsed)
            }
            return ReportAttempt(
                id: Int64(number + 1), memberId: MemberID(Int64(number + 1)), unitId: UnitID(Int64(number % 40)),
                responses: responses)
        }
        return (items, attempts)
    }
}
