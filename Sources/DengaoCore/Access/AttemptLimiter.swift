/// Counts failures per key (an account name, an address) in a sliding window and says when a key must wait.
///
/// Pure: the caller passes the time, so tests step through windows without sleeping. The number of keys is
/// capped so that an attacker cycling through names or addresses cannot grow memory without bound; the keys
/// with the oldest activity are forgotten first.
public struct AttemptLimiter: Sendable {
    public let maximumFailures: Int
    public let window: Double
    public let maximumKeys: Int
    private var failures: [String: [Double]] = [:]

    public init(maximumFailures: Int, window: Double, maximumKeys: Int = 100_000) {
        self.maximumFailures = maximumFailures
        self.window = window
        self.maximumKeys = maximumKeys
    }

    /// Seconds until `key` may try again, or nil when it may try now.
    public func retryAfter(_ key: String, now: Double) -> Double? {
        let recent = (failures[key] ?? []).filter { $0 > now - window }
        guard recent.count >= maximumFailures, let oldest = recent.first else { return nil }
        return max(1, oldest + window - now)
    }

    public mutating func recordFailure(_ key: String, now: Double) {
        var recent = (failures[key] ?? []).filter { $0 > now - window }
        recent.append(now)
        if recent.count > maximumFailures { recent.removeFirst(recent.count - maximumFailures) }
        failures[key] = recent
        if failures.count > maximumKeys { forgetOldest(now: now) }
    }

    /// A success clears the key's failures.
    public mutating func reset(_ key: String) {
        failures[key] = nil
    }

    public var trackedKeys: Int { failures.count }

    private mutating func forgetOldest(now: Double) {
        failures = failures.filter { $0.value.last.map { $0 > now - window } ?? false }
        guard failures.count > maximumKeys else { return }
        let ordered = failures.sorted { ($0.value.last ?? 0) < ($1.value.last ?? 0) }
        for (key, _) in ordered.prefix(failures.count - maximumKeys) { failures[key] = nil }
    }
}
