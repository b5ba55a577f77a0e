/// Moodle's per-position moments for one question or slot: the item's mark x, the rest of the attempt y = total − x
/// and the attempt's total, all in percent of the attempt's maximum, over the attempts that saw the item.
struct PositionMoments: Hashable, Sendable {
    /// Attempts that saw the item (Moodle's s).
    var count = 0
    /// Sample variance of x (n − 1), nil below two attempts.
    var markVariance: Double?
    /// Sample variance of the rest y.
    var otherMarkVariance: Double?
    /// Sample covariance of x and y.
    var covariance: Double?
    /// The covariance the item would have were x and y perfectly ordered alike: both sorted and paired.
    var covarianceMax: Double?
    /// Sample covariance of x with the attempt's total.
    var covarianceWithOverall: Double?
    /// Mean of x.
    var markMean = 0.0

    /// 100 × cov / √(var x · var y), nil when either variance is zero or undefined.
    var discriminationIndex: Double? {
        guard let covariance, let markVariance, let otherMarkVariance, markVariance * otherMarkVariance != 0 else {
            return nil
        }
        return 100 * covariance / (markVariance * otherMarkVariance).squareRoot()
    }

    /// 100 × cov / covmax, nil when covmax is zero or undefined.
    var discriminativeEfficiency: Double? {
        guard let covariance, let covarianceMax, covarianceMax != 0 else { return nil }
        return 100 * covariance / covarianceMax
    }

    /// Computes the moments of every key at once from the responses bucketed by key; `x`, `y`, `overall` are per
    /// response.
    ///
    /// The work is linear in responses plus the sorts that covmax needs; no dictionary is touched.
    static func compute(keyCount: Int, order: Bucketing, x: [Double], y: [Double], overall: [Double])
        -> [PositionMoments]
    {
        var result = [PositionMoments](repeating: PositionMoments(), count: keyCount)
        var sortedX: [Double] = [], sortedY: [Double] = []
        for key in 0..<keyCount {
            let members = order.members(of: key)
            let s = members.count
            var moments = PositionMoments()
            moments.count = s
            guard s > 0 else { result[key] = moments; continue }
            var sumX = 0.0, sumY = 0.0
            var xEqual = true, yEqual = true
            let firstX = x[Int(order.indices[members.lowerBound])], firstY = y[Int(order.indices[members.lowerBound])]
            for position in members {
                let r = Int(order.indices[position])
                sumX += x[r]
                sumY += y[r]
                if x[r] != firstX { xEqual = false }
                if y[r] != firstY { yEqual = false }
            }
            let meanX = sumX / Double(s), meanY = sumY / Double(s)
            moments.markMean = meanX
            guard s > 1 else { result[key] = moments; continue }
            var sxx = 0.0, syy = 0.0, sxy = 0.0, sxo = 0.0
            // A constant x or y has exactly zero deviations, not rounding residue from its mean.
            if !xEqual {
                for position in members {
                    let r = Int(order.indices[position])
                    let dx = x[r] - meanX
                    let dy = yEqual ? 0 : y[r] - meanY
                    sxx += dx * dx
                    syy += dy * dy
                    sxy += dx * dy
                    sxo += dx * overall[r]  // Σ dx = 0, so this is Σ dx·(overall − mean overall).
                }
            } else if !yEqual {
                for position in members {
                    let dy = y[Int(order.indices[position])] - meanY
                    syy += dy * dy
                }
            }
            var sxyMax = 0.0
            if !xEqual && !yEqual {
                sortedX.removeAll(keepingCapacity: true)
                sortedY.removeAll(keepingCapacity: true)
                for position in members {
                    let r = Int(order.indices[position])
                    sortedX.append(x[r])
                    sortedY.append(y[r])
                }
                sortedX.sort()
                sortedY.sort()
                for index in 0..<s { sxyMax += (sortedX[index] - meanX) * (sortedY[index] - meanY) }
            }
            let denominator = Double(s - 1)
            moments.markVariance = sxx / denominator
            moments.otherMarkVariance = syy / denominator
            moments.covariance = sxy / denominator
            moments.covarianceMax = sxyMax / denominator
            moments.covarianceWithOverall = sxo / denominator
            result[key] = moments
        }
        return result
    }

    /// Moodle's effective weights: 100 × √cov(x, total) / Σ √cov over the items whose covariance is not negative;
    /// nil for a negative covariance, an item seen fewer than twice, or when the sum is zero.
    static func effectiveWeights(_ moments: [PositionMoments]) -> [Double?] {
        var sum = 0.0
        for item in moments { if let c = item.covarianceWithOverall, c >= 0 { sum += c.squareRoot() } }
        return moments.map { item in
            guard sum > 0, let c = item.covarianceWithOverall, c >= 0 else { return nil }
            return 100 * c.squareRoot() / sum
        }
    }
}

/// Response indices grouped by a small integer key (a counting sort), for per-key passes without dictionaries.
struct Bucketing {
    /// Response indices, key by key, each key's in input order.
    var indices: [Int32]
    /// `offsets[k]..<offsets[k + 1]` are key k's positions in `indices`.
    var offsets: [Int]

    /// Positions of one key's responses in `indices`.
    func members(of key: Int) -> Range<Int> { offsets[key]..<offsets[key + 1] }

    /// Groups the responses by key.
    static func order(keys: [Int32], keyCount: Int) -> Bucketing {
        var offsets = [Int](repeating: 0, count: keyCount + 1)
        for key in keys { offsets[Int(key) + 1] += 1 }
        for key in 0..<keyCount { offsets[key + 1] += offsets[key] }
        var next = offsets
        var indices = [Int32](repeating: 0, count: keys.count)
        for (response, key) in keys.enumerated() {
            indices[next[Int(key)]] = Int32(response)
            next[Int(key)] += 1
        }
        return Bucketing(indices: indices, offsets: offsets)
    }
}
