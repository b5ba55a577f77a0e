/// A histogram of scores or heights over fixed bins, with the values outside the bins counted apart.
public struct ScoreDistribution: Hashable, Sendable {
    /// Bin edges, ascending: bin i is edges[i] ≤ v < edges[i + 1]; the last bin also holds its upper edge.
    public var edges: [Double]
    /// Values per bin (edges.count − 1 entries).
    public var counts: [Int]
    /// Values below the first edge.
    public var below: Int
    /// Values above the last edge.
    public var above: Int

    /// Counts the values into the bins; NaN values are ignored, edges must ascend (others are dropped).
    public static func histogram(_ values: [Double], edges given: [Double]) -> ScoreDistribution {
        var edges: [Double] = []
        for edge in given where edge.isFinite && (edges.last.map { edge > $0 } ?? true) { edges.append(edge) }
        var result = ScoreDistribution(
            edges: edges, counts: [Int](repeating: 0, count: max(0, edges.count - 1)), below: 0, above: 0)
        guard edges.count > 1 else {
            result.above = values.filter { !$0.isNaN }.count
            return result
        }
        for value in values where !value.isNaN {
            if value < edges[0] { result.below += 1; continue }
            if value > edges[edges.count - 1] { result.above += 1; continue }
            // Largest i with edges[i] ≤ value, capped to the last bin.
            var low = 0, high = edges.count - 1
            while high - low > 1 {
                let middle = (low + high) / 2
                if edges[middle] <= value { low = middle } else { high = middle }
            }
            result.counts[low] += 1
        }
        return result
    }

    /// Edges 0, width, 2·width, … 100 for percent scores (width 10 gives ten bins).
    public static func percentEdges(width: Double = 10) -> [Double] {
        guard width > 0, width.isFinite else { return [0, 100] }
        var edges: [Double] = []
        var index = 0.0
        while index * width < 100 { edges.append(index * width); index += 1 }
        edges.append(100)
        return edges
    }

    /// Whole-number edges covering the values in at most `binCount` bins of equal whole width (for heights).
    public static func automaticEdges(for values: [Double], binCount: Int = 10) -> [Double] {
        let finite = values.filter(\.isFinite)
        guard let smallest = finite.min(), let largest = finite.max(), binCount > 0 else { return [0, 1] }
        let lower = smallest.rounded(.down)
        let width = max(1, ((largest - lower) / Double(binCount)).rounded(.up))
        var edges = [lower]
        while edges[edges.count - 1] < largest || edges.count < 2 { edges.append(lower + Double(edges.count) * width) }
        return edges
    }
}

/// A named score band such as 优秀 (excellent): scores at or above `lowerBound` and below the next band up.
public struct PerformanceBand: Hashable, Sendable {
    /// Display name.
    public var name: String
    /// Smallest score in the band.
    public var lowerBound: Double

    /// Creates a band.
    public init(name: String, lowerBound: Double) {
        self.name = name
        self.lowerBound = lowerBound
    }

    /// 优秀 ≥ 90, 良好 75–90, 合格 60–75, 待提高 below 60 (percent scores).
    public static let defaults = [
        PerformanceBand(name: "优秀 (excellent)", lowerBound: 90), PerformanceBand(name: "良好 (good)", lowerBound: 75),
        PerformanceBand(name: "合格 (pass)", lowerBound: 60),
        PerformanceBand(name: "待提高 (needs work)", lowerBound: -.infinity),
    ]
}

/// How many values fell into one band.
public struct BandCount: Hashable, Sendable {
    /// The band.
    public var band: PerformanceBand
    /// Values in it.
    public var count: Int
    /// count / all counted values × 100, 0 without values.
    public var share: Double

    /// Counts values into bands (highest band first); a value below every band or NaN is not counted.
    public static func count(_ values: [Double], bands: [PerformanceBand] = PerformanceBand.defaults) -> [BandCount] {
        let ordered = bands.sorted { $0.lowerBound > $1.lowerBound }
        var counts = [Int](repeating: 0, count: ordered.count)
        var total = 0
        for value in values where !value.isNaN {
            if let index = ordered.firstIndex(where: { value >= $0.lowerBound }) {
                counts[index] += 1
                total += 1
            }
        }
        return ordered.indices.map {
            BandCount(
                band: ordered[$0], count: counts[$0], share: total == 0 ? 0 : 100 * Double(counts[$0]) / Double(total))
        }
    }
}
