/// The few figures the report endpoints show today: mean, median and a histogram of whole numbers. Deliberately
/// tiny: the statistics core (Reports) brings the full distributions and will replace these.
public enum ReportFigures {
    /// One bar of a histogram: the values `from...to` (both included) and how many fell there.
    public struct Bin: Sendable, Hashable, Encodable {
        public let from: Int
        public let to: Int
        public let count: Int
    }

    /// The arithmetic mean; nil for no values (shown as "no one took part", never NaN).
    public static func mean(_ values: [Int]) -> Double? {
        values.isEmpty ? nil : values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
    }

    /// The middle value, or the mean of the two middle ones; nil for no values.
    public static func median(_ values: [Int]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1
            ? Double(sorted[middle]) : (Double(sorted[middle - 1]) + Double(sorted[middle])) / 2
    }

    /// Equal bins of `width` from `lowest` through `highest`, each value counted in its bin (values outside are
    /// clamped into the end bins). Every bin is listed, empty ones too, so a chart's axis has no gaps.
    public static func histogram(_ values: [Int], lowest: Int, highest: Int, width: Int) -> [Bin] {
        let width = max(width, 1)
        guard highest >= lowest else { return [] }
        let count = (highest - lowest) / width + 1
        var counts = Array(repeating: 0, count: count)
        for value in values { counts[min(max((value - lowest) / width, 0), count - 1)] += 1 }
        return counts.enumerated().map { index, count in
            Bin(from: lowest + index * width, to: lowest + (index + 1) * width - 1, count: count)
        }
    }

    /// About `target` bins whose width is 1, 2 or 5 times a power of ten, starting at a multiple of the width
    /// at or below the smallest value; [] for no values.
    public static func histogram(_ values: [Int], target: Int = 10) -> [Bin] {
        guard let low = values.min(), let high = values.max() else { return [] }
        let span = Double(high - low + 1) / Double(max(target, 1))
        var width = 1
        var scale = 1
        search: while true {
            for step in [1, 2, 5] where Double(step * scale) >= span {
                width = step * scale
                break search
            }
            scale *= 10
        }
        let lowest = Int((Double(low) / Double(width)).rounded(.down)) * width
        return histogram(values, lowest: lowest, highest: high, width: width)
    }
}
