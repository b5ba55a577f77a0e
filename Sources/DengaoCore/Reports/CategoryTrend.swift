import Foundation

/// A member's accuracy per category over time (学习效果): every answer filed under its question's category and the
/// month it was given in (in the organization's zone), right 1, a partly right multiple choice ½, wrong 0.
public struct CategoryTrend: Sendable, Hashable {
    public struct Month: Sendable, Hashable, Codable {
        /// "2026-11".
        public let month: String
        public let answered: Int
        /// Mean credit × 100.
        public let accuracy: Double
    }

    public struct Line: Sendable, Hashable, Codable {
        public let category: String
        public let answered: Int
        public let accuracy: Double
        /// Months with answers, in order.
        public let months: [Month]
    }

    /// Categories by name (the empty category, questions without one, last).
    public let lines: [Line]

    public init(answers: [(category: String, credit: Double, at: Int64)], timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var sums: [String: [String: (count: Int, credit: Double)]] = [:]
        for answer in answers {
            let parts = calendar.dateComponents(
                [.year, .month], from: Date(timeIntervalSince1970: Double(answer.at) / 1000))
            let month = String(format: "%04d-%02d", parts.year ?? 0, parts.month ?? 0)
            let sum = sums[answer.category, default: [:]][month] ?? (0, 0)
            sums[answer.category, default: [:]][month] = (sum.count + 1, sum.credit + min(1, max(0, answer.credit)))
        }
        lines = sums.keys.sorted { ($0.isEmpty ? 1 : 0, $0) < ($1.isEmpty ? 1 : 0, $1) }.map { category in
            let months = sums[category]!.sorted { $0.key < $1.key }.map { month, sum in
                Month(month: month, answered: sum.count, accuracy: sum.credit / Double(sum.count) * 100)
            }
            let count = months.reduce(0) { $0 + $1.answered }
            let credit = sums[category]!.values.reduce(0) { $0 + $1.credit }
            return Line(category: category, answered: count, accuracy: credit / Double(count) * 100, months: months)
        }
    }
}
