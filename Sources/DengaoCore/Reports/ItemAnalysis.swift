/// Item analysis of a response matrix: Moodle's question and test statistics, option point-biserials and flags.
///
/// Works on contest seats (every attempt sees every slot) and on campaign tries (each sees a few questions drawn
/// at random), see docs/statistics.md. Attempts whose maximum mark is zero (nothing shown) are left out.
public struct ItemAnalysis: Hashable, Sendable {
    /// One entry per question: the given items in their order, then questions answered but not given, first seen first.
    public var questions: [QuestionStatistics]
    /// One entry per slot, ascending.
    public var slots: [SlotStatistics]
    /// The test statistics over attempt scores.
    public var test: TestStatistics

    /// Analyses the attempts; `items` describe options and keys (a question not listed is treated as fill).
    public static func analyze(
        _ attempts: [ReportAttempt], items: [ReportItem], thresholds: ItemFlagThresholds = ItemFlagThresholds()
    ) -> ItemAnalysis {
        let matrix = FlatMatrix(attempts, items: items)
        let byItem = Bucketing.order(keys: matrix.itemOf, keyCount: matrix.items.count)
        let questionMoments = PositionMoments.compute(
            keyCount: matrix.items.count, order: byItem, x: matrix.markPercent, y: matrix.restPercent,
            overall: matrix.overallPercent)
        let slotMoments = PositionMoments.compute(
            keyCount: matrix.slots.count, order: Bucketing.order(keys: matrix.slotOf, keyCount: matrix.slots.count),
            x: matrix.markPercent, y: matrix.restPercent,
            overall: matrix.overallPercent)
        let questionWeights = PositionMoments.effectiveWeights(questionMoments)
        let slotWeights = PositionMoments.effectiveWeights(slotMoments)

        var questions: [QuestionStatistics] = []
        questions.reserveCapacity(matrix.items.count)
        for (index, item) in matrix.items.enumerated() {
            let moments = questionMoments[index]
            var statistics = QuestionFigures.describe(
                item: item, responses: byItem.indices[byItem.members(of: index)], matrix: matrix)
            statistics.effectiveWeight = questionWeights[index]
            statistics.discriminationIndex = moments.discriminationIndex
            statistics.discriminativeEfficiency = moments.discriminativeEfficiency
            statistics.flags = QuestionFigures.flags(statistics, item: item, thresholds: thresholds)
            questions.append(statistics)
        }
        var slots: [SlotStatistics] = []
        var sumOfSlotMarkVariances = 0.0
        for (index, slot) in matrix.slots.enumerated() {
            let moments = slotMoments[index]
            // Moodle adds a slot's variance only once it exists (two attempts or more).
            sumOfSlotMarkVariances += moments.markVariance ?? 0
            slots.append(
                SlotStatistics(
                    slot: slot, count: moments.count, markVariance: moments.markVariance,
                    effectiveWeight: slotWeights[index],
                    discriminationIndex: moments.discriminationIndex,
                    discriminativeEfficiency: moments.discriminativeEfficiency))
        }
        let order = slots.indices.sorted { slots[$0].slot < slots[$1].slot }
        let test = TestStatistics.compute(
            scores: matrix.attemptScores, sumOfSlotMarkVariances: sumOfSlotMarkVariances, slotCount: matrix.slots.count)
        return ItemAnalysis(questions: questions, slots: order.map { slots[$0] }, test: test)
    }
}

/// The response matrix flattened into parallel arrays, one entry per response, with items and slots numbered 0…
///
/// The only dictionary lookups (question id and slot to index) happen here, once per response.
struct FlatMatrix {
    /// Items in analysis order.
    var items: [ReportItem] = []
    /// Distinct slots, first seen first.
    var slots: [Int] = []
    /// Per kept attempt: score in percent of its maximum.
    var attemptScores: [Double] = []
    /// Per response: item index.
    var itemOf: [Int32] = []
    /// Per response: slot index.
    var slotOf: [Int32] = []
    /// Per response: kept attempt index.
    var attemptOf: [Int32] = []
    /// Per response: the mark earned as a percentage of the attempt's maximum.
    var markPercent: [Double] = []
    /// Per response: the rest of the attempt (score − this mark), percent.
    var restPercent: [Double] = []
    /// Per response: the attempt's score, percent.
    var overallPercent: [Double] = []
    /// Per response: the item's mark as a percentage of the attempt's maximum.
    var weightPercent: [Double] = []
    /// Per response: credit earned, 0…1.
    var credit: [Double] = []
    /// Per response: whether it was answered.
    var answered: [Bool] = []
    /// Per response: answer time in ms, −1 when unknown.
    var elapsed: [Int] = []
    /// Per response: the options chosen as bits (bit o for option o < 64; true/false: bit 0 对, bit 1 错).
    var choices: [UInt64] = []

    init(_ attempts: [ReportAttempt], items given: [ReportItem]) {
        var itemIndex: [QuestionID: Int32] = [:]
        for item in given where itemIndex[item.questionId] == nil {
            itemIndex[item.questionId] = Int32(items.count)
            items.append(item)
        }
        var slotIndex: [Int: Int32] = [:]
        let responseCount = attempts.reduce(0) { $0 + $1.responses.count }
        for array in [\FlatMatrix.markPercent, \.restPercent, \.overallPercent, \.weightPercent, \.credit] {
            self[keyPath: array].reserveCapacity(responseCount)
        }
        itemOf.reserveCapacity(responseCount)
        slotOf.reserveCapacity(responseCount)
        attemptOf.reserveCapacity(responseCount)
        answered.reserveCapacity(responseCount)
        elapsed.reserveCapacity(responseCount)
        choices.reserveCapacity(responseCount)
        for attempt in attempts {
            var maximum = 0.0, total = 0.0
            for response in attempt.responses {
                maximum += response.maxMark
                total += Self.clampedCredit(response.credit) * response.maxMark
            }
            guard maximum > 0, maximum.isFinite, total.isFinite else { continue }
            let score = 100 * total / maximum
            let attemptNumber = Int32(attemptScores.count)
            attemptScores.append(score)
            for response in attempt.responses {
                let item: Int32
                if let known = itemIndex[response.questionId] {
                    item = known
                } else {
                    item = Int32(items.count)
                    itemIndex[response.questionId] = item
                    items.append(ReportItem(questionId: response.questionId, optionCount: 0, key: []))
                }
                let slot: Int32
                if let known = slotIndex[response.slot] {
                    slot = known
                } else {
                    slot = Int32(slots.count)
                    slotIndex[response.slot] = slot
                    slots.append(response.slot)
                }
                let credit = Self.clampedCredit(response.credit)
                let mark = 100 * credit * response.maxMark / maximum
                itemOf.append(item)
                slotOf.append(slot)
                attemptOf.append(attemptNumber)
                markPercent.append(mark)
                restPercent.append(score - mark)
                overallPercent.append(score)
                weightPercent.append(100 * response.maxMark / maximum)
                self.credit.append(credit)
                answered.append(response.answered)
                elapsed.append(response.elapsedMilliseconds ?? -1)
                choices.append(
                    response.answered ? Self.choiceBits(response, isTrueFalse: items[Int(item)].isTrueFalse) : 0)
            }
        }
    }

    /// The chosen options as a bit set, so per-option counting needs no array traffic; options beyond 63 cannot
    /// exist in a bank (an import allows at most eight) and are ignored like any other out-of-range index.
    static func choiceBits(_ response: ItemResponse, isTrueFalse: Bool) -> UInt64 {
        if isTrueFalse, response.choiceBits == 0, let truth = response.truth { return truth ? 1 : 2 }
        return response.choiceBits
    }

    /// Credit outside 0…1 (or NaN) from a faulty caller is held to the range rather than poisoning every figure.
    static func clampedCredit(_ credit: Double) -> Double {
        credit.isNaN ? 0 : min(1, max(0, credit))
    }
}
