/// The per-question figures that need the question's own responses: facility, SD, options, times and flags.
enum QuestionFigures {
    /// Describes one question from the indices of its responses in the flat matrix.
    static func describe(item: ReportItem, responses: ArraySlice<Int32>, matrix: FlatMatrix) -> QuestionStatistics {
        let n = responses.count
        var credits: [Double] = [], weights: [Double] = [], times: [Double] = [], scores: [Double] = []
        credits.reserveCapacity(n)
        weights.reserveCapacity(n)
        scores.reserveCapacity(n)
        var answered = 0
        for response in responses {
            let r = Int(response)
            credits.append(matrix.credit[r])
            weights.append(matrix.weightPercent[r])
            scores.append(matrix.overallPercent[r])
            if matrix.answered[r] {
                answered += 1
                if matrix.elapsed[r] >= 0 { times.append(Double(matrix.elapsed[r])) }
            }
        }
        let facility = SampleMoments.mean(credits).map { $0 * 100 }
        let options = optionFigures(item: item, responses: responses, scores: scores, matrix: matrix)
        var mostChosenWrong: Int?
        for option in options where !option.isKey && option.count > 0 {
            if mostChosenWrong == nil || option.count > options[mostChosenWrong!].count {
                mostChosenWrong = option.option
            }
        }
        return QuestionStatistics(
            questionId: item.questionId, count: n, answeredCount: answered, facilityIndex: facility,
            standardDeviation: SampleMoments.sampleStandardDeviation(credits).map { $0 * 100 },
            randomGuessScore: randomGuessScore(item), intendedWeight: SampleMoments.mean(weights),
            effectiveWeight: nil, discriminationIndex: nil, discriminativeEfficiency: nil,
            medianElapsedMilliseconds: SampleMoments.median(times), options: options,
            mostChosenWrongOption: mostChosenWrong, flags: [])
    }

    /// Moodle's random guess score × 100 for the question types Dengao has.
    static func randomGuessScore(_ item: ReportItem) -> Double? {
        if item.isTrueFalse { return 50 }
        if item.optionCount == 0 { return 0 }
        return item.isSingleAnswerChoice ? 100 / Double(item.optionCount) : nil
    }

    /// Count, share and point-biserial of every option; empty for a question without options.
    static func optionFigures(item: ReportItem, responses: ArraySlice<Int32>, scores: [Double], matrix: FlatMatrix)
        -> [OptionStatistics]
    {
        let k = item.optionCount
        guard k > 0, !responses.isEmpty else {
            return (0..<k).map {
                OptionStatistics(option: $0, isKey: item.key.contains($0), count: 0, share: 0, pointBiserial: nil)
            }
        }
        let n = Double(responses.count)
        var counts = [Int](repeating: 0, count: k)
        var chosenScoreSums = [Double](repeating: 0, count: k)
        for (position, response) in responses.enumerated() {
            var bits = matrix.choices[Int(response)]
            while bits != 0 {
                let option = bits.trailingZeroBitCount
                bits &= bits - 1
                guard option < k else { break }
                counts[option] += 1
                chosenScoreSums[option] += scores[position]
            }
        }
        let meanScore = scores.reduce(0, +) / n
        var squares = 0.0
        if !SampleMoments.allEqual(scores) {
            for score in scores { squares += (score - meanScore) * (score - meanScore) }
        }
        return (0..<k).map { option in
            let c = Double(counts[option])
            var pointBiserial: Double?
            // r = Σ(I − p)(s − m) / √(Σ(I − p)² · Σ(s − m)²), with Σ(I − p)(s − m) = Σ_chosen s − c·m
            // and Σ(I − p)² = c(n − c)/n.
            if c > 0, c < n, squares > 0 {
                pointBiserial = (chosenScoreSums[option] - c * meanScore) / (squares * c * (n - c) / n).squareRoot()
            }
            return OptionStatistics(
                option: option, isKey: item.key.contains(option), count: counts[option], share: 100 * c / n,
                pointBiserial: pointBiserial)
        }
    }

    /// The review flags of a question under the thresholds.
    static func flags(_ statistics: QuestionStatistics, item: ReportItem, thresholds: ItemFlagThresholds) -> Set<
        ItemFlag
    > {
        guard statistics.count >= max(1, thresholds.minimumCount) else { return [] }
        var flags = statistics.facilityIndex.map(thresholds.facilityFlags) ?? []
        if let efficiency = statistics.discriminativeEfficiency, efficiency < thresholds.discriminativeEfficiencyBelow {
            flags.insert(.notDiscriminating)
        }
        let keyCounts = statistics.options.filter(\.isKey).map(\.count)
        if let leastKey = keyCounts.min(), let wrong = statistics.mostChosenWrongOption,
            statistics.options[wrong].count > leastKey
        {
            flags.insert(.distractorOverKey)
        }
        return flags
    }
}
