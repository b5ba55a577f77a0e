/// Moodle's quiz-level statistics over attempt scores (percent of each attempt's maximum).
///
/// Moodle computes them over raw marks and shows them as a percentage of the quiz's maximum; with every attempt on
/// the same maximum the two agree. Skewness, kurtosis and the coefficient of internal consistency follow
/// `mod/quiz/report/statistics/classes/calculator.php` (see docs/statistics.md).
public struct TestStatistics: Hashable, Sendable {
    /// Attempts counted.
    public var count: Int
    /// Mean score (%), nil without attempts.
    public var mean: Double?
    /// Median score (%), nil without attempts.
    public var median: Double?
    /// Sample standard deviation (n − 1), nil below two attempts.
    public var standardDeviation: Double?
    /// Skewness from the unbiased cumulants k3 / k2^(3/2), nil below three attempts or with equal scores.
    public var skewness: Double?
    /// Kurtosis k4 / k2², nil below four attempts or with equal scores.
    public var kurtosis: Double?
    /// Coefficient of internal consistency (Cronbach's α × 100) over slots, nil where Moodle leaves it out.
    public var coefficientOfInternalConsistency: Double?
    /// Error ratio 100 × √(1 − CIC/100), nil without a CIC or when CIC exceeds 100.
    public var errorRatio: Double?
    /// Standard error: error ratio × SD / 100.
    public var standardError: Double?
    /// Number of slots (positions) the CIC was computed over.
    public var slotCount: Int

    /// Computes the figures from attempt scores, the sum of the slots' mark variances and the slot count.
    public static func compute(scores: [Double], sumOfSlotMarkVariances: Double, slotCount: Int) -> TestStatistics {
        var result = TestStatistics(
            count: scores.count, mean: SampleMoments.mean(scores), median: SampleMoments.median(scores),
            standardDeviation: nil, skewness: nil, kurtosis: nil, coefficientOfInternalConsistency: nil,
            errorRatio: nil, standardError: nil, slotCount: slotCount)
        guard scores.count > 1, let mean = result.mean else { return result }
        let equal = SampleMoments.allEqual(scores)
        var power2 = 0.0, power3 = 0.0, power4 = 0.0
        if !equal {
            for score in scores {
                let difference = score - mean
                let square = difference * difference
                power2 += square
                power3 += square * difference
                power4 += square * square
            }
        }
        let s = Double(scores.count)
        let standardDeviation = (power2 / (s - 1)).squareRoot()
        result.standardDeviation = standardDeviation
        // Moodle computes skewness, kurtosis and the CIC only from three attempts on, and only with k2 ≠ 0.
        guard scores.count > 2, !equal else { return result }
        let m2 = power2 / s, m3 = power3 / s, m4 = power4 / s
        let k2 = s * m2 / (s - 1)
        let k3 = s * s * m3 / ((s - 1) * (s - 2))
        result.skewness = k3 / (k2 * k2.squareRoot())
        if scores.count > 3 {
            let k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
            result.kurtosis = k4 / (k2 * k2)
        }
        if slotCount > 1 {
            let p = Double(slotCount)
            let cic = (100 * p / (p - 1)) * (1 - sumOfSlotMarkVariances / k2)
            result.coefficientOfInternalConsistency = cic
            // Above 100 the square root has no real value (Moodle would show NaN); only possible on sparse matrices.
            if cic <= 100 {
                let errorRatio = 100 * (1 - cic / 100).squareRoot()
                result.errorRatio = errorRatio
                result.standardError = errorRatio * standardDeviation / 100
            }
        }
        return result
    }
}
