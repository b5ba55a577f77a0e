import Foundation

/// Where live contests and campaigns read the time: the wall clock in production, a hand-driven one in tests, so a
/// test of a deadline moves time forward instead of sleeping through it.
public protocol ServerClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func nowMilliseconds() -> Int64
}

/// The system's wall clock. Rooms keep their own floor under it, so it never appears to run backwards.
public struct WallClock: ServerClock {
    public init() {}

    public func nowMilliseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
